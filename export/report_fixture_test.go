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
	"time"

	"github.com/journal-dev/journal/journal"
)

// reportFixture is a small journal as a user would keep it: a course of
// conduct by one patient, a relative, a void entry, an amendment, evidence
// with images, and text in Greek and Cyrillic.
type reportFixture struct {
	timeline *Timeline
	files    map[string][]byte // by SHA-256
	options  PDFOptions
}

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04 -0700", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// testImage draws a w by h picture: a frame and a diagonal, so that its
// scaling and orientation can be seen.
func testImage(w, h int, c color.RGBA) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			col := color.RGBA{250, 250, 245, 255}
			if x < 4 || y < 4 || x >= w-4 || y >= h-4 || abs(x*h-y*w) < 3*w {
				col = c
			}
			img.Set(x, y, col)
		}
	}
	return img
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func newReportFixture() *reportFixture {
	files := map[string][]byte{}
	attach := func(name, mediaType string, data []byte, added time.Time, source string) journal.Attachment {
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])
		files[h] = data
		return journal.Attachment{Name: name, Size: int64(len(data)), SHA256: h, MediaType: mediaType, Source: source, AddedAt: added}
	}
	var pngBuf, jpgBuf, tallBuf bytes.Buffer
	png.Encode(&pngBuf, testImage(640, 400, color.RGBA{31, 58, 96, 255}))
	jpeg.Encode(&jpgBuf, testImage(800, 600, color.RGBA{170, 20, 20, 255}), &jpeg.Options{Quality: 80})
	png.Encode(&tallBuf, testImage(360, 780, color.RGBA{20, 120, 60, 255}))

	john := journal.Person{Name: "John Smith", Relation: "patient", Description: "tall, grey hooded coat, drives a red Ford Fiesta"}
	mary := journal.Person{Name: "Mary Smith", Relation: "relative"}
	in1 := &journal.Incident{
		ID: 1, RecordedAt: at("2026-10-02 19:10 +0100"),
		Fields: journal.Fields{
			OccurredAt: at("2026-10-02 08:15 +0100"), Approximate: true,
			Place: "Reception, Riverside Surgery", People: []journal.Person{john},
			Kinds: []string{"in-person", "verbal-abuse"}, Summary: "Shouted at reception when told I was not on duty",
			Details:   "He came in without an appointment and asked for me by name. When the receptionist said I was not in, he said he would wait in the car park until I came out. He left after twenty minutes.",
			Words:     "Tell her I know what time she finishes.",
			Witnesses: []journal.Witness{{Name: "Ann Lee", Contact: "01632 960123"}},
			Actions:   []string{"Told the practice manager the same day"},
			Reported:  []journal.Report{{To: "Practice manager", Reference: "RS-2026-014"}},
			Impact:    "Anxious about leaving the building alone.", Severity: "medium", Tags: []string{"surgery"},
			FirstHand: true, DailyLife: "I leave by the back door and no longer take the evening surgery alone.",
		},
		Attachments: []journal.Attachment{},
	}
	in1.Amendments = []journal.Amendment{{
		RecordedAt: at("2026-10-03 09:00 +0100"), Reason: "Ann reminded me of the time", Changed: []journal.Field{"when"},
		Previous: func() journal.Fields { f := in1.Fields; f.OccurredAt = at("2026-10-02 09:15 +0100"); return f }(),
	}}
	in2 := &journal.Incident{
		ID: 2, RecordedAt: at("2026-10-20 21:40 +0100"),
		Fields: journal.Fields{
			OccurredAt: at("2026-10-20 20:05 +0100"), Until: ptr(at("2026-10-20 21:30 +0100")),
			Place: "My mobile", People: []journal.Person{john},
			Kinds: []string{"phone-call", "text-message", "threat"}, Summary: "Eleven calls and texts in an evening from a withheld number",
			Details: "The texts came from 07700 900123. One said he had seen my car at home. He wrote to me at dr.jones@example.org as well.",
			Words:   "I'll be waiting. You can't hide from me forever.",
			Actions: []string{"Did not answer", "Kept the messages"},
			Reported: []journal.Report{{To: "Police", Reference: "CAD 1234 20/10", Officer: "PC 4521 Davies"},
				{To: "Defence organisation", Reference: "MDU-88812"}},
			Impact: "Did not sleep; asked a friend to stay.", Severity: "high", Tags: []string{"phone", "police"},
		},
		Attachments: []journal.Attachment{
			attach("screenshot-texts.png", "image/png", tallBuf.Bytes(), at("2026-10-20 21:45 +0100"), "screenshot of my phone"),
			attach("call-log.png", "image/png", pngBuf.Bytes(), at("2026-10-20 21:46 +0100"), ""),
			attach("voicemail.m4a", "audio/mp4", []byte("not really audio, but bytes with a hash"), at("2026-10-20 21:47 +0100"), "voicemail, 07700 900123"),
		},
		Amendments: []journal.Amendment{},
	}
	in3 := &journal.Incident{
		ID: 3, RecordedAt: at("2026-11-05 12:00 +0000"),
		Fields: journal.Fields{
			OccurredAt: at("2026-11-04 17:30 +0000"),
			Place:      "Staff car park", People: []journal.Person{john, mary},
			Kinds: []string{"following", "at-home"}, Summary: "Followed my car home; his mother waited at the gate",
			Details:   "I saw the red Fiesta behind me from the car park to my road. Mary Smith was standing at my gate when I arrived and said John only wants to talk. Ψ and Ж in a note left on the car.",
			Words:     "Он просто хочет поговорить. Είναι άρρωστος.",
			Witnesses: []journal.Witness{{Name: "Tom Reed", Contact: "tom.reed@example.net", Chaperone: false}},
			ToldBy:    "",
			Reported:  []journal.Report{{To: "Police", Reference: "CAD 2211 04/11"}},
			Severity:  "high",
		},
		Attachments: []journal.Attachment{
			attach("gate.jpg", "image/jpeg", jpgBuf.Bytes(), at("2026-11-05 12:05 +0000"), "photo from my doorbell camera"),
			// The same file as incident 2's: one exhibit, one mark.
			attach("voicemail.m4a", "audio/mp4", []byte("not really audio, but bytes with a hash"), at("2026-11-05 12:06 +0000"), "the same voicemail: she is heard in it"),
		},
		Amendments: []journal.Amendment{},
	}
	in4 := &journal.Incident{
		ID: 4, RecordedAt: at("2026-11-10 08:00 +0000"),
		Fields: journal.Fields{
			OccurredAt: at("2026-11-09 10:00 +0000"), People: []journal.Person{{Name: "Unknown caller", Relation: "unknown"}},
			Kinds: []string{"phone-call"}, Summary: "Silent call to the surgery", ToldBy: "Ann Lee",
		},
		Attachments: []journal.Attachment{}, Amendments: []journal.Amendment{},
		Void: &journal.Void{RecordedAt: at("2026-11-11 09:00 +0000"), Reason: "It was a fault on the phone line, BT confirmed"},
	}
	in2.EvidenceKept = "Screenshots of every text; the phone is kept switched off in a drawer."
	for _, in := range []*journal.Incident{in1, in2, in3, in4} {
		in.Fields = normalized(in.Fields)
	}
	t := NewTimeline([]*journal.Incident{in1, in2, in3, in4}, "k7qd-3mzp-xa2r-9fht-w4ne-c8vb")
	opts := PDFOptions{
		Reporter: "Dr Sam Jones", For: "Medical Defence Union, case adviser", Reference: "CAD 1234 20/10",
		Created: at("2026-11-25 09:00 +0000"), Filters: []string{"--include-void"}, Records: 9,
		Disclosures: []journal.DisclosureEntry{{RecordedAt: at("2026-11-12 16:20 +0000"), Disclosure: journal.Disclosure{
			Format: "pdf", For: "Practice manager", Filters: []string{"--from 2026-10-01"},
			SHA256: "3f1c9a0e5b7d2486f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5", Size: 48211,
			Incidents: journal.NewIncidentSet([]uint64{1, 2, 3}), Fingerprint: "b2mx-77qa-pn3d-kd9e-r4tt-fq2a", Redacted: true,
		}}},
		Evidence: func(_ *journal.Incident, a journal.Attachment) ([]byte, error) {
			data, ok := files[a.SHA256]
			if !ok {
				return nil, fmt.Errorf("no file %s", a.Name)
			}
			return data, nil
		},
	}
	opts.Exhibits, _ = Exhibits(t.Incidents, nil, opts.Reporter)
	return &reportFixture{timeline: t, files: files, options: opts}
}

// normalized makes absent lists empty, as a replayed journal has them.
func normalized(f journal.Fields) journal.Fields {
	if f.People == nil {
		f.People = []journal.Person{}
	}
	if f.Kinds == nil {
		f.Kinds = []string{}
	}
	if f.Witnesses == nil {
		f.Witnesses = []journal.Witness{}
	}
	if f.Actions == nil {
		f.Actions = []string{}
	}
	if f.Reported == nil {
		f.Reported = []journal.Report{}
	}
	if f.Tags == nil {
		f.Tags = []string{}
	}
	return f
}
