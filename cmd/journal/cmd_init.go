package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

type initOptions struct {
	classic bool
	name    string
	// fromAdd is set when 'journal add' creates the journal on first use:
	// the incident is asked for next, so "record one with 'journal add'"
	// is not said.
	fromAdd bool
}

// deviceName is the name this computer is enrolled under: --name, or the
// computer's host name.
func (o initOptions) deviceName() string {
	if o.name != "" {
		return o.name
	}
	return hostName()
}

// hostName is the computer's name, or "this computer".
func hostName() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "this computer"
}

func newInitCommand(g *globals) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a new journal, protected by a passphrase",
		Long: `Create a new, empty journal file and choose its passphrase.

The journal gets its own age key, post-quantum by default. The key is kept
in the journal file, encrypted with your passphrase. This computer becomes
the journal's first device: its own signing key is kept in your
configuration folder (~/.config/journal), never in the journal file, and
signs every record it adds, without the passphrase. If you lose the
passphrase, nobody can open the journal, not even you: run
'journal key export' and keep the key somewhere safe and offline.`,
		Example: `  journal init
  JOURNAL_PASSPHRASE=... journal init --file ~/work-journal.db
  journal init --classic`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runInit(g, o)
		},
	}
	cmd.Flags().StringVar(&o.name, "name", "", "the `NAME` this computer is known by among the journal's devices (default: its host name)")
	cmd.Flags().BoolVar(&o.classic, "classic", false, "use a classic X25519 key, for hardware keys and SSH recipients, instead of post-quantum")
	return cmd
}

func runInit(g *globals, o initOptions) error {
	path, err := g.path()
	if err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return withHint(fmt.Errorf("%s is a folder", path), exitUsage,
				"give a file name for the journal, like "+filepath.Join(path, "journal.db"))
		}
		return withHint(fmt.Errorf("a journal already exists at %s", path), exitUsage,
			"it was left untouched; use --file to create another one elsewhere")
	}
	if g.interactive {
		fmt.Fprintf(g.err, "Creating a new journal at %s.\n", path)
		fmt.Fprintln(g.err, "Choose a passphrase you will remember: without it, nobody can read the journal, not even you.")
	}
	pass, err := g.newPassphrase("JOURNAL_PASSPHRASE")
	if err != nil {
		return err
	}
	// Wrapping the key takes seconds, on purpose (scrypt).
	done := g.workingOnTerminal("Creating the journal...")
	id, err := crypto.Generate(o.classic)
	if err != nil {
		done()
		return err
	}
	wrapped, err := crypto.Wrap(id, pass)
	done()
	if err != nil {
		return err
	}
	meta := &journal.Meta{WrappedIdentity: wrapped, Recipients: []string{id.Recipient()}}
	_, err = journal.CreateWithDevice(path, meta, id.OwnerKey(), o.deviceName())
	if err == nil {
		journal.SaveAddressKey(meta.ID, id.AddressKey())
	}
	if errors.Is(err, journal.ErrExists) {
		return withHint(fmt.Errorf("a journal already exists at %s", path), exitUsage, "it was left untouched")
	}
	if err != nil {
		return err
	}
	if err := journal.Repin(path); err != nil {
		return err
	}
	kind := "post-quantum (ML-KEM-768 + X25519)"
	if o.classic {
		kind = "classic (X25519)"
	}
	next := "Record an incident with 'journal add'. Adding never asks for the passphrase;\nreading does."
	if o.fromAdd {
		next = "Adding never asks for the passphrase; reading does."
	}
	fmt.Fprintf(g.err, `Created a journal at %s with a %s key.

%s

If you lose the passphrase, the journal is lost: nobody can open it, not even
you. Run 'journal key export' and keep the key on paper or a USB stick
somewhere safe and offline.
`, path, kind, next)
	return nil
}
