package journal

// Claims say what a journal that verifies shows, and what it cannot: the
// words of 'journal verify', its help, the README and the "How to check"
// page of a report. Tests check that each place says each one.
var Claims = []string{
	"Nobody without the key of one of the journal's enrolled devices (someone with a copy of the file, a sync or cloud provider, someone given a report) can add, change, reorder or remove a record without verify failing.",
	"Someone using an enrolled device can add new records, but cannot change or remove anything up to a fingerprint that another person holds without that fingerprint failing.",
	"Nothing proves that what was written is true. The recorded times come from the device's clock: only a timestamp (journal stamp) proves that a record existed by a time.",
}

// ClaimBeforeSigning is said of a journal that has records made before it
// was upgraded to signed records.
const ClaimBeforeSigning = "Records made before signing (before the journal was upgraded) are chained, but anyone who had the file then could have added to them."
