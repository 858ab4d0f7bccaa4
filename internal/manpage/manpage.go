// Package manpage writes a program's manual pages, in troff with the man
// macros, from its cobra commands: the same text as their --help (name,
// synopsis, description, options, examples) and the related pages.
//
// It is written here rather than taken from a library because the
// libraries that convert Markdown to troff build large tables when the
// program starts, and every command would pay for them.
package manpage

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Header is what the first line of every manual page carries.
type Header struct {
	// Section is the manual's section: "1" for commands.
	Section string
	// Date is shown on every page; the zero time leaves it empty, so
	// that a page is the same each time it is made.
	Date time.Time
	// Source is the program and its version: "journal v1.2.0".
	Source string
	// Manual is the title of the manual: "journal manual".
	Manual string
}

// FileName is the name of cmd's page in a folder of pages:
// "journal-add.1".
func FileName(cmd *cobra.Command, h Header) string {
	return dashed(cmd) + "." + h.Section
}

func dashed(cmd *cobra.Command) string { return strings.ReplaceAll(cmd.CommandPath(), " ", "-") }

// Page renders one command's manual page.
func Page(cmd *cobra.Command, h Header) []byte {
	var buf bytes.Buffer
	cmd.InitDefaultHelpFlag()
	dashed := dashed(cmd)
	date := ""
	if !h.Date.IsZero() {
		date = h.Date.Format("Jan 2006")
	}
	fmt.Fprintf(&buf, ".nh\n.TH %s %s %s %s %s\n",
		roffQuote(strings.ToUpper(dashed)),
		roffQuote(h.Section), roffQuote(date), roffQuote(h.Source), roffQuote(h.Manual))

	buf.WriteString("\n.SH NAME\n")
	fmt.Fprintf(&buf, "%s \\- %s\n", roffText(dashed), roffText(cmd.Short))

	buf.WriteString("\n.SH SYNOPSIS\n")
	fmt.Fprintf(&buf, "\\fB%s\\fP\n", roffText(cmd.UseLine()))

	buf.WriteString("\n.SH DESCRIPTION\n")
	description := cmd.Long
	if description == "" {
		description = cmd.Short
	}
	writeRoffParagraphs(&buf, description)

	if flags := cmd.NonInheritedFlags(); flags.HasAvailableFlags() {
		buf.WriteString("\n.SH OPTIONS\n")
		writeRoffFlags(&buf, flags)
	}
	if flags := cmd.InheritedFlags(); flags.HasAvailableFlags() {
		buf.WriteString("\n.SH OPTIONS INHERITED FROM PARENT COMMANDS\n")
		writeRoffFlags(&buf, flags)
	}
	if cmd.Example != "" {
		buf.WriteString("\n.SH EXAMPLE\n.PP\n.RS\n.nf\n")
		for line := range strings.SplitSeq(strings.TrimRight(cmd.Example, "\n"), "\n") {
			buf.WriteString(roffText(line) + "\n")
		}
		buf.WriteString(".fi\n.RE\n")
	}
	var related []string
	if cmd.HasParent() {
		related = append(related, fmt.Sprintf("\\fB%s(%s)\\fP", roffText(strings.ReplaceAll(cmd.Parent().CommandPath(), " ", "-")), h.Section))
	}
	children := slices.Clone(cmd.Commands())
	slices.SortFunc(children, func(a, b *cobra.Command) int { return strings.Compare(a.Name(), b.Name()) })
	for _, c := range children {
		if c.IsAvailableCommand() && !c.IsAdditionalHelpTopicCommand() {
			related = append(related, fmt.Sprintf("\\fB%s-%s(%s)\\fP", roffText(dashed), roffText(c.Name()), h.Section))
		}
	}
	if len(related) > 0 {
		buf.WriteString("\n.SH SEE ALSO\n.PP\n" + strings.Join(related, ", ") + "\n")
	}
	return buf.Bytes()
}

// writeRoffFlags writes each visible flag as a tagged paragraph: the flag
// with its value and default, then what it does.
func writeRoffFlags(buf *bytes.Buffer, flags *pflag.FlagSet) {
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Deprecated != "" {
			return
		}
		name, usage := pflag.UnquoteUsage(f)
		tag := "\\fB\\-\\-" + roffText(f.Name) + "\\fP"
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			tag = "\\fB\\-" + roffText(f.Shorthand) + "\\fP, " + tag
		}
		if name != "" {
			tag += " \\fI" + roffText(name) + "\\fP"
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" {
			usage += fmt.Sprintf(" (default %s)", d)
		}
		fmt.Fprintf(buf, ".TP\n%s\n%s\n", tag, roffText(usage))
	})
}

// writeRoffParagraphs writes text whose paragraphs are separated by blank
// lines; lines that start with spaces (examples inside the text) are kept
// as they are.
func writeRoffParagraphs(buf *bytes.Buffer, text string) {
	for para := range strings.SplitSeq(strings.TrimSpace(text), "\n\n") {
		buf.WriteString(".PP\n")
		lines := strings.Split(strings.Trim(para, "\n"), "\n")
		verbatim := false
		for _, line := range lines {
			indented := strings.HasPrefix(line, "  ")
			if indented != verbatim {
				if indented {
					buf.WriteString(".RS\n.nf\n")
				} else {
					buf.WriteString(".fi\n.RE\n")
				}
				verbatim = indented
			}
			buf.WriteString(roffText(line) + "\n")
		}
		if verbatim {
			buf.WriteString(".fi\n.RE\n")
		}
	}
}

// roffText escapes text for troff: backslashes, hyphens (so they stay
// hyphens when copied from the page), and a dot or quote starting a line,
// which troff would take for a request.
func roffText(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// roffQuote is one argument of a request, in double quotes.
func roffQuote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\(dq`) + `"`
}
