package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/journal-dev/journal/journal"
)

// contractPath is the scripting contract, relative to this package.
const contractPath = "../../docs/cli.md"

// contract is what docs/cli.md documents, read from its headings and tables.
type contract struct {
	// commands maps a documented command path ("journal key export") to
	// the line of its heading.
	commands map[string]int
	// flags maps a command path to its documented flags ("--when") and
	// the line of each row.
	flags map[string]map[string]int
	// global are the flags documented under "Global flags".
	global map[string]int
	// env maps an environment variable to the line of its row.
	env map[string]int
	// sections maps a "## " heading to its text.
	sections map[string]string
	// orphans are flag rows under a heading that names no command.
	orphans []string
	// loose are rows that are not part of a table: the first line of a
	// table is its header, the second its |---| line, or it shows as
	// plain text with bars in it.
	loose []string
}

var (
	backticked = regexp.MustCompile("`([^`]+)`")
	tableRule  = regexp.MustCompile(`^\|(\s*:?-+:?\s*\|)+\s*$`)
	flagName   = regexp.MustCompile(`(?:^|[\s,])(--[a-z0-9][a-z0-9-]*)`)
	envName    = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// readContract parses docs/cli.md. A "### " heading names, in backticks,
// the commands its tables belong to; the first cell of each table row
// names flags (or, under "Environment", variables) in backticks.
func readContract(t *testing.T) *contract {
	t.Helper()
	data, err := os.ReadFile(contractPath)
	if err != nil {
		t.Fatalf("the scripting contract: %v", err)
	}
	c := &contract{
		commands: map[string]int{},
		flags:    map[string]map[string]int{},
		global:   map[string]int{},
		env:      map[string]int{},
		sections: map[string]string{},
	}
	var section, heading string
	var owners []string
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		n := i + 1
		if strings.HasPrefix(line, "|") && (i == 0 || !strings.HasPrefix(lines[i-1], "|")) &&
			(i+1 == len(lines) || !tableRule.MatchString(lines[i+1])) {
			c.loose = append(c.loose, fmt.Sprintf("docs/cli.md:%d starts a table without a header: put a line such as \"| flag | value |\" and then \"|---|---|\" above it, or it shows as plain text", n))
		}
		switch {
		case strings.HasPrefix(line, "## "):
			section, heading, owners = strings.TrimPrefix(line, "## "), "", nil
			continue
		case strings.HasPrefix(line, "### "):
			heading, owners = strings.TrimPrefix(line, "### "), nil
			for _, m := range backticked.FindAllStringSubmatch(heading, -1) {
				if m[1] == "journal" || strings.HasPrefix(m[1], "journal ") {
					owners = append(owners, m[1])
					if _, ok := c.commands[m[1]]; !ok {
						c.commands[m[1]] = n
					}
				}
			}
			continue
		}
		c.sections[section] += line + "\n"
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		first := cells[1]
		for _, m := range backticked.FindAllStringSubmatch(first, -1) {
			switch {
			case section == "Environment":
				for name := range strings.SplitSeq(m[1], "=") {
					if envName.MatchString(name) {
						c.env[name] = n
					}
					break
				}
			case heading == "Global flags":
				for _, f := range flagName.FindAllStringSubmatch(m[1], -1) {
					c.global[f[1]] = n
				}
			case heading != "" && len(owners) == 0:
				if flagName.MatchString(m[1]) {
					c.orphans = append(c.orphans, fmt.Sprintf("docs/cli.md:%d names a flag under the heading %q, which names no command: name the command in backticks in the heading, as \"### `journal add`\"", n, heading))
				}
			default:
				for _, f := range flagName.FindAllStringSubmatch(m[1], -1) {
					for _, o := range owners {
						if c.flags[o] == nil {
							c.flags[o] = map[string]int{}
						}
						c.flags[o][f[1]] = n
					}
				}
			}
		}
	}
	return c
}

// TestCLIContract fails when a command or flag exists without being
// documented in docs/cli.md, or docs/cli.md documents one that does not
// exist.
func TestCLIContract(t *testing.T) {
	doc := readContract(t)
	root := newRootCommand(&globals{streams: &streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard}})
	root.InitDefaultVersionFlag()
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c != root {
			return
		}
		path := c.CommandPath()
		seen[path] = true
		if _, ok := doc.commands[path]; !ok {
			t.Errorf("`%s` is not documented: add to docs/cli.md, under \"## Commands\", a heading \"### `%s`\" with its usage, what it prints, and a table of its flags (| flag | value |), and a row to the table of commands", path, path)
		}
		documented := doc.flags[path]
		has := map[string]bool{}
		check := func(f *pflag.Flag) {
			name := "--" + f.Name
			has[name] = true
			if f.Hidden || f.Name == "help" {
				return
			}
			if _, ok := documented[name]; !ok {
				value, _ := pflag.UnquoteUsage(f)
				t.Errorf("%s %s is not documented: add a row \"| `%s` | %s |\" to a table under a heading of docs/cli.md that names `%s`", path, name, strings.TrimSpace(name+" "+value), f.Usage, path)
			}
		}
		c.LocalNonPersistentFlags().VisitAll(check)
		if c != root {
			c.PersistentFlags().VisitAll(check)
		}
		for name, line := range documented {
			if !has[name] {
				t.Errorf("docs/cli.md:%d documents %s for `%s`, which has no such flag: remove the row, or add the flag to the command", line, name, path)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, o := range doc.orphans {
		t.Error(o)
	}
	for _, l := range doc.loose {
		t.Error(l)
	}
	for path, line := range doc.commands {
		if !seen[path] {
			t.Errorf("docs/cli.md:%d documents `%s`, which is not a command: remove its heading, or add the command", line, path)
		}
	}
	globals := map[string]bool{}
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		globals["--"+f.Name] = true
		if _, ok := doc.global["--"+f.Name]; !ok {
			t.Errorf("the global flag --%s is not documented: add a row \"| `--%s` | %s |\" under \"### Global flags\" in docs/cli.md", f.Name, f.Name, f.Usage)
		}
	})
	for name, line := range doc.global {
		if !globals[name] {
			t.Errorf("docs/cli.md:%d documents the global flag %s, which does not exist: remove the row", line, name)
		}
	}
}

// TestCLIContractEnvironment fails when the program reads an environment
// variable that docs/cli.md does not list under "Environment", or the page
// lists one the program never reads.
func TestCLIContractEnvironment(t *testing.T) {
	doc := readContract(t)
	read := regexp.MustCompile(`(?:Getenv|LookupEnv)\("([A-Z][A-Z0-9_]*)"\)`)
	named := regexp.MustCompile(`"(JOURNAL_[A-Z0-9_]+)"`)
	literals := map[string]bool{}
	used := map[string]string{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// Test data, scripts and packages that only tests use (their
		// names end in "test", like internal/synctest) are not the program.
		skip := d.Name() == "testdata" || d.Name() == "scripts" || strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), "test")
		if d.IsDir() && skip && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range read.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = path
		}
		for _, m := range named.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = path
		}
		for _, m := range regexp.MustCompile(`"([A-Z][A-Z0-9_]*)"`).FindAllStringSubmatch(string(src), -1) {
			literals[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, path := range used {
		if _, ok := doc.env[name]; !ok {
			t.Errorf("%s reads the environment variable %s, which is not documented: add a row \"| `%s` | what it does |\" under \"## Environment\" in docs/cli.md", strings.TrimPrefix(path, "../../"), name, name)
		}
	}
	for name, line := range doc.env {
		if !literals[name] {
			t.Errorf("docs/cli.md:%d documents the environment variable %s, which the program never names: remove the row", line, name)
		}
	}
}

// TestCLIContractJSON fails when a JSON key of an incident, the summary, a
// person or a disclosure is not named under "## JSON" in docs/cli.md.
func TestCLIContractJSON(t *testing.T) {
	doc := readContract(t)
	words := map[string]bool{}
	for _, m := range backticked.FindAllStringSubmatch(doc.sections["JSON"], -1) {
		for w := range strings.FieldsFuncSeq(m[1], func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') }) {
			words[w] = true
		}
	}
	var keys func(ty reflect.Type, where string, seen map[reflect.Type]bool)
	keys = func(ty reflect.Type, where string, seen map[reflect.Type]bool) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		// A type that writes its own JSON (an IncidentSet is a list of
		// numbers) has no keys of its own.
		own := ty.Implements(reflect.TypeFor[json.Marshaler]()) || reflect.PointerTo(ty).Implements(reflect.TypeFor[json.Marshaler]())
		if ty.Kind() != reflect.Struct || seen[ty] || ty.PkgPath() == "time" || own {
			return
		}
		seen[ty] = true
		for f := range ty.Fields() {
			tag := strings.Split(f.Tag.Get("json"), ",")[0]
			if tag == "-" {
				continue
			}
			if f.Anonymous && tag == "" {
				keys(f.Type, where, seen)
				continue
			}
			if tag == "" {
				tag = f.Name
			}
			if !words[tag] {
				t.Errorf("the JSON key %q (%s.%s) is not documented: name it in backticks under \"## JSON\" in docs/cli.md, where %s's keys are listed", tag, ty.Name(), f.Name, where)
			}
			keys(f.Type, where, seen)
		}
	}
	keys(reflect.TypeFor[journal.Incident](), "an incident", map[reflect.Type]bool{})
	keys(reflect.TypeFor[journal.Summary](), "the summary", map[reflect.Type]bool{})
	keys(reflect.TypeFor[journal.DisclosureEntry](), "a disclosure", map[reflect.Type]bool{})
}

// TestCLIContractExitStatus fails when an exit status of the command layer
// is missing from the table in docs/cli.md.
func TestCLIContractExitStatus(t *testing.T) {
	doc := readContract(t)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "cli.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []int
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 || !strings.HasPrefix(vs.Names[0].Name, "exit") {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.INT {
			n, _ := strconv.Atoi(lit.Value)
			codes = append(codes, n)
		}
		return true
	})
	if len(codes) == 0 {
		t.Fatal("found no exit statuses in cli.go")
	}
	table := doc.sections["Output and exit status"]
	for _, code := range codes {
		if !strings.Contains(table, "| "+strconv.Itoa(code)+" |") {
			t.Errorf("exit status %d is not documented: add a row \"| %d | what it means |\" to the table under \"## Output and exit status\" in docs/cli.md", code, code)
		}
	}
	if !slices.Contains(codes, exitUsage) {
		t.Errorf("exit statuses %v: the parser missed exitUsage", codes)
	}
}
