package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/journal-dev/journal/crypto"
	"github.com/journal-dev/journal/journal"
	"github.com/journal-dev/journal/stamp"
)

type stampOptions struct {
	tsa    []string
	roots  string
	auto   bool
	forget []string
}

// stampTimeout is how long one authority is waited for. Tests shorten it;
// users cannot.
var stampTimeout = stamp.Timeout

// quietStampTimeout is how long quiet stamping after add waits for an
// authority, at most. The add has printed, but the prompt comes back only
// when this is over: a real authority answers in well under a second, and
// one that hangs must not hold a frightened person's terminal for 30 s.
// What is not stamped stays waiting for the next add or 'journal stamp'.
var quietStampTimeout = 3 * time.Second

// quietPause is how long quiet stamping leaves authorities alone after
// one did not answer in time, so that a day on a network that swallows
// connections costs one wait, not one per add.
const quietPause = 10 * time.Minute

func newStampCommand(g *globals) *cobra.Command {
	var o stampOptions
	cmd := &cobra.Command{
		Use:   "stamp",
		Short: "Have a timestamp authority sign that the records existed by now",
		Long: `Send the journal's chain head to a timestamp authority (RFC 3161) and keep
its signed reply: proof, checkable by anyone, that every record up to that
head existed at the time the authority states.

Only the SHA-256 of the chain head (32 bytes) is sent, with a random number
to match the reply: nothing of what you wrote, not even how many records
there are. No authority is contacted unless you name it with --tsa; it is
remembered after its first good stamp.

Every add and checkpoint leaves its head waiting. One stamp covers every
record before it, so stamping after a day offline covers the whole day.
When the network is down it says so, exits 1 and keeps the heads waiting.
With --auto, every add stamps quietly after it has recorded and printed.`,
		Example: `  journal stamp --tsa https://freetsa.org/tsr --tsa-roots freetsa-cacert.pem
  journal stamp
  journal stamp --auto
  journal stamp --auto=false
  journal stamp --forget https://old-tsa.example/tsr`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStamp(g, o, cmd.Flags().Changed("auto"))
		},
	}
	cmd.Flags().StringArrayVar(&o.tsa, "tsa", nil, "ask the timestamp authority at `URL` (repeatable; remembered after a good stamp)")
	cmd.Flags().StringVar(&o.roots, "tsa-roots", "", "trust the root certificates in PEM `FILE` for the authorities given with --tsa")
	cmd.Flags().BoolVar(&o.auto, "auto", false, "stamp quietly after every add (--auto=false turns it off)")
	cmd.Flags().StringArrayVar(&o.forget, "forget", nil, "stop asking the remembered authority at `URL` (repeatable)")
	return cmd
}

func runStamp(g *globals, o stampOptions, autoChanged bool) error {
	if len(o.forget) > 0 {
		if len(o.tsa) > 0 || autoChanged {
			return usageError("--forget: give it alone")
		}
		return forgetAuthorities(g, o.forget)
	}
	var roots []byte
	if o.roots != "" {
		if len(o.tsa) == 0 {
			return usageError("--tsa-roots: give the authority it is for with --tsa URL")
		}
		b, err := os.ReadFile(o.roots)
		if err != nil {
			return usageError("--tsa-roots: %v", plainFileError(err))
		}
		if _, err := stamp.ParsePEM(b); err != nil {
			return usageError("--tsa-roots %s: %v: give the authority's root certificate in PEM", o.roots, err)
		}
		roots = b
	}
	var chosen []journal.Authority
	for _, u := range o.tsa {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return usageError("--tsa %q is not an authority's address: give its http:// or https:// URL", u)
		}
		chosen = append(chosen, journal.Authority{URL: u, Roots: roots})
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	set, err := s.StampSettings()
	s.Close()
	if err != nil {
		return err
	}
	if autoChanged && !o.auto {
		set.Auto = false
		if err := saveStampSettings(g, func(s *journal.StampSettings) { s.Auto = false }); err != nil {
			return err
		}
		fmt.Fprintln(g.err, "Quiet stamping is off: run 'journal stamp' to stamp.")
		return nil
	}
	all := mergeAuthorities(set.Authorities, chosen)
	if len(all) == 0 && g.hasSyncFolder() {
		// Each computer remembers its own authorities (qa2's finding 7).
		return usageError("no timestamp authority chosen on this computer (each computer remembers its own): " +
			"name the one your other computers use with --tsa URL, and --tsa-roots FILE if it needed one there " +
			"(only the SHA-256 of the chain head is sent to it)")
	}
	if len(all) == 0 {
		return usageError("no timestamp authority chosen: name one with --tsa URL (only the SHA-256 of the chain head is sent to it)")
	}
	if len(set.Authorities) == 0 {
		fmt.Fprintln(g.err, "Sending only the SHA-256 of the journal's chain head, and a random number, to "+hosts(all)+". Nothing you wrote leaves this computer.")
	}
	done, err := stampWaiting(context.Background(), g, all, false)
	// Only an authority that stamped is remembered; --auto is the user's
	// choice whether or not one could be reached now.
	good := slices.DeleteFunc(slices.Clone(all), func(a journal.Authority) bool { return !slices.Contains(done, a.URL) })
	turnOn := autoChanged && o.auto
	if len(good) == 0 && !turnOn {
		return err
	}
	remembered := 0
	serr := saveStampSettings(g, func(s *journal.StampSettings) {
		s.Authorities = mergeAuthorities(s.Authorities, good)
		s.Auto = s.Auto || turnOn
		remembered = len(s.Authorities)
	})
	switch {
	case serr != nil:
		return cmp.Or(err, serr)
	case turnOn && remembered == 0:
		fmt.Fprintln(g.err, "Quiet stamping is on; it starts once an authority has stamped ('journal stamp --tsa URL').")
	case turnOn:
		fmt.Fprintln(g.err, "Quiet stamping is on: every add now stamps after it has recorded.")
	}
	return err
}

// forgetAuthorities removes remembered authorities; naming one that is not
// remembered is wrong usage, and nothing is changed.
func forgetAuthorities(g *globals, urls []string) error {
	var missing string
	err := saveStampSettings(g, func(set *journal.StampSettings) {
		kept := slices.DeleteFunc(slices.Clone(set.Authorities), func(a journal.Authority) bool { return slices.Contains(urls, a.URL) })
		for _, u := range urls {
			if !slices.ContainsFunc(set.Authorities, func(a journal.Authority) bool { return a.URL == u }) && missing == "" {
				missing = u
			}
		}
		if missing == "" {
			set.Authorities = kept
		}
	})
	if err != nil {
		return err
	}
	if missing != "" {
		return usageError("--forget: %s is not a remembered authority", missing)
	}
	fmt.Fprintf(g.err, "Forgot %s; stamps already recorded stay.\n", strings.Join(urls, ", "))
	return nil
}

// mergeAuthorities adds the chosen authorities to the remembered ones; a
// chosen one replaces a remembered one of the same URL.
func mergeAuthorities(have, chosen []journal.Authority) []journal.Authority {
	out := slices.Clone(have)
	for _, c := range chosen {
		i := slices.IndexFunc(out, func(a journal.Authority) bool { return a.URL == c.URL })
		if i < 0 {
			out = append(out, c)
		} else if len(c.Roots) > 0 || len(out[i].Roots) == 0 {
			out[i] = c
		}
	}
	return out
}

func hosts(as []journal.Authority) string {
	var hs []string
	for _, a := range as {
		if u, err := url.Parse(a.URL); err == nil {
			hs = append(hs, u.Host)
		}
	}
	return strings.Join(hs, " and ")
}

func saveStampSettings(g *globals, change func(*journal.StampSettings)) error {
	s, err := g.openStore(journal.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	set, err := s.StampSettings()
	if err != nil {
		return err
	}
	change(set)
	return s.SetStampSettings(set)
}

// stampWaiting stamps the newest waiting head with every authority, then
// records the good replies in one transaction. It returns the URLs that
// stamped. No lock is held while the authorities are asked, so an add
// is never kept waiting; a stamp killed meanwhile leaves the queue as it
// was. quiet prints nothing but errors, and waits at most
// quietStampTimeout.
func stampWaiting(ctx context.Context, g *globals, authorities []journal.Authority, quiet bool) ([]string, error) {
	if !quiet {
		if err := g.creditReceivedStamps(); err != nil {
			return nil, err
		}
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	w, err := s.Waiting()
	var m *journal.Meta
	if err == nil {
		m, err = s.Meta()
	}
	name := deviceNamer(s)
	s.Close()
	if err != nil {
		return nil, err
	}
	if w == nil {
		if !quiet {
			fmt.Fprintln(g.err, "Nothing is waiting: every record this computer holds is already covered by a stamp.")
		}
		return []string{}, nil
	}
	sealer, err := crypto.NewSealer(m.Recipients)
	if err != nil {
		return nil, err
	}
	type result struct {
		tok *stamp.Token
		err error
	}
	results := make([]result, len(authorities))
	var wg sync.WaitGroup
	for i, a := range authorities {
		wg.Go(func() {
			roots, err := stamp.Roots(a.Roots)
			if err != nil {
				results[i].err = err
				return
			}
			c := &stamp.Client{Timeout: stampTimeout}
			if quiet {
				c.Timeout = min(stampTimeout, quietStampTimeout)
			}
			results[i].tok, results[i].err = c.Stamp(ctx, a.URL, w.Hash, roots)
		})
	}
	wg.Wait()
	var recs []*journal.Record
	var done []string
	var errs []error
	hung := false
	for _, r := range results {
		hung = hung || errors.Is(r.err, stamp.ErrNoAnswer)
	}
	if quiet && hung {
		// Quiet stamping waited for nothing: it leaves the authorities
		// alone for a while (a pause past is no pause).
		_ = saveStampSettings(g, func(s *journal.StampSettings) {
			s.QuietPauseUntil = g.now().Add(quietPause).UTC()
		})
	}
	for i, r := range results {
		a := authorities[i]
		if r.err != nil {
			errs = append(errs, stampError(a.URL, r.err))
			continue
		}
		done = append(done, a.URL)
		recs = append(recs, &journal.Record{Type: journal.TypeStamp, RecordedAt: g.now().Truncate(time.Second),
			Stamp: &journal.Stamp{Seq: w.Seq, Head: journal.HeadHex(w.Hash), Covers: w.Covers, URL: a.URL, Authority: r.tok.Authority,
				Time: r.tok.Time, Reply: r.tok.Reply, Roots: a.Roots}})
	}
	if len(recs) > 0 {
		s, err := g.openStore(journal.Options{})
		if err != nil {
			return nil, err
		}
		err = s.AppendStamps(sealer, recs...)
		s.Close()
		if err != nil {
			return nil, err
		}
		putProofFiles(g, recs)
		for _, r := range recs {
			if quiet {
				// add's standard output is its incident number alone.
				break
			}
			fmt.Fprintf(g.out, "stamp: records 1 to %d proven by %s at %s\n", w.Seq, r.Stamp.Authority, r.Stamp.Time.UTC().Format(time.RFC3339))
		}
		if !quiet && manyChains(w.Covers) {
			// This computer's numbering is not another's: say it in
			// the devices' own, which every computer shares.
			fmt.Fprintf(g.err, "Records 1 to %d are every record this computer holds: %s.\n", w.Seq, coverText(w.Covers, name))
		}
	}
	if len(errs) > 0 {
		return done, stampFailure(g, errs, w, len(recs) > 0, quiet)
	}
	return done, nil
}

// stampError names the authority in what went wrong with it.
func stampError(authority string, err error) error {
	var ue *stamp.UnreachableError
	if errors.As(err, &ue) {
		return err
	}
	host := authority
	if u, perr := url.Parse(authority); perr == nil {
		host = u.Host
	}
	return fmt.Errorf("%s: %w", host, err)
}

// stampFailure is the one line for what could not be stamped: offline is
// exit 1 with the heads kept (a note only, when another authority
// stamped); a reply that does not hold is exit 4.
func stampFailure(g *globals, errs []error, w *journal.WaitingHead, covered, quiet bool) error {
	var msgs []string
	code := exitFailure
	offline := true
	for _, err := range errs {
		msgs = append(msgs, err.Error())
		var be *stamp.BadReplyError
		var ue *stamp.UnreachableError
		if errors.As(err, &be) {
			code = exitIntegrity
		}
		if !errors.As(err, &ue) {
			offline = false
		}
	}
	msg := strings.Join(msgs, "; ")
	switch {
	case offline && covered:
		// Another authority stamped: nothing waits.
		if quiet {
			return nil
		}
		fmt.Fprintf(g.err, "Not stamped by %s (the others stamped).\n", msg)
		return nil
	case offline:
		return withHint(&authoritiesError{"offline: " + msg, errs}, code,
			fmt.Sprintf("records 1 to %d wait to be stamped; run 'journal stamp' again when online", w.Seq))
	case code == exitIntegrity:
		return withHint(errors.New(msg), code, "nothing was recorded from it; check the address and --tsa-roots, or choose another authority")
	}
	return withHint(errors.New(msg), code, "nothing was recorded from it; try again later or choose another authority")
}

// authoritiesError is what went wrong with several authorities, in one
// line; errors.Is and errors.As still find each one's error.
type authoritiesError struct {
	msg  string
	errs []error
}

func (e *authoritiesError) Error() string   { return e.msg }
func (e *authoritiesError) Unwrap() []error { return e.errs }

// leavesHead names the commands that record something, and so leave a
// head waiting to be stamped.
var leavesHead = map[string]bool{
	"add": true, "amend": true, "void": true, "attach": true, "import": true,
	"checkpoint": true, "export": true,
}

// stampSettings reads the journal's stamp settings, from the journal the
// command kept open if it did.
func stampSettings(g *globals) (*journal.StampSettings, error) {
	if g.kept != nil {
		return g.kept.StampSettings()
	}
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.StampSettings()
}

// autoStamp stamps quietly after a command that recorded something, when
// the user turned quiet stamping on. It runs after the command has
// printed, so it never slows what the user sees; failures are one quiet
// line at most, and the heads stay waiting.
func autoStamp(g *globals) {
	set, err := stampSettings(g)
	if err != nil || !set.Auto || len(set.Authorities) == 0 || g.now().Before(set.QuietPauseUntil) {
		return
	}
	// Stamping opens the journal itself.
	g.closeKept()
	if _, err := stampWaiting(context.Background(), g, set.Authorities, true); err != nil {
		msg := "Not stamped yet (it will be later): " + oneLine(err.Error())
		if errors.Is(err, stamp.ErrNoAnswer) {
			msg += fmt.Sprintf(" (quiet stamping waits %d minutes before asking again; 'journal stamp' asks now)", int(quietPause.Minutes()))
		}
		fmt.Fprintln(g.err, msg)
	}
}

// creditReceivedStamps counts as covered what stamps received from other
// computers prove here (journal.Store.NoteReceivedStamps), when the key
// is at hand without asking for it: the unlock agent holds it, or a key
// file is given. Otherwise stamp needs no key, and records received since
// this computer's last stamp wait for its next one, stamps among them.
func (g *globals) creditReceivedStamps() error {
	s, err := g.openStore(journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	m, err := s.Meta()
	s.Close()
	if err != nil || m.AddOnly || len(m.Recipients) == 0 {
		return err
	}
	if g.identityFile == "" && os.Getenv("JOURNAL_IDENTITY") == "" && g.agentIdentity(m) == nil {
		return nil
	}
	store, _, st, err := g.openForChange()
	if errors.Is(err, crypto.ErrRemote) {
		return nil // the agent ended meanwhile: stamp as without the key
	}
	if err != nil {
		return err
	}
	defer store.Close()
	return store.NoteReceivedStamps(st)
}
