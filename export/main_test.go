package export

import (
	"os"
	"testing"
	"time"

	"github.com/journal-dev/journal/internal/hometest"
)

// TestMain reads every test's times in UTC: screen renderers name a time's
// offset only where it is not the reader's own, and the golden files are
// written for a reader in UTC. They run in a home of their own.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	remove := hometest.Isolate()
	code := m.Run()
	remove()
	os.Exit(code)
}
