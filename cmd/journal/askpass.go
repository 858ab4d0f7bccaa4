package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/journal"
)

// errNoPassphrase is returned when a passphrase is needed and there is no
// way to get one.
var errNoPassphrase = withHint(errors.New("no passphrase given and no terminal to ask on"), exitUsage,
	"set JOURNAL_PASSPHRASE, use --passphrase-file FILE, or unlock with --identity FILE (or JOURNAL_IDENTITY)")

// passphraseTries is how many times a passphrase typed on a terminal may
// be wrong before the command gives up. Each try costs seconds (scrypt),
// so a slip of the finger should not cost typing the command again; a
// passphrase given by a script is tried once.
const passphraseTries = 3

// shortPassphrase is the length, in characters, under which a new
// passphrase typed on a terminal is warned about.
const shortPassphrase = 12

// givenPassphrase returns the passphrase from --passphrase-file, then
// JOURNAL_PASSPHRASE (an empty variable counts as unset), and whether one
// was given. The flag wins over the variable, as restic's --password-file
// wins over RESTIC_PASSWORD: what is typed on the command line is what
// the person means now.
func (g *globals) givenPassphrase() (string, bool, error) {
	if g.passphraseFile != "" {
		p, err := readPassphraseFile(g.passphraseFile)
		return p, true, err
	}
	if p := os.Getenv("JOURNAL_PASSPHRASE"); p != "" {
		return p, true, nil
	}
	return "", false, nil
}

// unwrapWithPassphrase opens wrapped, a key wrapped with the journal's
// passphrase, and returns it with the passphrase that opened it. The
// passphrase comes from givenPassphrase, tried once, or is asked for on
// the terminal without echo: a wrong one is then asked again, up to
// passphraseTries times. While the key is derived (seconds, on purpose)
// the terminal shows "Unlocking...". A wrong passphrase is exit 3 with a
// hint that ends with lost.
func (g *globals) unwrapWithPassphrase(prompt string, wrapped []byte, lost string) (*crypto.Identity, string, error) {
	p, given, err := g.givenPassphrase()
	if err != nil {
		return nil, "", err
	}
	if given || !g.interactive {
		if !given {
			return nil, "", errNoPassphrase
		}
		done := g.workingOnTerminal("Unlocking...")
		id, err := unwrap(wrapped, p)
		done()
		if errors.Is(err, crypto.ErrIncorrectPassphrase) {
			err = withHint(err, exitUnlock, "check it and try again; "+lost)
		}
		return id, p, err
	}
	tty, err := g.openTTY()
	if err != nil {
		return nil, "", errNoPassphrase
	}
	defer tty.Close()
	for left := passphraseTries; ; left-- {
		p, err := readSecretOn(tty, prompt)
		if err != nil {
			return nil, "", err
		}
		wrong := "Nothing was typed"
		err = crypto.ErrIncorrectPassphrase
		var id *crypto.Identity
		// No passphrase is empty: Enter alone is not worth seconds of
		// key derivation.
		if p != "" {
			wrong = "Wrong passphrase"
			done := g.working(tty, "Unlocking...")
			id, err = unwrap(wrapped, p)
			done()
		}
		if !errors.Is(err, crypto.ErrIncorrectPassphrase) {
			return id, p, err
		}
		if left == 1 {
			return nil, "", withHint(err, exitUnlock, fmt.Sprintf(
				"it was wrong %d times: check Caps Lock and the keyboard layout, then run the command again; %s", passphraseTries, lost))
		}
		tries := "1 try"
		if left-1 != 1 {
			tries = fmt.Sprintf("%d tries", left-1)
		}
		fmt.Fprintf(tty, "%s. Try again (%s left)\n", wrong, tries)
	}
}

// unwrap opens a key wrapped with a passphrase. Damage to the wrapped key
// is an integrity failure; a wrong passphrase is crypto's
// ErrIncorrectPassphrase.
func unwrap(wrapped []byte, p string) (*crypto.Identity, error) {
	id, err := crypto.Unwrap(wrapped, p)
	// scrypt has just spent 256 MiB. Collect it now, or the heap would
	// grow to twice that before the next collection while the command
	// reads the journal.
	runtime.GC()
	if err != nil && !errors.Is(err, crypto.ErrIncorrectPassphrase) {
		return nil, &journal.IntegrityError{Reason: err.Error()}
	}
	return id, err
}

// working draws msg on the terminal tty while something slow runs, such
// as a key derivation that takes seconds by design, and returns the
// function that takes it away: the line is erased, or, for a screen reader
// (--accessible) or a terminal that cannot erase (TERM=dumb), left as a
// line of its own. Calling it again does nothing.
func (g *globals) working(tty *os.File, msg string) (done func()) {
	if g.lineTerminal() {
		fmt.Fprintln(tty, msg)
		return func() {}
	}
	fmt.Fprint(tty, msg)
	return sync.OnceFunc(func() { fmt.Fprint(tty, "\r\x1b[K") })
}

// workingOnTerminal is working on the controlling terminal, when there
// is a person at one; otherwise it draws nothing.
func (g *globals) workingOnTerminal(msg string) (done func()) {
	if !g.interactive {
		return func() {}
	}
	tty, err := g.openTTY()
	if err != nil {
		return func() {}
	}
	erase := g.working(tty, msg)
	return sync.OnceFunc(func() {
		erase()
		tty.Close()
	})
}

// readPassphraseFile reads the first line of a file.
func readPassphraseFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", withHint(fmt.Errorf("cannot read the passphrase file %s: %w", path, err), exitUsage, "check the path given to --passphrase-file")
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return "", withHint(fmt.Errorf("the passphrase file %s is a folder", path), exitUsage, "give a file whose first line is the passphrase")
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return "", usageError("the passphrase file %s is empty", path)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readSecret asks on the controlling terminal and reads a line without
// echo, so that standard input stays free for data.
func (g *globals) readSecret(prompt string) (string, error) {
	tty, err := g.openTTY()
	if err != nil {
		return "", errNoPassphrase
	}
	defer tty.Close()
	return readSecretOn(tty, prompt)
}

// readSecretOn asks on tty and reads a line without echo. The end of the
// terminal's input (Ctrl+D) and a terminal that was closed or cannot be
// read are said as such, exit 2, with the ways to give a passphrase
// without one.
func readSecretOn(tty *os.File, prompt string) (string, error) {
	fmt.Fprint(tty, prompt)
	b, err := readNoEcho(tty)
	fmt.Fprintln(tty)
	switch {
	case errors.Is(err, io.EOF):
		return "", withHint(errors.New("no passphrase was typed: the terminal's input ended (Ctrl+D)"), exitUsage, typeItAgain)
	case err != nil:
		return "", withHint(errors.New("the terminal was closed before a passphrase was typed"), exitUsage, typeItAgain)
	}
	return string(b), nil
}

// typeItAgain is what to do when the terminal gave no passphrase.
const typeItAgain = "run the command again and type the passphrase, or give it with --passphrase-file FILE or JOURNAL_PASSPHRASE"

// newPassphrase asks for a new passphrase: from --passphrase-file, then
// the variable env names, or twice on the terminal until both agree. An
// empty passphrase is refused; a short one typed on the terminal is
// warned about once, and kept only if the person says so.
func (g *globals) newPassphrase(env string) (string, error) {
	if p := os.Getenv(env); p != "" || g.passphraseFile != "" || !g.interactive {
		var err error
		if g.passphraseFile != "" {
			p, err = readPassphraseFile(g.passphraseFile)
		} else if p == "" {
			hint := "set " + env
			if env == "JOURNAL_PASSPHRASE" {
				hint += " or use --passphrase-file FILE"
			}
			return "", withHint(errors.New("no passphrase given and no terminal to ask on"), exitUsage, hint)
		}
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(p) == "" {
			return "", usageError("the passphrase is empty or only spaces: choose one with at least a few words")
		}
		return p, nil
	}
	for range 3 {
		p, err := g.readSecret("Choose a passphrase: ")
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(p) == "" {
			fmt.Fprintln(g.err, "The passphrase cannot be empty or only spaces. A few unrelated words make a good one.")
			continue
		}
		if n := utf8.RuneCountInString(p); n < shortPassphrase {
			keep, err := g.keepShort(n)
			if err != nil {
				return "", err
			}
			if !keep {
				continue
			}
		}
		again, err := g.readSecret("Type it again: ")
		if err != nil {
			return "", err
		}
		if again != p {
			fmt.Fprintln(g.err, "The two passphrases differ. Please try again.")
			continue
		}
		return p, nil
	}
	return "", usageError("no passphrase chosen")
}

// keepShort says once that a passphrase of n characters is short, what
// that risks and what to do, and asks whether to keep it (no, unless
// chosen).
func (g *globals) keepShort(n int) (bool, error) {
	tty, err := g.openTTY()
	if err != nil {
		return false, errNoPassphrase
	}
	defer tty.Close()
	longer, err := form.Confirm(context.Background(), g.terminal(tty),
		fmt.Sprintf("This passphrase is short (%s).", countNoun(n, "character")),
		"Anyone who gets a copy of the journal file can try passphrases on it, as "+
			"many and for as long as they like: a short one can be found that way. "+
			"Four or five unrelated words, like 'violet tram seven oyster', are "+
			"stronger, and easy to remember.",
		"Choose a longer one", "Keep this one", true)
	if err != nil {
		return false, withHint(errors.New("no passphrase chosen"), exitUsage, "run the command again when you are ready")
	}
	return !longer, nil
}
