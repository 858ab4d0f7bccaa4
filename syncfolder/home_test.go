package syncfolder

import (
	"os"
	"testing"

	"github.com/journal-dev/journal/internal/hometest"
)

// TestMain runs the tests in a home of their own: no test reads or writes
// the user's configuration, journal or unlock agent.
func TestMain(m *testing.M) {
	remove := hometest.Isolate()
	code := m.Run()
	remove()
	os.Exit(code)
}
