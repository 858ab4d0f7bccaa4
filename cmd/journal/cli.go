package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/journal"
)

// Exit statuses, as the scripting contract fixes them.
const (
	exitOK        = 0
	exitFailure   = 1
	exitUsage     = 2
	exitUnlock    = 3
	exitIntegrity = 4
	exitInUse     = 5
)

// streams are where a command reads and writes, and whether a person is
// there to answer a form or a prompt.
type streams struct {
	in  io.Reader
	out io.Writer
	err io.Writer
	// interactive is set when standard input is a terminal: forms and
	// prompts are then shown on the controlling terminal.
	interactive bool
	// openTTY opens the controlling terminal for prompts.
	openTTY func() (*os.File, error)
}

func newStreams() *streams {
	return &streams{
		in:          os.Stdin,
		out:         os.Stdout,
		err:         os.Stderr,
		interactive: term.IsTerminal(int(os.Stdin.Fd())),
		openTTY:     func() (*os.File, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) },
	}
}

// globals are the settings every command shares.
type globals struct {
	*streams
	file           string
	passphraseFile string
	identityFile   string
	// pinChecked is set by verify, which compares the journal with what
	// this computer saw of it only after checking every record, so that
	// damage is named as such.
	pinChecked bool
	now        func() time.Time
	// synced is set once the command has pulled from the sync folder, and
	// syncErr keeps what the pull refused (sync.go), returned after the
	// command's own work.
	synced  bool
	syncErr error
	// folderWarned is set once the command has said that the sync folder
	// cannot be reached: it says it once.
	folderWarned bool
	// recording is set by a reading command that records something once
	// it has read (export, its disclosure): a copy of the file that
	// syncs, which takes no record, is refused before it is read.
	recording bool
	// wrote is set when the command opened the journal for writing: what
	// it added is then written to the sync folder, if there is one.
	wrote bool
	// accessible asks one question a line (--accessible).
	accessible bool
	// noAgent is set once the unlock agent has failed this command: it is
	// not asked again.
	noAgent bool
	// agentID is what the unlock agent answered for the recipient
	// agentAsked (nil: no agent runs for it).
	agentAsked string
	agentID    *crypto.Identity
	// kept is the journal a command keeps open for writing until it ends
	// (add with flags, the disclosure of an export): what runs after it
	// (the quiet stamp, the push to the sync folder) uses it instead of
	// opening it again.
	kept *journal.Store
	// folder is the sync folder the journal named when the command last
	// read its meta, nil once it has opened it for writing since.
	folder *string
}

// lineTerminal reports whether questions are asked one a line, for a
// screen reader (--accessible, JOURNAL_ACCESSIBLE) or a terminal that
// cannot draw a form (TERM=dumb), and nothing drawn is erased.
func (g *globals) lineTerminal() bool {
	return g.accessible || os.Getenv("JOURNAL_ACCESSIBLE") != "" || os.Getenv("TERM") == "dumb"
}

// terminal is where the command asks its questions: what is typed comes
// from standard input, the questions are drawn on tty, and --accessible
// asks them one a line.
func (g *globals) terminal(tty *os.File) form.Terminal {
	return form.Terminal{In: g.in, Out: tty, Lines: g.lineTerminal()}
}

// exitError is an error with the exit status it calls for and, optionally,
// a hint saying what to do next.
type exitError struct {
	code int
	err  error
	hint string
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError is wrong usage or missing input: exit status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// withHint attaches a hint to an error.
func withHint(err error, code int, hint string) error {
	return &exitError{code: code, err: err, hint: hint}
}

// clock is the time now. Only the tests set it, to read dates against a
// fixed day; the program has no switch for it.
var clock = time.Now

// alreadyExists is the one error for a file that is there already and
// was not replaced: the same exit status everywhere (2, as wrong usage), the
// file left untouched, and hint saying what to do instead.
func alreadyExists(path, hint string) error {
	return withHint(fmt.Errorf("%s already exists", path), exitUsage, hint)
}

// run runs the command line args and returns the exit status.
func run(args []string, s *streams) int {
	g := &globals{streams: s, now: clock}
	root := newRootFor(g, args)
	if isCompletionRequest(args) {
		registerCompletions(root)
	}
	root.SetArgs(args)
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	defer g.closeKept()
	err := root.ExecuteContext(context.Background())
	if errors.Is(err, errNothingToDo) {
		// The command found, and said, that there was nothing to do.
		err = nil
	}
	if err == nil {
		g.pushPending()
		err = g.syncErr
	}
	if err == nil {
		return exitOK
	}
	code, msg := describe(err)
	fmt.Fprintf(s.err, "journal: %s\n", msg)
	return code
}

// describe turns an error into its exit status and one line for a person.
func describe(err error) (int, string) {
	var ee *exitError
	var ie *journal.IntegrityError
	var cm *journal.CacheMismatchError
	var me *journal.ManifestError
	var rb *journal.RollbackError
	var mf *journal.ManifestForkError
	var na *journal.NotArrivedError
	var ce *journal.CopyError
	code, hint := exitFailure, ""
	switch {
	case errors.As(err, &ee):
		code, hint = ee.code, ee.hint
	case errors.As(err, &ce):
		code, hint = exitUsage, copyRefusalHint(ce, "add to")
	case errors.As(err, &me):
		code, hint = exitIntegrity, "nothing was written; restore the journal from a backup made before the change"
	case errors.As(err, &na):
		hint = "your sync program has not copied it yet; the next sync brings it: try again later, or run 'journal sync'"
	case errors.As(err, &mf) && mf.N == 1:
		// No change of key makes another first statement: only a
		// manifest begun anew does.
		code, hint = exitIntegrity, "nothing of it was merged; the sync folder's manifest was begun anew: by someone who can write the folder (it may have been tampered with), or by another copy of this journal set up with 'journal sync init' instead of 'journal join'"
	case errors.As(err, &mf):
		code, hint = exitIntegrity, "one computer made a new key while another changed the devices; see 'journal devices'"
	case errors.As(err, &rb) && rb.AddOnly:
		code, hint = exitIntegrity, addOnlyRestoreHint
	case errors.As(err, &rb):
		code, hint = exitIntegrity, rollbackHint
	case errors.Is(err, journal.ErrAddOnlyCannotCount):
		code, hint = exitFailure, addOnlyRestoreHint
	case errors.Is(err, journal.ErrIncidentsUnknown):
		code, hint = exitFailure, "nothing was recorded; run 'journal timeline' once (it asks for the passphrase and counts them), then add again"
	case errors.Is(err, journal.ErrNotEnrolled):
		return describe(notEnrolled())
	case errors.Is(err, journal.ErrOldFormat):
		return describe(notUpgraded())
	case errors.Is(err, crypto.ErrRemote):
		code, hint = exitUnlock, "run the command again: it will ask for the passphrase, or run 'journal unlock' first"
	case errors.Is(err, journal.ErrInUse):
		code, hint = exitInUse, "wait for the other journal command to finish, or close it, and try again"
	case errors.As(err, &ie) && errors.Is(err, crypto.ErrWrongIdentity):
		// A recovery key reads only the records made after it was added.
		code, hint = exitUnlock, "this key cannot read it; a recovery key reads only records made after it was added: unlock with the passphrase or the journal's own key"
	case errors.Is(err, journal.ErrOlderHeaderDamaged):
		code, hint = exitIntegrity, "'journal repair' mends it (keeping a copy of this file first); make a backup on another disk"
	case errors.Is(err, journal.ErrHeaderDamaged):
		code, hint = exitIntegrity, "nothing was read or written; restore the journal from a backup, or run 'journal repair', which keeps a copy of this file first"
	case errors.As(err, &cm):
		// Not damage: telling someone to put back an older backup
		// would lose what they recorded since.
		code, hint = exitIntegrity, "nothing needs restoring (a cache file copied from another computer or another copy of the journal does this): run 'journal verify' again"
	case errors.As(err, &ie), errors.Is(err, crypto.ErrDamaged), errors.Is(err, crypto.ErrBadRecipient):
		code = exitIntegrity
		if ie == nil || ie.Seq == 0 {
			hint = "restore it from a backup ('journal backup' makes one)"
		}
	case errors.Is(err, crypto.ErrIncorrectPassphrase), errors.Is(err, crypto.ErrWrongIdentity):
		code = exitUnlock
	case errors.Is(err, syscall.ENOSPC):
		hint = "the disk is full, and nothing was recorded or changed: make some room and try again"
	case errors.Is(err, journal.ErrNoJournal):
		// Missing input: the path names no file (docs/cli.md, status 2).
		code, hint = exitUsage, "run 'journal init' to create one, or give its path with --file"
	case errors.Is(err, journal.ErrNotJournal):
		// Wrong input: the path names a file that is not a journal.
		code, hint = exitUsage, "check the path given with --file or JOURNAL_FILE"
	case isCobraUsage(err):
		code, hint = exitUsage, "see 'journal --help'"
	}
	msg := oneLine(err.Error())
	if hint != "" {
		msg += ": " + hint
	}
	return code, msg
}

// isCobraUsage recognises the errors cobra returns for an unknown command
// or a bad argument, which it does not type.
func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.HasPrefix(s, "unknown shorthand flag") || strings.HasPrefix(s, "invalid argument") ||
		strings.Contains(s, "flag needs an argument") || strings.HasPrefix(s, "accepts ") ||
		strings.HasPrefix(s, "requires at least")
}

// oneLine folds a message onto one line, as the contract asks.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// subcommands are journal's commands, by name, in the order they are
// added to the root.
var subcommands = []struct {
	name string
	make func(*globals) *cobra.Command
}{
	{"init", newInitCommand},
	{"add", newAddCommand},
	{"timeline", newTimelineCommand},
	{"show", newShowCommand},
	{"verify", newVerifyCommand},
	{"checkpoint", newCheckpointCommand},
	{"backup", newBackupCommand},
	{"compact", newCompactCommand},
	{"passphrase", newPassphraseCommand},
	{"key", newKeyCommand},
	{"device", newDeviceCommand},
	{"upgrade", newUpgradeCommand},
	{"rekey", newRekeyCommand},
	{"amend", newAmendCommand},
	{"void", newVoidCommand},
	{"attach", newAttachCommand},
	{"evidence", newEvidenceCommand},
	{"people", newPeopleCommand},
	{"export", newExportCommand},
	{"disclosures", newDisclosuresCommand},
	{"version", newVersionCommand},
	{"man", newManCommand},
	{"import", newImportCommand},
	{"stamp", newStampCommand},
	{"witness", newWitnessCommand},
	{"repair", newRepairCommand},
	{"sync", newSyncCommand},
	{"join", newJoinCommand},
	{"devices", newDevicesCommand},
	{"unlock", newUnlockCommand},
	{"lock", newLockCommand},
	{agentCommand, func(*globals) *cobra.Command { return newAgentCommand() }},
}

// newRootCommand builds the whole command tree.
func newRootCommand(g *globals) *cobra.Command { return newRootFor(g, nil) }

// newRootFor builds the command tree that args need. When they start with
// the name of a command, only that command is built under the root, and
// for --version none: making every command's flags was a tenth of
// journal's start-up. 'man' reads the whole tree, and anything else (no
// command, help, completion, a mistyped name that cobra suggests a
// command for) gets all of it.
func newRootFor(g *globals, args []string) *cobra.Command {
	only := ""
	if len(args) > 0 && args[0] != "man" {
		only = args[0]
	}
	var cmds []*cobra.Command
	for _, c := range subcommands {
		if c.name == only {
			cmds = []*cobra.Command{c.make(g)}
			break
		}
	}
	if len(args) == 1 && (only == "--version" || only == "-v") {
		cmds = []*cobra.Command{} // the version alone
	}
	if cmds == nil {
		for _, c := range subcommands {
			cmds = append(cmds, c.make(g))
		}
	}
	root := &cobra.Command{
		Use:   "journal",
		Short: "An encrypted, append-only record of incidents of harassment",
		Long: `journal keeps an encrypted, append-only record of unwanted contact:
calls, messages, visits, abuse. Record each incident as soon as you can with
'journal add'; see the whole story with 'journal timeline'; hand over a
report with 'journal export'.

Entries are sealed with age and kept in one local file. Adding never needs
the passphrase; reading does.`,
		Example: `  journal init
  journal add
  journal add --when "2026-11-24 14:30" --where "Surgery car park" \
      --who "John Smith (patient)" --kind in-person --summary "Waited by my car"
  journal timeline
  journal verify`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       readBuildInfo().String(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGuide(g, cmd)
		},
	}
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		return checkFlagText(cmd)
	}
	// Quiet stamping, once the command has done its work and printed.
	root.PersistentPostRun = func(cmd *cobra.Command, _ []string) {
		if leavesHead[cmd.Name()] {
			autoStamp(g)
		}
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		if plain := plainFlagValueError(err); plain != nil {
			return plain
		}
		return withHint(plainUnknownFlag(err), exitUsage, "see '"+cmd.CommandPath()+" --help'")
	})
	pf := root.PersistentFlags()
	pf.StringVar(&g.file, "file", "", "the journal file, at `PATH` (default $JOURNAL_FILE, or "+displayDefaultPath()+")")
	pf.StringVar(&g.passphraseFile, "passphrase-file", "", "read the passphrase from the first line of `FILE`")
	pf.BoolVar(&g.accessible, "accessible", false, "ask one question a line, for screen readers (also when JOURNAL_ACCESSIBLE is set or TERM=dumb)")
	pf.StringVar(&g.identityFile, "identity", "", "unlock with an age identity `FILE` instead of the passphrase (or $JOURNAL_IDENTITY)")
	root.AddCommand(cmds...)
	setupCompletion(root)
	groupCommands(root)
	return root
}

// exactArgs is cobra.ExactArgs with the exit status of wrong usage.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError("%s needs %s: see '%s --help'", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

// path returns the journal file: --file, then JOURNAL_FILE, then the
// default under $XDG_DATA_HOME.
func (g *globals) path() (string, error) {
	if g.file != "" {
		return g.file, nil
	}
	if p := os.Getenv("JOURNAL_FILE"); p != "" {
		return p, nil
	}
	return defaultPath()
}

func defaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", withHint(errors.New("cannot find the home folder"), exitUsage, "give the journal's path with --file or JOURNAL_FILE")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "journal", "journal.db"), nil
}

func displayDefaultPath() string {
	return "$XDG_DATA_HOME/journal/journal.db"
}

// pathFlags name files, whose names need not be UTF-8 on every system.
var pathFlags = []string{"file", "passphrase-file", "identity", "details-file", "attach", "output", "font", "encrypt-to", "draft", "dir"}

// checkFlagText refuses a flag whose text is not valid UTF-8, naming it:
// stored as it is, it would be altered (U+FFFD in place of the bytes).
func checkFlagText(cmd *cobra.Command) error {
	var bad error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if bad != nil || slices.Contains(pathFlags, f.Name) {
			return
		}
		values := []string{f.Value.String()}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			values = sv.GetSlice()
		}
		for _, v := range values {
			if !utf8.ValidString(v) {
				bad = usageError("--%s is not valid UTF-8 text, so it could not be kept as typed: type it again, or set the terminal to UTF-8", f.Name)
				return
			}
		}
	})
	return bad
}
