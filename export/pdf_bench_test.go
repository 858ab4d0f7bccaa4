//go:build unix

package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/journal-dev/journal/journal"
)

// largeJournal makes n incidents over two years, with images evidence
// files spread among them: half phone photos (JPEG, 2000x1500, noisy like
// a photograph), half phone screenshots (PNG, 1080x2340).
func largeJournal(n, images int) (*Timeline, map[string][]byte) {
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string][]byte{}
	start := at("2025-01-01 08:00 +0000")
	people := []journal.Person{{Name: "John Smith", Relation: "patient"}, {Name: "Mary Smith", Relation: "relative"},
		{Name: "Unknown caller", Relation: "unknown"}}
	var incidents []*journal.Incident
	for i := range n {
		when := start.Add(time.Duration(i) * 17 * time.Hour)
		in := &journal.Incident{ID: uint64(i + 1), RecordedAt: when.Add(3 * time.Hour), Attachments: []journal.Attachment{},
			Amendments: []journal.Amendment{},
			Fields: normalized(journal.Fields{
				OccurredAt: when, Place: fmt.Sprintf("Surgery car park, bay %d", i%40),
				People: []journal.Person{people[i%3]}, Kinds: []string{journal.Kinds[i%len(journal.Kinds)]},
				Summary:   fmt.Sprintf("Incident number %d: waited by my car and followed me to the door", i+1),
				Details:   "He was standing by the driver's door when I came out of the evening surgery. He said he needed to talk to me about his prescription and would not leave. I went back inside and asked the receptionist to call the practice manager, who asked him to leave. He waited at the gate for another twenty minutes.",
				Words:     "You can't keep avoiding me. I know which car is yours.",
				Witnesses: []journal.Witness{{Name: "Ann Lee", Contact: "01632 960123"}},
				Actions:   []string{"Told him the contact was not appropriate"},
				Reported:  []journal.Report{{To: "Practice manager", Reference: fmt.Sprintf("RS-%d", i)}},
				Impact:    "Anxious leaving work", Severity: journal.Severities[i%3],
			}),
		}
		if i%7 == 0 {
			in.Amendments = append(in.Amendments, journal.Amendment{RecordedAt: in.RecordedAt.Add(time.Hour), Reason: "wrong bay", Previous: in.Fields})
		}
		incidents = append(incidents, in)
	}
	for k := range images {
		var b bytes.Buffer
		typ, name := "image/jpeg", fmt.Sprintf("photo-%02d.jpg", k)
		if k%2 == 0 {
			img := image.NewRGBA(image.Rect(0, 0, 2000, 1500))
			for p := 0; p < len(img.Pix); p += 4 {
				v := uint8(100 + rng.IntN(60))
				img.Pix[p], img.Pix[p+1], img.Pix[p+2], img.Pix[p+3] = v, v+uint8(k), v/2, 255
			}
			jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
		} else {
			typ, name = "image/png", fmt.Sprintf("screenshot-%02d.png", k)
			png.Encode(&b, testImage(1080, 2340, color.RGBA{uint8(k * 5), 80, 160, 255}))
		}
		sum := sha256.Sum256(b.Bytes())
		h := hex.EncodeToString(sum[:])
		files[h] = b.Bytes()
		in := incidents[k*n/images]
		in.Attachments = append(in.Attachments, journal.Attachment{Name: name, MediaType: typ, Size: int64(b.Len()), SHA256: h, AddedAt: in.RecordedAt})
	}
	return NewTimeline(incidents, "k7qd-3mzp-xa2r-9fht-w4ne-c8vb"), files
}

// BenchmarkPDFLarge writes the report of 1,000 incidents, without images
// and with 50.
func BenchmarkPDFLarge(b *testing.B) {
	for _, images := range []int{0, 50} {
		b.Run(fmt.Sprintf("images=%d", images), func(b *testing.B) {
			t, files := largeJournal(1000, images)
			o := PDFOptions{Created: at("2026-11-25 09:00 +0000"), Records: 1100,
				Evidence: func(_ *journal.Incident, a journal.Attachment) ([]byte, error) { return files[a.SHA256], nil }}
			var size int
			cpu0 := cpuTime()
			for b.Loop() {
				var cw countWriter
				if _, err := WritePDF(&cw, t, o); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(size)/(1<<20), "MiB/report")
			// CPU time says more than the wall clock on a shared machine.
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// cpuTime is the processor time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
