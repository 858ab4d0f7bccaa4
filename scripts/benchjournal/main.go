// Command benchjournal makes journals for the benchmark script: a new
// journal with an identity file to unlock it, and N made-up incidents,
// either appended directly or written as the JSON that
// "journal timeline --format json" prints, for "journal import".
//
//	benchjournal -init FILE -identity KEYFILE
//	benchjournal -append N -file FILE
//	benchjournal -json N > incidents.json
//	benchjournal -jrnl N -password PASSWORD > journal.txt
//	benchjournal -time RUNS -- COMMAND [ARG...]
//
// With -time it runs a command RUNS times, its output thrown away, and
// prints the median, the fastest and the slowest wall-clock time, then
// "cpu" and the median processor time (user and system), in milliseconds.
// On a busy machine the processor time says more than the wall clock.
//
// The incidents are the same for the same N and -seed: a mix of people,
// kinds, places, accounts of a few sentences, words used, witnesses and
// reports, spread over the years before now.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
)

func main() {
	initFile := flag.String("init", "", "create a journal at `FILE` (passphrase from JOURNAL_PASSPHRASE)")
	identity := flag.String("identity", "", "with -init, write the journal's identity to `KEYFILE`")
	classic := flag.Bool("classic", false, "with -init, make an X25519 identity")
	appendN := flag.Int("append", 0, "append `N` incidents to the journal given by -file")
	file := flag.String("file", "", "the journal to append to")
	jsonN := flag.Int("json", 0, "print `N` incidents as timeline JSON on standard output")
	seed := flag.Uint64("seed", 1, "seed of the made-up incidents")
	jrnlN := flag.Int("jrnl", 0, "print `N` incidents as an encrypted jrnl journal on standard output")
	password := flag.String("password", "", "with -jrnl, the jrnl journal's password")
	runs := flag.Int("time", 0, "run the command after -- `RUNS` times and print the median, fastest and slowest")
	flag.Parse()
	var err error
	switch {
	case *runs > 0:
		err = timeCommand(*runs, flag.Args())
	case *initFile != "":
		err = create(*initFile, *identity, *classic)
	case *appendN > 0:
		err = appendIncidents(*file, *appendN, *seed)
	case *jrnlN > 0:
		err = printJrnl(*jrnlN, *seed, *password)
	case *jsonN > 0:
		err = printJSON(*jsonN, *seed)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchjournal:", err)
		os.Exit(1)
	}
}

func timeCommand(runs int, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("-time needs a command after --")
	}
	var times, cpu []time.Duration
	for range runs {
		cmd := exec.Command(args[0], args[1:]...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, stderr.String())
		}
		times = append(times, time.Since(start))
		cpu = append(cpu, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
	}
	slices.Sort(times)
	slices.Sort(cpu)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f", d.Seconds()*1000) }
	fmt.Printf("%s %s %s cpu %s\n", ms(times[len(times)/2]), ms(times[0]), ms(times[len(times)-1]), ms(cpu[len(cpu)/2]))
	return nil
}

func create(path, identityFile string, classic bool) error {
	pass := os.Getenv("JOURNAL_PASSPHRASE")
	if pass == "" || identityFile == "" {
		return fmt.Errorf("-init needs JOURNAL_PASSPHRASE and -identity")
	}
	id, err := crypto.Generate(classic)
	if err != nil {
		return err
	}
	wrapped, err := crypto.Wrap(id, pass)
	if err != nil {
		return err
	}
	// This computer is the journal's device, as after 'journal init'.
	if _, err := journal.CreateWithDevice(path, &journal.Meta{WrappedIdentity: wrapped, Recipients: []string{id.Recipient()}},
		id.OwnerKey(), "benchjournal"); err != nil {
		return err
	}
	return os.WriteFile(identityFile, []byte(id.String()+"\n"), 0o600)
}

func appendIncidents(path string, n int, seed uint64) error {
	s, err := journal.Open(path, journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	dev, err := journal.LoadDevice(s.ID())
	if err != nil {
		return err
	}
	pin, err := journal.LoadPin(s.ID())
	if err != nil {
		return err
	}
	s.UseDevice(dev, pin)
	m, err := s.Meta()
	if err != nil {
		return err
	}
	sealer, err := crypto.NewSealer(m.Recipients)
	if err != nil {
		return err
	}
	const batch = 1000
	recorded := time.Now().Truncate(time.Second)
	fields := incidents(n, seed)
	for i := 0; i < n; i += batch {
		var recs []*journal.Record
		for j := i; j < min(n, i+batch); j++ {
			recs = append(recs, &journal.Record{Type: journal.TypeIncident, RecordedAt: recorded, Fields: &fields[j]})
		}
		if err := s.Append(sealer, recs...); err != nil {
			return err
		}
	}
	return nil
}

func printJSON(n int, seed uint64) error {
	var out struct {
		Incidents []journal.Incident `json:"incidents"`
	}
	recorded := time.Now().Truncate(time.Second)
	for i, f := range incidents(n, seed) {
		out.Incidents = append(out.Incidents, journal.Incident{ID: uint64(i + 1), RecordedAt: recorded, Fields: f,
			Attachments: []journal.Attachment{}, Amendments: []journal.Amendment{}})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

var (
	names    = []string{"John Smith (patient)", "Mary Smith (relative)", "Alex Brown (patient)", "Sam Green (friend)", "Unknown caller"}
	places   = []string{"Riverside Surgery, reception", "Surgery car park", "Outside my house", "High Street", "By phone", "Online"}
	verbs    = []string{"Called", "Waited for me", "Sent a message", "Left a gift", "Shouted at me", "Followed me", "Posted about me"}
	sentence = []string{
		"He asked the receptionist for my home address.",
		"I told him that the contact was not appropriate.",
		"She said she would keep coming back until I listened.",
		"The call lasted about four minutes and ended abruptly.",
		"A colleague saw him standing by the entrance for an hour.",
		"I felt unable to leave the building on my own.",
		"The message was signed with his initials.",
	}
	reports = []string{"Practice manager; REF-%d", "Police; CAD %d", "Defence organisation; MDU %d"}
)

// incidents makes n incidents in the order they happened, one every few
// hours, ending now.
func incidents(n int, seed uint64) []journal.Fields {
	r := rand.New(rand.NewPCG(seed, 42))
	out := make([]journal.Fields, n)
	at := time.Now().UTC().Truncate(time.Minute).Add(-time.Duration(n)*5*time.Hour - time.Hour)
	for i := range out {
		at = at.Add(time.Duration(1+r.IntN(5)) * time.Hour)
		f := journal.Fields{
			OccurredAt:  at,
			Approximate: r.IntN(5) == 0,
			Place:       places[r.IntN(len(places))],
			Kinds:       []string{journal.Kinds[r.IntN(len(journal.Kinds))]},
			Summary:     fmt.Sprintf("%s (%d)", verbs[r.IntN(len(verbs))], i+1),
			Severity:    journal.Severities[r.IntN(len(journal.Severities))],
			Tags:        []string{},
			Actions:     []string{},
			Witnesses:   []journal.Witness{},
			Reported:    []journal.Report{},
		}
		for range 1 + r.IntN(2) {
			p, _ := journal.ParsePerson(names[r.IntN(len(names))])
			f.People = append(f.People, p)
		}
		var details []string
		for range 2 + r.IntN(4) {
			details = append(details, sentence[r.IntN(len(sentence))])
		}
		f.Details = strings.Join(details, " ")
		if r.IntN(3) == 0 {
			f.Words = "I know where you live, and I know when you finish work."
		}
		if r.IntN(4) == 0 {
			f.Witnesses = append(f.Witnesses, journal.Witness{Name: "Ann Lee", Contact: "01632 960123"})
		}
		if r.IntN(4) == 0 {
			rep, _ := journal.ParseReport(fmt.Sprintf(reports[r.IntN(len(reports))], 1000+i))
			f.Reported = append(f.Reported, rep)
		}
		if r.IntN(2) == 0 {
			f.Tags = append(f.Tags, "work")
		}
		f.Impact = "Anxious for the rest of the day."
		out[i] = f
	}
	return out
}
