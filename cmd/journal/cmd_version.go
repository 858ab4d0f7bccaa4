package main

import (
	"fmt"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
)

// buildInfo is what the Go toolchain stamped into the binary: the module
// version and the commit it was built from.
type buildInfo struct {
	version  string    // module version, or "(devel)"
	commit   string    // vcs.revision, or ""
	time     time.Time // vcs.time: when the commit was made, or zero
	modified bool      // vcs.modified: built from a tree with uncommitted changes
	goVer    string
}

// stampedVersion is the release's version, set when a release is built
// (go build -ldflags "-X main.stampedVersion=v1.2.0"; see scripts/release).
var stampedVersion string

// readBuildInfo reads the version and commit that the Go toolchain stamped
// into the binary. A binary built without module or version-control
// information reports "(devel)" and no commit.
func readBuildInfo() buildInfo {
	return parseBuildInfo(debug.ReadBuildInfo())
}

func parseBuildInfo(info *debug.BuildInfo, ok bool) buildInfo {
	b := buildInfo{version: "(devel)"}
	if !ok {
		return b
	}
	b.goVer = info.GoVersion
	if v := info.Main.Version; v != "" {
		b.version = v
	}
	if stampedVersion != "" {
		b.version = stampedVersion
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.commit = s.Value
		case "vcs.time":
			b.time, _ = time.Parse(time.RFC3339, s.Value)
		case "vcs.modified":
			b.modified = s.Value == "true"
		}
	}
	return b
}

// String is the version on one line, as 'journal version' prints it.
func (b buildInfo) String() string {
	s := "journal " + b.version
	switch {
	case b.commit == "":
		s += " (commit unknown: built without version control information)"
	case b.modified:
		s += " (commit " + b.commit + ", with uncommitted changes)"
	default:
		s += " (commit " + b.commit + ")"
	}
	return s
}

func newVersionCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of journal and the commit it was built from",
		Long: `Print the module version of journal and the commit it was built from,
the date of that commit, and the Go version that built it. Quote this line
when you report a problem.`,
		Example: `  journal version
  journal --version`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVersion(g)
		},
	}
}

func runVersion(g *globals) error {
	b := readBuildInfo()
	fmt.Fprintln(g.out, b)
	if !b.time.IsZero() {
		fmt.Fprintf(g.out, "committed %s\n", b.time.UTC().Format(time.RFC3339))
	}
	if b.goVer != "" {
		fmt.Fprintf(g.out, "built with %s\n", b.goVer)
	}
	return nil
}
