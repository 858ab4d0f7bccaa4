package form_test

import (
	"fmt"
	"time"

	"github.com/journal-dev/journal/internal/form"
	"github.com/journal-dev/journal/journal"
)

// The answers are what a person typed; Fields reads them into an
// incident, against the time the form was opened. A value given as a flag
// and left as shown is kept exactly, seconds and offset included.
func ExampleAnswers_Fields() {
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	given := journal.Fields{OccurredAt: time.Date(2026, 11, 24, 14, 30, 45, 0, time.FixedZone("", 5*3600))}
	a := form.FromFields(&given, nil, now)
	a.Summary = "Shouted at me at reception"
	a.Witnesses = "Ann Lee (chaperone); 01632 960123"

	f, err := a.Fields(now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(journal.WrittenTime(f.OccurredAt, f.DateOnly))
	fmt.Println(f.Summary)
	fmt.Println(f.Witnesses[0].Name, f.Witnesses[0].Chaperone, f.Witnesses[0].Contact)
	// Output:
	// 2026-11-24T14:30:45+05:00
	// Shouted at me at reception
	// Ann Lee true 01632 960123
}
