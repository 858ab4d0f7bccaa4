package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

type initOptions struct {
	classic bool
}

func newInitCommand(g *globals) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a new journal, protected by a passphrase",
		Long: `Create a new, empty journal file and choose its passphrase.

The journal gets its own age key, post-quantum by default. The key is kept
in the journal file, encrypted with your passphrase. If you lose the
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
	cmd.Flags().BoolVar(&o.classic, "classic", false, "use a classic X25519 key, for hardware keys and SSH recipients, instead of post-quantum")
	return cmd
}

func runInit(g *globals, o initOptions) error {
	path, err := g.path()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
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
	id, err := crypto.Generate(o.classic)
	if err != nil {
		return err
	}
	wrapped, err := crypto.Wrap(id, pass)
	if err != nil {
		return err
	}
	err = journal.Create(path, &journal.Meta{WrappedIdentity: wrapped, Recipients: []string{id.Recipient()}})
	if errors.Is(err, journal.ErrExists) {
		return withHint(fmt.Errorf("a journal already exists at %s", path), exitUsage, "it was left untouched")
	}
	if err != nil {
		return err
	}
	kind := "post-quantum (ML-KEM-768 + X25519)"
	if o.classic {
		kind = "classic (X25519)"
	}
	fmt.Fprintf(g.err, `Created a journal at %s with a %s key.

Record an incident with 'journal add'. Adding never asks for the passphrase;
reading does.

If you lose the passphrase, the journal is lost: nobody can open it, not even
you. Run 'journal key export' and keep the key on paper or a USB stick
somewhere safe and offline.
`, path, kind)
	return nil
}
