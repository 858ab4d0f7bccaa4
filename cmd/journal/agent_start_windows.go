package main

import (
	"errors"

	"github.com/journal-dev/journal/agent"
	"github.com/journal-dev/journal/crypto"
)

// startAgent is not available on Windows yet: there is no way there to
// check which user is at the other end of the agent's socket.
func startAgent(string, *crypto.Identity, agent.Limits) (bool, error) {
	return false, errors.New("'journal unlock' is not available on Windows yet: each command asks for the passphrase")
}
