package export

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/journal-dev/journal/journal"
)

// redactionCorpus is a journal as a frightened doctor writes it: names as
// entered and as they come up in the account (first names, surnames, the
// short form the family uses, initials on a card), witnesses and a
// neighbour who told her, officers, the surgery and her home by name and
// address, postcodes, phone numbers, emails, a car's registration, tags
// and evidence files named after the man.
func redactionCorpus() *Timeline {
	day := func(s string) journal.Fields {
		return normalized(journal.Fields{OccurredAt: at(s), FirstHand: true})
	}
	f1 := day("2026-10-01 08:15 +0100")
	f1.Place = "Reception, Riverside Surgery, 14 Elm Road, Leeds LS6 2AB"
	f1.People = []journal.Person{{Name: "John Evans", Relation: "patient", Description: "grey coat, drives a blue Ford Fiesta AB12 CDE"}}
	f1.Kinds = []string{"in-person", "verbal-abuse"}
	f1.Summary = "John Evans shouted at reception"
	f1.Details = "Jack (as the staff call him) asked for me by name. Mr Evans said he knew I lived on Oak Lane, LS6 4XY. Ann saw it all."
	f1.Words = "Tell her Johnny knows where she lives"
	f1.Witnesses = []journal.Witness{{Name: "Ann Lee", Contact: "01632 960123", Chaperone: true}}
	f1.Reported = []journal.Report{{To: "Practice manager", Reference: "RS-2026-014"}}
	f1.Tags = []string{"evans", "reception"}

	f2 := day("2026-10-09 21:40 +0100")
	f2.Place = "My mobile"
	f2.People = []journal.Person{{Name: "John Evans", Relation: "patient"}}
	f2.Kinds = []string{"text-message"}
	f2.Summary = "Eleven texts from Evans"
	f2.Details = "From 07700 900123 and from john.evans1970@example.com. He signed one J.E. and another JE."
	f2.Reported = []journal.Report{{To: "Police", Reference: "CAD 1234 09/10", Officer: "PC 4521 Davies"}}
	f2.EvidenceKept = "Screenshots of Evans's texts kept on my phone"

	f3 := day("2026-10-20 17:30 +0100")
	f3.Place = "Staff car park, Riverside Surgery"
	f3.People = []journal.Person{{Name: "John Evans", Relation: "patient"}, {Name: "Mark Evans", Relation: "relative"}}
	f3.Kinds = []string{"following"}
	f3.Summary = "John and Mark waited by my car"
	f3.Details = "Mark filmed me. Tom Reed from the pharmacy told me Mark Evans had been there an hour."
	f3.FirstHand, f3.ToldBy = false, "Tom Reed"
	f3.Witnesses = []journal.Witness{{Name: "Tom Reed", Contact: "tom.reed@example.net"}}
	f3.DailyLife = "A colleague walks me to the car; I no longer park at Riverside"

	f4 := day("2026-11-10 08:00 +0000")
	f4.Place = "Home, 22 Oak Lane, Leeds LS6 4XY"
	f4.People = []journal.Person{{Name: "John Evans", Relation: "patient"}}
	f4.Kinds = []string{"at-home", "gift"}
	f4.Summary = "Flowers on my doorstep at 22 Oak Lane"
	f4.Details = "My neighbour Susan Patel (07700 900456) saw him at 07:45. Card signed J. E."
	f4.Witnesses = []journal.Witness{{Name: "Susan Patel", Contact: "07700 900456"}}
	f4.Reported = []journal.Report{{To: "Police", Reference: "CAD 3301 10/11", Officer: "DC 221 Shah"}}
	f4.Impact = "I do not feel safe in Oak Lane any more"

	f5 := day("2026-11-29 19:00 +0000")
	f5.Place = "Tesco Express, Headingley"
	f5.People = []journal.Person{{Name: "Margaret Evans", Relation: "relative"}}
	f5.Kinds = []string{"in-person"}
	f5.Summary = "His mother confronted me"
	f5.Details = "Maggie Evans said I had ruined Johnny's life. Mrs Evans gave her number, +44 7700 900789."
	f5.PrivateNotes = "Ask Dr Okafor about John Evans's notes"

	mk := func(id uint64, f journal.Fields, files ...string) *journal.Incident {
		in := &journal.Incident{ID: id, RecordedAt: f.OccurredAt, Fields: f, Amendments: []journal.Amendment{}}
		for i, name := range files {
			in.Attachments = append(in.Attachments, journal.Attachment{Name: name, Size: 100, MediaType: "image/png",
				SHA256: strings.Repeat(string(rune('a'+i)), 64), Source: name, AddedAt: f.OccurredAt})
		}
		return in
	}
	in1 := mk(1, f1)
	// An amendment keeps the earlier words, which name him too.
	prev := f1
	prev.Details = "John Evans from 14 Elm Road came in."
	in1.Amendments = []journal.Amendment{{RecordedAt: at("2026-10-02 09:00 +0100"), Reason: "Ann Lee reminded me of what Jack said",
		Changed: []journal.Field{"details"}, Previous: prev}}
	return NewTimeline([]*journal.Incident{in1, mk(2, f2, "John Evans texts.png", "evans-voicemail.png"), mk(3, f3),
		mk(4, f4, "Card from JE, 22 Oak Lane.png"), mk(5, f5)}, "k7qd-3mzp-xa2r-9fht-w4ne-c8vb")
}

// mustNotSurvive are the names, numbers and addresses of the corpus:
// none may be in a redacted export, in any case.
var mustNotSurvive = []string{
	"John", "Evans", "Jack", "Johnny", "Mark", "Margaret", "Maggie", "J.E.", "J. E.", "JE",
	"Ann Lee", "Ann ", "Lee", "Tom Reed", "Reed", "Susan", "Patel", "Davies", "Shah", "Okafor",
	"Riverside", "Elm Road", "Oak Lane", "Headingley", "Leeds", "LS6", "2AB", "4XY", "22 Oak", "14 Elm",
	"07700", "900123", "01632", "960123", "+44", "example.com", "example.net", "AB12", "CDE",
}

// TestRedactionCorpus: a redacted export of the corpus holds none of its
// names, numbers or addresses, in PDF, Markdown, JSON and CSV; what was
// done is listed; and what the reader needs is still there.
func TestRedactionCorpus(t *testing.T) {
	full := Disclosable(redactionCorpus())
	red, what := RedactAll(full, []string{"--who John Evans", "--tag evans"})
	if strings.Contains(what.Selection, "Evans") || !strings.Contains(what.Selection, "Person A") {
		t.Errorf("selection = %q", what.Selection)
	}
	for _, k := range []string{RedactPeople, RedactWitnesses, RedactContacts, RedactOfficers, RedactPlaces, RedactAddresses,
		RedactPostcodes, RedactVehicles, RedactPhones, RedactEmails, RedactTags, RedactFiles, RedactImages} {
		if !strings.Contains(strings.Join(what.Kinds, " "), k) {
			t.Errorf("kinds %q lack %q", what.Kinds, k)
		}
	}
	outputs := map[string]string{}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, red); err != nil {
		t.Fatal(err)
	}
	outputs["markdown"] = b.String()
	b.Reset()
	if err := WriteJSON(&b, red); err != nil {
		t.Fatal(err)
	}
	outputs["json"] = b.String()
	b.Reset()
	if err := WriteCSV(&b, red); err != nil {
		t.Fatal(err)
	}
	outputs["csv"] = b.String()
	pdf, _ := renderPDF(t, red, PDFOptions{Created: at("2026-12-01 09:00 +0000"), For: "Practice meeting",
		Filters: []string{"--who John Evans", "--tag evans"}, Selection: what.Selection, Redactions: what.Kinds})
	outputs["pdf"] = pdfText(t, pdf)

	for format, text := range outputs {
		if format == "markdown" {
			text = strings.ReplaceAll(text, `\`, "") // Markdown escapes brackets
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, s := range mustNotSurvive {
			if found(flat, s) {
				t.Errorf("%s: the redacted export still holds %q", format, s)
			}
		}
		for _, s := range []string{"Person A", "Person B", "Person C", "Witness 1", "the practice", "the author's home",
			"CAD 1234 09/10", "[phone number]", "[email address]", "[postcode]"} {
			if format == "csv" && s == "Person A" {
				continue // people are in their own column: checked below
			}
			if !strings.Contains(flat, s) {
				t.Errorf("%s: the redacted export lost %q", format, s)
			}
		}
		if strings.Contains(flat, "Okafor") || strings.Contains(flat, "Ask Dr") {
			t.Errorf("%s: a private note left the journal", format)
		}
	}
	if !strings.Contains(outputs["csv"], "Person A (patient)") {
		t.Error("csv: the person's column is not pseudonymised")
	}
	// The unredacted corpus does hold every one of them: the test can fail.
	var all bytes.Buffer
	WriteJSON(&all, full)
	for _, s := range []string{"Johnny", "Maggie", "J.E.", "Okafor"} {
		if s != "Okafor" && !strings.Contains(all.String(), s) {
			t.Errorf("the corpus lacks %q", s)
		}
	}
}

// found reports whether s is in text as a word of its own (for short
// forms and initials, which would otherwise match inside other words) or,
// for longer strings, anywhere.
func found(text, s string) bool {
	if len(s) > 4 && !strings.HasSuffix(s, " ") {
		return strings.Contains(text, s)
	}
	re := regexp.MustCompile(`(^|[^\p{L}\p{N}])` + regexp.QuoteMeta(strings.TrimSpace(s)) + `($|[^\p{L}\p{N}])`)
	return re.MatchString(text)
}

// TestRedactSharedSurname: a surname that several people share stands
// for none of them, and a short first name with the surname is the person.
func TestRedactSharedSurname(t *testing.T) {
	red, _ := Redact(redactionCorpus())
	got := red.Incidents[4].Details
	if want := "Person C said I had ruined Person A's life. Mrs [name] gave her number, [phone number]."; got != want {
		t.Errorf("details = %q, want %q", got, want)
	}
}
