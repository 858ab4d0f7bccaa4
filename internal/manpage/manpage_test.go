package manpage

import (
	"flag"
	"os"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// tool is a small program whose pages show each part of a page: a
// description with an indented example, flags with a value, a default and a
// shorthand, an inherited flag, a hidden one, examples and related pages.
func tool() (root, add *cobra.Command) {
	root = &cobra.Command{Use: "tool", Short: "A tool for notes"}
	root.PersistentFlags().String("file", "", "the notes `FILE`")
	add = &cobra.Command{
		Use:   "add",
		Short: "Add a note",
		Long: `Add a note, dated now.

With --tag, the note can be found again:

  tool add --tag work "call back"

.A line starting with a dot is text, not a request.`,
		Example: `  tool add "buy milk"
  tool add -t home 'it\'s "quoted"'`,
		Run: func(*cobra.Command, []string) {},
	}
	add.Flags().StringArrayP("tag", "t", nil, "a `WORD` to find it by (repeatable)")
	add.Flags().Int("priority", 2, "how urgent, 1 to 3")
	add.Flags().Bool("quiet", false, "say nothing")
	add.Flags().Bool("secret", false, "not shown")
	add.Flags().MarkHidden("secret")
	list := &cobra.Command{Use: "list", Short: "List the notes", Run: func(*cobra.Command, []string) {}}
	root.AddCommand(add, list)
	return root, add
}

func TestPage(t *testing.T) {
	root, add := tool()
	h := Header{Section: "1", Date: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), Source: "tool v1.0", Manual: "tool manual"}
	for name, cmd := range map[string]*cobra.Command{"tool.1": root, "tool-add.1": add} {
		if got := FileName(cmd, h); got != name {
			t.Errorf("FileName = %q, want %q", got, name)
		}
		got := Page(cmd, h)
		golden := "testdata/" + name
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("the page of %s differs from %s (go test -update rewrites it):\n%s", cmd.Name(), golden, got)
		}
	}
}

func TestPageWithoutDate(t *testing.T) {
	root, _ := tool()
	if got, want := string(Page(root, Header{Section: "1", Source: "tool", Manual: "m"}))[:40], ".nh\n.TH \"TOOL\" \"1\" \"\" \"tool\" \"m\"\n"; got[:len(want)] != want {
		t.Errorf("a page without a date begins %q, want %q", got, want)
	}
}

func TestRoffText(t *testing.T) {
	for in, want := range map[string]string{
		"--when":        `\-\-when`,
		`C:\notes`:      `C:\enotes`,
		".TH injected":  `\&.TH injected`,
		"'quoted start": `\&'quoted start`,
		"plain":         "plain",
	} {
		if got := roffText(in); got != want {
			t.Errorf("roffText(%q) = %q, want %q", in, got, want)
		}
	}
}
