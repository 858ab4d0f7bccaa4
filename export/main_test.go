package export

import (
	"os"
	"testing"
	"time"
)

// TestMain reads every test's times in UTC: screen renderers name a time's
// offset only where it is not the reader's own, and the golden files are
// written for a reader in UTC.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}
