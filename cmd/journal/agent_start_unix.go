//go:build unix

package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/journal-dev/journal/agent"
	"github.com/journal-dev/journal/crypto"
)

// agentStartTimeout is how long 'journal unlock' waits for the agent to
// say it is ready.
const agentStartTimeout = 10 * time.Second

// startAgent starts the unlock agent in the background, in a session of
// its own so that closing the terminal does not end it, and hands it the
// identity through a pipe. It reports whether the agent locked its
// memory.
func startAgent(socket string, id *crypto.Identity, limits agent.Limits) (locked bool, err error) {
	exe, err := os.Executable()
	if err != nil {
		return false, fmt.Errorf("cannot start the unlock agent: %w", err)
	}
	cmd := &exec.Cmd{
		Path: exe,
		Args: []string{os.Args[0], agentCommand, "--socket", socket,
			"--until", strconv.FormatInt(limits.Until.Unix(), 10), "--idle", limits.Idle.String()},
		SysProcAttr: &syscall.SysProcAttr{Setsid: true},
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return false, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return false, err
	}
	if err := cmd.Start(); err != nil {
		return false, fmt.Errorf("cannot start the unlock agent: %w", err)
	}
	go func() {
		stdin.Write([]byte(id.String() + "\n"))
		stdin.Close()
	}()
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- strings.TrimSpace(line)
	}()
	select {
	case line := <-ready:
		if rest, ok := strings.CutPrefix(line, "ready "); ok {
			go cmd.Wait() // reaps nothing: this process ends first
			cmd.Process.Release()
			return rest == "true", nil
		}
		cmd.Process.Kill()
		cmd.Wait()
		if msg, ok := strings.CutPrefix(line, "error: "); ok {
			return false, errors.New(msg)
		}
		return false, errors.New("the unlock agent did not start")
	case <-time.After(agentStartTimeout):
		cmd.Process.Kill()
		return false, errors.New("the unlock agent did not start in time")
	}
}
