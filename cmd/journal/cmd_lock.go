package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/agent"
)

func newLockCommand(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "lock",
		Short: "Lock the journal now: forget the key 'journal unlock' kept",
		Long: `Lock the journal at once: the background process that 'journal unlock'
started forgets the key and ends. Reading commands then ask for the
passphrase again. Locking a journal that is not unlocked does nothing.`,
		Example: `  journal lock`,
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLock(g)
		},
	}
}

func runLock(g *globals) error {
	m, err := g.readMeta()
	if err != nil {
		return err
	}
	c, err := agent.Dial(m.Recipients[0])
	if errors.Is(err, agent.ErrNoAgent) {
		fmt.Fprintln(g.err, "The journal was not unlocked.")
		return nil
	}
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Lock(); err != nil {
		return fmt.Errorf("could not lock the journal: %w", err)
	}
	fmt.Fprintln(g.err, "Locked.")
	return nil
}
