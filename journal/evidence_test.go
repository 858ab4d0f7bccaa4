package journal_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

// fullDisk is a sealer whose sealed streams stop, as on a full disk,
// after limit bytes have been written.
type fullDisk struct {
	*crypto.Sealer
	limit int
}

func (f fullDisk) SealStream(dst io.Writer) (io.WriteCloser, error) {
	return f.Sealer.SealStream(&filling{w: dst, left: f.limit})
}

type filling struct {
	w    io.Writer
	left int
}

func (f *filling) Write(p []byte) (int, error) {
	if len(p) > f.left {
		return 0, syscall.ENOSPC
	}
	f.left -= len(p)
	return f.w.Write(p)
}

// assertNothingLeft fails unless the journal holds no incident and no
// stored evidence: what a user sees after a failed add.
func assertNothingLeft(t *testing.T, s *journal.Store, sealer *crypto.Sealer) {
	t.Helper()
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Incidents) != 0 {
		t.Errorf("after a failed add the journal holds %d incidents, want none", len(st.Incidents))
	}
	if has, err := s.HasBlobs(); has || err != nil {
		t.Errorf("after a failed add HasBlobs = %v, %v; want no evidence left behind", has, err)
	}
}

func TestAddIncidentWithEvidence(t *testing.T) {
	s, sealer := openJournal(t)
	ev := []journal.Evidence{
		{Name: "/home/sam/Pictures/photo.jpg", R: bytes.NewReader(pattern(3 << 20))},
		{Name: "/home/sam/Desktop/photo.jpg", R: strings.NewReader("second photo")},
	}
	var told []string
	progress := func(name string, size int64, r io.Reader) (io.Reader, func()) {
		told = append(told, name)
		return r, func() { told = append(told, "done") }
	}
	recs, err := s.AddIncident(sealer, incident("letter through the door", t0), ev, progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("AddIncident returned %d attachment records, want 2", len(recs))
	}
	want := "/home/sam/Pictures/photo.jpg done /home/sam/Desktop/photo.jpg done"
	if got := strings.Join(told, " "); got != want {
		t.Errorf("progress was told %q, want %q", got, want)
	}
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	in := st.Incident(1)
	if in == nil || len(in.Attachments) != 2 {
		t.Fatalf("incident 1 = %+v, want it with two files", in)
	}
	for i, name := range []string{"photo.jpg", "photo-2.jpg"} {
		a := in.Attachments[i]
		if a.Name != name || a.Source != "photo.jpg" {
			t.Errorf("file %d named %q from %q, want %q from photo.jpg (never its folder)", i+1, a.Name, a.Source, name)
		}
	}
	var got bytes.Buffer
	if err := s.ReadBlob(sealer, &in.Attachments[0], &got); err != nil || !bytes.Equal(got.Bytes(), pattern(3<<20)) {
		t.Fatalf("the first file reads back as %d bytes, %v; want the 3 MiB given", got.Len(), err)
	}
}

func TestAddIncidentLeavesNothingBehind(t *testing.T) {
	for _, tc := range []struct {
		name   string
		second io.Reader
		sealer func(*crypto.Sealer) journal.EvidenceSealer
		want   string
	}{
		// The second file's disk fails half way, after the first file
		// was stored whole.
		{"file unreadable half way", &failingReader{n: 5 << 20}, nil, "input/output error"},
		// The journal's disk fills while the second file is stored.
		{"full disk", bytes.NewReader(pattern(8 << 20)),
			func(s *crypto.Sealer) journal.EvidenceSealer { return fullDisk{s, 4 << 20} }, "no space left on device"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, sealer := openJournal(t)
			var es journal.EvidenceSealer = sealer
			if tc.sealer != nil {
				es = tc.sealer(sealer)
			}
			ev := []journal.Evidence{
				{Name: "first.jpg", R: strings.NewReader("a whole first file")},
				{Name: "second.mov", R: tc.second},
			}
			recs, err := s.AddIncident(es, incident("voicemail", t0), ev, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was recorded") {
				t.Fatalf("AddIncident = %v, want an error saying %q and that nothing was recorded", err, tc.want)
			}
			if recs != nil {
				t.Errorf("AddIncident returned %d records with its error", len(recs))
			}
			assertNothingLeft(t, s, sealer)
		})
	}
}

func TestAddIncidentRefusedLeavesNoEvidence(t *testing.T) {
	path, sealer := newJournal(t)
	// Opened without this computer's device key: the append is refused
	// after every file was stored.
	s, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ev := []journal.Evidence{{Name: "letter.pdf", R: strings.NewReader("%PDF-1.4 a letter")}}
	if _, err := s.AddIncident(sealer, incident("letter", t0), ev, nil); !errors.Is(err, journal.ErrNotEnrolled) {
		t.Fatalf("AddIncident on a store without a device = %v, want ErrNotEnrolled", err)
	}
	assertNothingLeft(t, s, sealer)
}

func TestAttachKeepsNamesUniqueOrAddsNothing(t *testing.T) {
	s, sealer := openJournal(t)
	if _, err := s.AddIncident(sealer, incident("shouting", t0),
		[]journal.Evidence{{Name: "recording.m4a", R: strings.NewReader("first")}}, nil); err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	in := st.Incident(1)
	// A failing second file: the first is not attached either.
	_, err = s.Attach(sealer, in, []journal.Evidence{
		{Name: "note.txt", R: strings.NewReader("a note")},
		{Name: "recording.m4a", R: &failingReader{n: 100}},
	}, t0, nil)
	if err == nil || !strings.Contains(err.Error(), "nothing was recorded") {
		t.Fatalf("Attach with a failing file = %v, want nothing recorded", err)
	}
	recs, err := s.Attach(sealer, in, []journal.Evidence{{Name: "Recording.m4a", R: strings.NewReader("second")}}, t0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Incident != 1 || recs[0].Attachment.Name != "Recording-2.m4a" {
		t.Fatalf("Attach = %+v, want one record for incident 1 named Recording-2.m4a", recs)
	}
	st, err = s.Load(sealer)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(st.Incident(1).Attachments); n != 2 {
		t.Errorf("incident 1 has %d files, want 2 (the failed attach added none)", n)
	}
	if o, err := s.OrphanBlobs(st); len(o) != 0 || err != nil {
		t.Errorf("OrphanBlobs = %v, %v; want none", o, err)
	}
}

func TestOpenEvidence(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(good, []byte("jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, want string
	}{
		{filepath.Join(dir, "missing.jpg"), "no such file or directory"},
		{dir, "not a regular file"},
	} {
		files, err := journal.OpenEvidence([]string{good, tc.path})
		var ee *journal.EvidenceError
		if !errors.As(err, &ee) || ee.Path != tc.path || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("OpenEvidence(%s) = %v, want an EvidenceError naming it: %s", tc.path, err, tc.want)
		}
		if files != nil {
			t.Errorf("OpenEvidence(%s) returned files with its error", tc.path)
		}
	}
	files, err := journal.OpenEvidence([]string{good})
	if err != nil {
		t.Fatal(err)
	}
	defer files[0].Close()
	if ev := journal.EvidenceOf(files); len(ev) != 1 || ev[0].Size != 4 || ev[0].Name != good {
		t.Errorf("EvidenceOf = %+v, want photo.jpg of 4 bytes", ev)
	}
}
