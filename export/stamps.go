package export

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/journal-dev/journal/journal"
)

// Proof of time in the exports. Each timestamp token goes with the report
// as a file (named by [TokenFile]), with the chain head it stamps in hex,
// so that anyone can check it with openssl alone:
//
//	openssl ts -verify -digest HEAD -in stamp-1.tsr -CAfile ROOT.pem
//
// JSON and Markdown carry the token in base64; the PDF carries it as an
// attached file.

// TokenFile is the name a stamp's token file goes by in a report.
func TokenFile(n int) string { return fmt.Sprintf("stamp-%d.tsr", n) }

// stampJSON is a stamp as the JSON export writes it.
type stampJSON struct {
	Records     uint64    `json:"records"`
	Head        string    `json:"head_sha256"`
	Fingerprint string    `json:"fingerprint"`
	Authority   string    `json:"authority"`
	URL         string    `json:"url"`
	Time        time.Time `json:"time"`
	File        string    `json:"token_file"`
	Token       string    `json:"token"`
	Check       string    `json:"check"`
	// Covers spells out the head stamped, device by device, the same on
	// every computer (Records is the count of the computer that took it).
	Covers *journal.Covers `json:"covers,omitempty"`
	// Holds says whether the stamp proves what it covers here (its list
	// of records and its token hold); CarriedRoot names the root the
	// journal carries that its token holds only by.
	Holds       bool                 `json:"holds"`
	CarriedRoot *journal.CarriedRoot `json:"carried_root,omitempty"`
}

// opensslCommand is the command that checks stamp n with openssl.
func opensslCommand(n int, s *journal.StampEntry) string {
	return fmt.Sprintf("openssl ts -verify -digest %s -in %s -CAfile ROOT.pem", s.Head, TokenFile(n))
}

// headFingerprint is the fingerprint of the chain head a stamp covers, as
// `journal verify --fingerprint` takes it.
func headFingerprint(s *journal.StampEntry) string { return hexFingerprint(s.Head) }

// hexFingerprint is the fingerprint of a chain head written in hex, as
// stamps and witnessed checkpoints record it; empty if it is not one.
func hexFingerprint(head string) string {
	var h [32]byte
	if b, err := hex.DecodeString(head); err == nil && len(b) == 32 {
		copy(h[:], b)
		return journal.Fingerprint(h)
	}
	return ""
}

// stampStanding says what a reader must know of a stamp before relying on
// it: that it proves nothing here, or that its token holds only by a root
// the journal carries. Empty for a stamp that holds by a root this
// computer trusts.
func stampStanding(s *journal.StampEntry) string {
	switch {
	case !s.Holds:
		return "it proves nothing: its token, or its list of the records it covers, does not hold ('journal verify' says why)"
	case s.CarriedRoot != nil:
		return "its token holds by a root certificate (\"" + s.CarriedRoot.Name + "\") that this journal carries, not one of the " +
			"computer's own: whoever made the journal could have made it, so the time holds only for someone who trusts it as " +
			"the authority's. Check its SHA-256 fingerprint " + s.CarriedRoot.Fingerprint() + " with the authority"
	}
	return ""
}

// writeStampsJSON writes the "stamps" member of the JSON export.
func writeStampsJSON(bw *bufio.Writer, stamps []journal.StampEntry) error {
	out := make([]stampJSON, len(stamps))
	for i := range stamps {
		s := &stamps[i]
		out[i] = stampJSON{Records: s.Seq, Head: s.Head, Fingerprint: headFingerprint(s), Authority: s.Authority,
			URL: s.URL, Time: s.Time, File: TokenFile(i + 1), Token: base64.StdEncoding.EncodeToString(s.Reply),
			Check: opensslCommand(i+1, s), Covers: s.Covers, Holds: s.Holds, CarriedRoot: s.CarriedRoot}
	}
	b, err := json.MarshalIndent(out, "  ", "  ")
	if err != nil {
		return err
	}
	bw.WriteString(",\n  \"stamps\": ")
	bw.Write(b)
	return nil
}

// writeStampsMarkdown writes the proof of time section of the Markdown
// export: per stamp what it covers, the head, the token and how to check.
func writeStampsMarkdown(p *printer, stamps []journal.StampEntry) {
	p.line("## Proof of time")
	p.line("")
	p.line("A timestamp authority signed that the journal's chain head existed at the time it states; every record up to that head, so every incident recorded before it, existed by then. Each token below can be checked by anyone with openssl and the authority's root certificate: save the base64 text as a file, decode it (`base64 -d stamp-1.b64 > stamp-1.tsr`), and run the command shown. It prints `Verification: OK`.")
	for i := range stamps {
		s := &stamps[i]
		p.line("")
		p.line("### Stamp %d: %s, %s", i+1, s.Authority, s.Time.UTC().Format("2 Jan 2006 15:04:05 MST"))
		p.line("")
		p.line("- Covers: every record the computer that took it held then (fingerprint `%s`); each incident it proves names it under Proven", headFingerprint(s))
		if w := stampStanding(s); w != "" {
			p.line("- Note: %s", w)
		}
		p.line("- Chain head (SHA-256): `%s`", s.Head)
		p.line("- Check: `%s`", opensslCommand(i+1, s))
		p.line("")
		p.line("```")
		enc := base64.StdEncoding.EncodeToString(s.Reply)
		for len(enc) > 76 {
			p.line("%s", enc[:76])
			enc = enc[76:]
		}
		p.line("%s", enc)
		p.line("```")
	}
	p.line("")
}
