package progress

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)
	p := startOn(&out, 80, "Verifying", 12000, "records", func() time.Time { return clock })

	// Quick operations show nothing.
	p.Add(100)
	clock = clock.Add(400 * time.Millisecond)
	p.Add(100)
	if out.Len() != 0 {
		t.Fatalf("progress drawn before %v: %q", Delay, out.String())
	}

	clock = clock.Add(200 * time.Millisecond)
	p.Add(1000)
	if got, want := out.String(), "\rVerifying: 1,200 of 12,000 records (10%)\x1b[K"; got != want {
		t.Fatalf("progress line = %q, want %q", got, want)
	}

	// Not redrawn more often than every every.
	out.Reset()
	clock = clock.Add(10 * time.Millisecond)
	p.Add(1)
	if out.Len() != 0 {
		t.Fatalf("progress redrawn after 10ms: %q", out.String())
	}
	clock = clock.Add(every)
	p.Add(10799)
	if got, want := out.String(), "\rVerifying: 12,000 of 12,000 records (100%)\x1b[K"; got != want {
		t.Fatalf("progress line = %q, want %q", got, want)
	}

	// Done clears the line.
	out.Reset()
	p.Done()
	if got := out.String(); got != "\r\x1b[K" {
		t.Fatalf("Done wrote %q, want the line cleared", got)
	}
}

func TestProgressBytesAndWidth(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)
	p := startOn(&out, 30, "Attaching voicemail-2026-11-24.m4a", 45_600_000, "", func() time.Time { return clock })
	clock = clock.Add(time.Second)
	buf := make([]byte, 12_345_678)
	if _, err := io.ReadFull(p.Reader(strings.NewReader(strings.Repeat("x", len(buf)))), buf); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if want := "\rAt…: 12.3 MB of 45.6 MB (27%)\x1b[K"; got != want {
		t.Fatalf("progress in 30 columns = %q, want %q", got, want)
	}
	p.width = 200
	clock = clock.Add(time.Second)
	out.Reset()
	p.Add(0)
	if want := "12.3 MB of 45.6 MB (27%)"; !strings.Contains(out.String(), want) {
		t.Fatalf("progress = %q, want it to say %q", out.String(), want)
	}
}

// TestProgressNotOnPipes checks that nothing is shown when standard error
// is not a terminal: a file, a pipe, a buffer.
func TestProgressNotOnPipes(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, errOut := range []io.Writer{f, w, &bytes.Buffer{}} {
		if p := Start(errOut, "Verifying", 10, "records"); p != nil {
			t.Errorf("Start on %T = %v, want nil", errOut, p)
		}
	}
	// A nil line is safe to use.
	var p *Line
	p.Add(1)
	p.Done()
	if got := p.Reader(strings.NewReader("x")); got == nil {
		t.Error("nil progress Reader returned nil")
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 12_345_678: "12.3 MB", 4_500_000_000: "4.5 GB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
