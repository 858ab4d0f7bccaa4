// Package export renders a journal's incidents for people and programs:
// plain text for the terminal and JSON in the shape the scripting contract
// fixes.
//
// Renderers take journal types and an io.Writer; they do not touch a
// terminal, and the same input always gives the same bytes.
package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/journal-dev/journal/journal"
)

// Timeline is a selection of incidents with their summary and the
// fingerprint of the journal they came from.
type Timeline struct {
	Incidents   []*journal.Incident `json:"incidents"`
	Summary     journal.Summary     `json:"summary"`
	Fingerprint string              `json:"fingerprint"`
}

// NewTimeline summarises incidents, which must be in the order they
// happened, from a journal whose fingerprint is given.
func NewTimeline(incidents []*journal.Incident, fingerprint string) *Timeline {
	if incidents == nil {
		incidents = []*journal.Incident{}
	}
	return &Timeline{Incidents: incidents, Summary: journal.Summarize(incidents), Fingerprint: fingerprint}
}

// WriteJSON writes the timeline as one indented JSON object.
//
// It writes the incidents one at a time rather than the whole object at
// once: the bytes are the same, but a timeline of many thousand incidents
// is not built up, and indented, in one buffer of tens of megabytes.
func WriteJSON(w io.Writer, t *Timeline) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	incidents := t.Incidents
	if incidents == nil {
		incidents = []*journal.Incident{}
	}
	bw.WriteString("{\n  \"incidents\": ")
	if len(incidents) == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[\n")
		var buf []byte
		var compact bytes.Buffer
		enc := json.NewEncoder(&compact)
		for i, in := range incidents {
			compact.Reset()
			if err := enc.Encode(in); err != nil {
				return err
			}
			bw.WriteString("    ")
			buf = appendIndent(buf[:0], bytes.TrimSuffix(compact.Bytes(), []byte("\n")), "    ", "  ")
			bw.Write(buf)
			if i < len(incidents)-1 {
				bw.WriteByte(',')
			}
			bw.WriteByte('\n')
		}
		bw.WriteString("  ]")
	}
	summary, err := json.MarshalIndent(t.Summary, "  ", "  ")
	if err != nil {
		return err
	}
	fingerprint, err := json.Marshal(t.Fingerprint)
	if err != nil {
		return err
	}
	bw.WriteString(",\n  \"summary\": ")
	bw.Write(summary)
	bw.WriteString(",\n  \"fingerprint\": ")
	bw.Write(fingerprint)
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// WriteIncidentJSON writes one incident as an indented JSON object.
func WriteIncidentJSON(w io.Writer, in *journal.Incident) error {
	return writeJSON(w, in)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// appendIndent appends compact JSON, as json.Marshal writes it, indented
// as json.MarshalIndent would indent it. It is several times faster than
// json.Indent, which examines every byte of every string.
func appendIndent(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// Copy the string whole: find its closing quote, skipping
			// escaped characters.
			j := i + 1
			for j < len(src) {
				k := bytes.IndexAny(src[j:], `"\`)
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				if src[j] == '\\' {
					j += 2
					continue
				}
				break
			}
			end := min(j+1, len(src))
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			dst = append(dst, c)
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
