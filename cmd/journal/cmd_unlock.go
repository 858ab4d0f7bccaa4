package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/agent"
	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

type unlockOptions struct {
	lifetime time.Duration
	idle     time.Duration
}

// agentCommand is the hidden command the unlock agent runs as.
const agentCommand = "__agent"

func newUnlockCommand(g *globals) *cobra.Command {
	var o unlockOptions
	cmd := &cobra.Command{
		Use:   "unlock",
		Short: "Unlock the journal once, for the next commands of a working session",
		Long: `Ask for the passphrase once and keep the journal unlocked for a while, so
that timeline, show, export and the other reading commands do not ask
again. Preparing for a meeting, you can then run several of them in a row.

The key is kept by a small background process, in its memory only: it is
never written to disk, the passphrase itself is not kept, and where the
system allows it the memory is locked so that it is not written to swap
either. Only you (your user on this computer) can use it. It forgets the
key when the time given with --for is up, sooner if it has not been used
for the time given with --idle, and at once with 'journal lock'. Running
'journal unlock' again starts the time again.

While the journal is unlocked, anyone who can use your account on this
computer can read it without the passphrase: lock it before you leave
the computer.`,
		Example: `  journal unlock
  journal unlock --for 1h
  journal timeline && journal show 12 && journal export --pdf -o report.pdf
  journal lock`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runUnlock(g, o)
		},
	}
	cmd.Flags().DurationVar(&o.lifetime, "for", 15*time.Minute, "keep the journal unlocked for `DURATION` (such as 15m or 2h)")
	cmd.Flags().DurationVar(&o.idle, "idle", 10*time.Minute, "lock it sooner once it has not been used for `DURATION` (0 for no limit)")
	return cmd
}

func runUnlock(g *globals, o unlockOptions) error {
	if o.lifetime <= 0 || o.lifetime > 24*time.Hour {
		return usageError("--for: give a time between 1s and 24h, such as 15m or 2h")
	}
	if o.idle < 0 {
		return usageError("--idle: give a time such as 10m, or 0 for no limit")
	}
	var path string
	u := g.ownKey("unlock with the passphrase or the journal's own key")
	u.check = func(m *journal.Meta) (err error) {
		path, err = agent.SocketPath(m.Recipients[0])
		return err
	}
	m, err := g.unlockOnly(u)
	if err != nil {
		return err
	}
	id := u.id
	// An agent already running is replaced: unlocking again starts the
	// time again.
	if c, err := agent.Dial(m.Recipients[0]); err == nil {
		c.Lock()
		c.Close()
		waitGone(path)
	}
	until := time.Now().Add(o.lifetime)
	locked, err := startAgent(path, id, agent.Limits{Until: until, Idle: o.idle})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Unlocked until %s", until.Local().Format("15:04"))
	if o.idle > 0 && o.idle < o.lifetime {
		msg += fmt.Sprintf(", or until it has not been used for %s", durationWords(o.idle))
	}
	fmt.Fprintf(g.err, "%s. 'journal lock' locks it now.\n", msg)
	if !locked {
		fmt.Fprintln(g.err, "This system did not let the agent lock its memory: the key could be written to swap while it is unlocked.")
	}
	return nil
}

// waitGone waits, briefly, for an agent that was asked to end to remove
// its socket.
func waitGone(path string) {
	for range 50 {
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// durationWords says a duration the way a person does.
func durationWords(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return countNoun(int(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return countNoun(int(d/time.Minute), "minute")
	case d%time.Second == 0:
		return countNoun(int(d/time.Second), "second")
	}
	return d.String()
}

// newAgentCommand is the unlock agent itself, started by 'journal unlock'
// and hidden from help. It reads the identity from standard input, never
// from a flag or the environment, and says on standard output when it is
// ready.
func newAgentCommand() *cobra.Command {
	var socket string
	var until int64
	var idle time.Duration
	cmd := &cobra.Command{
		Use:    agentCommand,
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAgent(cmd.InOrStdin(), cmd.OutOrStdout(), socket, agent.Limits{Until: time.Unix(until, 0), Idle: idle})
		},
	}
	cmd.Flags().StringVar(&socket, "socket", "", "")
	cmd.Flags().Int64Var(&until, "until", 0, "")
	cmd.Flags().DurationVar(&idle, "idle", 0, "")
	return cmd
}

// runAgent locks its memory before the key is read into it, then serves
// until its limits end it.
func runAgent(in io.Reader, out io.Writer, socket string, limits agent.Limits) error {
	locked := agent.LockMemory()
	line, err := bufio.NewReader(io.LimitReader(in, 64<<10)).ReadString('\n')
	if err != nil {
		fmt.Fprintln(out, "error: no key given")
		return err
	}
	id, err := crypto.ParseIdentity(strings.TrimSpace(line))
	if err != nil {
		fmt.Fprintln(out, "error: the key given is not an age identity")
		return err
	}
	ln, err := agent.Listen(socket)
	if err != nil {
		fmt.Fprintln(out, "error:", err)
		return err
	}
	fmt.Fprintf(out, "ready %v\n", locked)
	if f, ok := out.(*os.File); ok {
		f.Close()
	}
	return agent.Serve(ln, id, limits)
}
