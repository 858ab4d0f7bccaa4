package journal

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kinds are the kinds of contact an incident can have, in the words used on
// the command line and in JSON.
var Kinds = []string{
	"phone-call", "voicemail", "text-message", "email", "letter", "gift",
	"social-media", "dating-app", "online-post", "in-person", "at-home",
	"following", "third-party", "complaint", "verbal-abuse", "threat",
	"physical", "property-damage", "other",
}

// KindLabel is a kind of contact as a person reads it, and as the form
// offers it: "phone call" for "phone-call", the word the command line and
// JSON use.
func KindLabel(k string) string { return strings.ReplaceAll(k, "-", " ") }

// KindLabels joins kinds as a person reads them: "phone call, threat".
func KindLabels(kinds []string) string {
	labels := make([]string, len(kinds))
	for i, k := range kinds {
		labels[i] = KindLabel(k)
	}
	return strings.Join(labels, ", ")
}

// Relations are the relations a person can have to the user.
var Relations = []string{"patient", "relative", "friend", "carer", "colleague", "unknown", "other"}

// Severities are the severities an incident can have, least first.
var Severities = []string{"low", "medium", "high"}

// Fields are what the user says about an incident. An amendment replaces
// them as a whole; the earlier versions stay in the history.
type Fields struct {
	OccurredAt time.Time  `json:"occurred_at"`
	Until      *time.Time `json:"until"`
	// DateOnly is set when only the day is known: OccurredAt is then the
	// start of that day, and its time of day is not stated.
	DateOnly bool `json:"date_only,omitempty"`
	// UntilDateOnly is the same for Until.
	UntilDateOnly bool      `json:"until_date_only,omitempty"`
	Approximate   bool      `json:"approximate"`
	Place         string    `json:"place"`
	People        []Person  `json:"people"`
	Kinds         []string  `json:"kinds"`
	Summary       string    `json:"summary"`
	Details       string    `json:"details"`
	Words         string    `json:"words"`
	Witnesses     []Witness `json:"witnesses"`
	// FirstHand is set when the user said they saw or heard it
	// themselves; ToldBy names who told them otherwise. With neither,
	// the source of the account is not stated.
	FirstHand bool     `json:"first_hand"`
	ToldBy    string   `json:"told_by"`
	Actions   []string `json:"actions"`
	Reported  []Report `json:"reported"`
	Impact    string   `json:"impact"`
	// DailyLife is how the user's usual day-to-day activities changed
	// because of it: a changed route, a stopped clinic, a move.
	DailyLife string `json:"daily_life"`
	// EvidenceKept says how the evidence was kept: a screenshot, the
	// original letter, a saved voicemail.
	EvidenceKept string   `json:"evidence_kept"`
	Severity     string   `json:"severity"`
	Tags         []string `json:"tags"`
	// PrivateNotes are the user's own notes. They never leave the
	// journal: every export leaves them out (see [Fields.Disclosed]).
	PrivateNotes string `json:"private_notes,omitempty"`
}

// Source says where the account comes from, in words: first-hand, told
// by someone, or not stated.
func (f *Fields) Source() string {
	switch {
	case f.ToldBy != "":
		return "told by " + f.ToldBy
	case f.FirstHand:
		return "first-hand: the author saw or heard it"
	}
	return "not stated"
}

// Disclosed returns the fields as they may leave the journal: without the
// private ones (see [FieldSpec.Private]), such as the private notes.
func (f Fields) Disclosed() Fields {
	for _, s := range fieldSpecs {
		if s.Private {
			s.Copy(&f, &Fields{})
		}
	}
	return f
}

// Person is someone involved in an incident.
type Person struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
	// Description is how they looked: appearance, clothing, vehicle.
	Description string `json:"description,omitempty"`
}

// Witness is someone who saw or heard the incident.
type Witness struct {
	Name    string `json:"name"`
	Contact string `json:"contact"`
	// Chaperone is set when the witness was present as a chaperone.
	Chaperone bool `json:"chaperone,omitempty"`
}

// Report is someone the incident was reported to.
type Report struct {
	To        string `json:"to"`
	Reference string `json:"reference"`
	Officer   string `json:"officer,omitempty"`
}

// Attachment describes an evidence file sealed in the journal.
type Attachment struct {
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	MediaType string    `json:"media_type"`
	Source    string    `json:"source,omitempty"`
	AddedAt   time.Time `json:"added_at"`
	// Blob is the key of the sealed bytes in the store.
	Blob string `json:"blob,omitempty"`

	// By is the device that attached it (its key, as records name it;
	// empty for records made before signing): bytes that another
	// computer attached may not have arrived from the sync folder yet.
	By string `json:"-"`
}

// Amendment is one correction of an incident: when and why it was made,
// and the fields as they were before it.
type Amendment struct {
	RecordedAt time.Time `json:"recorded_at"`
	Reason     string    `json:"reason"`
	Changed    []Field   `json:"changed"`
	Previous   Fields    `json:"previous"`
	// Concurrent is set when another computer amended the incident at the
	// same time (neither had seen the other's amendment), and no later
	// amendment has seen both yet (versions.go).
	Concurrent bool `json:"concurrent,omitempty"`

	// Who made it and what it had seen, and the fields it set, so that
	// the history is ordered the same on every computer (versions.go).
	By     string       `json:"-"`
	Place  uint64       `json:"-"`
	After  []VersionRef `json:"-"`
	Fields Fields       `json:"-"`
}

// Void marks an incident withdrawn by the user. It stays in the journal.
type Void struct {
	RecordedAt time.Time `json:"recorded_at"`
	Reason     string    `json:"reason"`
}

// Incident is an incident as it stands now: its current fields, when it was
// first recorded, and its history.
type Incident struct {
	ID uint64 `json:"id"`
	// Seq is the position of the incident's first record in the log.
	Seq uint64 `json:"-"`
	// ChainDevice and ChainPlace are where the first record stands in its
	// device's chain, the same on every computer ("" and Seq for a version
	// 1 record): what a stamp's coverage is said in.
	ChainDevice string    `json:"-"`
	ChainPlace  uint64    `json:"-"`
	RecordedAt  time.Time `json:"recorded_at"`
	// ProvenAt and ProvenBy are the time and authority of the timestamp
	// that proves the incident's first record best, if any: the earliest
	// of those whose token holds by this computer's roots, else the
	// earliest of those that hold by a root the journal carries.
	ProvenAt *time.Time `json:"proven_at"`
	ProvenBy string     `json:"proven_by"`
	// ProvenRoot, when that timestamp holds only by a root certificate
	// the journal carries (given with --tsa-roots), names that root: the
	// time holds only for someone who trusts it as the authority's.
	ProvenRoot *CarriedRoot `json:"proven_root,omitempty"`
	Fields
	// Imported is set for incidents brought in by an import rather than
	// recorded here; their recorded_at is the time of the import.
	Imported bool `json:"imported"`
	// BeforeSigning is set for incidents recorded before the journal was
	// upgraded to signed records (format version 1): nothing but the
	// chain vouches for them.
	BeforeSigning bool `json:"before_signing,omitempty"`
	// Import is the number of the import it came in with (0: none), for
	// 'journal void --import'; ImportKey the digest of its row.
	Import      uint64       `json:"import,omitempty"`
	ImportKey   string       `json:"-"`
	Attachments []Attachment `json:"attachments"`
	Amendments  []Amendment  `json:"amendments"`
	Void        *Void        `json:"void"`
}

// normalize makes absent lists empty, so JSON shows [] rather than null.
func (f *Fields) normalize() {
	if f.People == nil {
		f.People = []Person{}
	}
	if f.Kinds == nil {
		f.Kinds = []string{}
	}
	if f.Witnesses == nil {
		f.Witnesses = []Witness{}
	}
	if f.Actions == nil {
		f.Actions = []string{}
	}
	if f.Reported == nil {
		f.Reported = []Report{}
	}
	if f.Tags == nil {
		f.Tags = []string{}
	}
}

// Validate checks the fields a user gave: a summary, known kinds, relations
// and severity, and an end after the start.
func (f *Fields) Validate() error {
	if strings.TrimSpace(f.Summary) == "" {
		return fmt.Errorf("summary is empty")
	}
	if f.OccurredAt.IsZero() {
		return fmt.Errorf("no time given")
	}
	if f.Until != nil && f.Until.Before(f.OccurredAt) {
		return fmt.Errorf("the end (%s) is before the start (%s)",
			FormatTime(*f.Until, f.UntilDateOnly, "2006-01-02 15:04"), FormatTime(f.OccurredAt, f.DateOnly, "2006-01-02 15:04"))
	}
	for _, k := range f.Kinds {
		if !slices.Contains(Kinds, k) {
			return fmt.Errorf("unknown kind %q: use one of %s", k, strings.Join(Kinds, ", "))
		}
	}
	for _, p := range f.People {
		if strings.TrimSpace(p.Name) == "" {
			return fmt.Errorf("a person has no name")
		}
		if p.Relation != "" && !slices.Contains(Relations, p.Relation) {
			return fmt.Errorf("unknown relation %q: use one of %s", p.Relation, strings.Join(Relations, ", "))
		}
	}
	if f.Severity != "" && !slices.Contains(Severities, f.Severity) {
		return fmt.Errorf("unknown severity %q: use low, medium or high", f.Severity)
	}
	return checkText(f)
}
