package form

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// runLineForm asks the questions one line at a time, for screen readers and
// plain terminals. Every answer is checked before the next question; the
// end of the input stops the form with ErrInputEnded, never with a
// half-checked answer.
func runLineForm(in *lineInput, out io.Writer, a, start *Answers, pages []page) error {
	fmt.Fprintln(out, "Recording an incident. Press enter to keep the value in brackets. Type 'cancel' as an answer to stop.")
	first := 0 // the page to start from
form:
	for {
		a.Save = true
		for i := first; i < len(pages); i++ {
			p := &pages[i]
			if p.hide != nil && p.hide() {
				continue
			}
			fmt.Fprintf(out, "\nPage %d of %d: %s\n", shownBefore(pages, i)+1, shownBefore(pages, len(pages)), p.title)
			for j := range p.questions {
				err := askLineQuestion(in, out, &p.questions[j])
				if errors.Is(err, ErrCancelled) && a.typed(start) {
					discard := false
					q := question{title: "Discard what you typed?", kind: askConfirm, b: &discard, yes: "discard", no: "keep editing"}
					if err := askLineQuestion(in, out, &q); err != nil {
						return err
					}
					if !discard {
						fmt.Fprintln(out, "Keeping it. Going on from this page, with your answers.")
						first = i
						continue form
					}
				}
				if err != nil {
					return err
				}
			}
		}
		if a.Save {
			return nil
		}
		first = 0
		fmt.Fprintln(out, "Going back to the first page, with your answers.")
	}
}

// askLineQuestion asks one question until it has a valid answer.
func askLineQuestion(in *lineInput, out io.Writer, q *question) error {
	if q.kind == askNote {
		fmt.Fprintf(out, "%s:\n%s\n", q.title, q.note())
		return nil
	}
	fmt.Fprintln(out, q.title)
	if q.help != "" {
		fmt.Fprintln(out, q.help)
	}
	for {
		var err error
		switch q.kind {
		case askText:
			err = askTextLines(in, out, q)
		case askSelect:
			err = askChoice(in, out, q)
		case askMulti:
			err = askChoices(in, out, q)
		case askConfirm:
			err = askYesNo(in, out, q)
		default:
			fmt.Fprintf(out, "%s: ", bracket(*q.str))
			var line string
			if line, err = readLine(in); err == nil && line != "" {
				if q.validate != nil {
					err = q.validate(line)
				}
				if err == nil {
					*q.str = line
				}
			} else if err == nil && q.validate != nil {
				err = q.validate(*q.str)
			}
		}
		if err == nil || errors.Is(err, ErrInputEnded) || errors.Is(err, ErrCancelled) || errors.Is(err, ErrStopped) {
			return err
		}
		fmt.Fprintf(out, "Not accepted: %v. Please try again.\n", err)
	}
}

func bracket(s string) string {
	if s == "" {
		return "[empty]"
	}
	return "[" + s + "]"
}

// readLine reads one line. The end of the input is ErrInputEnded, even
// after a partial line, so that nothing half-typed is taken as an answer;
// "cancel" alone is ErrCancelled.
func readLine(in *lineInput) (string, error) {
	line, err := in.readLine()
	if err != nil {
		return "", err
	}
	line = strings.TrimSpace(line)
	if strings.EqualFold(line, "cancel") {
		return "", ErrCancelled
	}
	if notTyped(line) {
		return "", errKeyNotText
	}
	return line, nil
}

// errKeyNotText is the answer to a line that holds what a key such as Home,
// an arrow or F1 sends: a terminal passes it to a line as it is, and kept
// in the journal it would be written back to the terminal by every
// command that shows the incident.
var errKeyNotText = errors.New("the answer holds a key that is not text (an arrow, Home, or a function key)")

// notTyped reports whether line holds a control character other than tab:
// nothing a person types as text on one line.
func notTyped(line string) bool {
	return strings.ContainsFunc(line, func(r rune) bool {
		return r != '\t' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0))
	})
}

func askTextLines(in *lineInput, out io.Writer, q *question) error {
	if *q.str != "" {
		fmt.Fprintf(out, "Now: %s\n", strings.ReplaceAll(*q.str, "\n", " / "))
	}
	fmt.Fprintln(out, "Type as many lines as you need, then a line with a single dot. An empty first line keeps what is there.")
	var text []string
	for {
		line, err := in.readLine()
		if err != nil {
			return err
		}
		line = strings.TrimRight(line, "\r\n")
		if len(text) == 0 && strings.EqualFold(strings.TrimSpace(line), "cancel") {
			return ErrCancelled
		}
		if notTyped(line) {
			fmt.Fprintf(out, "Not accepted: %v. Type that line again.\n", errKeyNotText)
			continue
		}
		if len(text) == 0 && line == "" {
			break
		}
		if strings.TrimSpace(line) == "." {
			break
		}
		text = append(text, line)
	}
	value := *q.str
	if len(text) > 0 {
		value = strings.Join(text, "\n")
	}
	if q.validate != nil {
		if err := q.validate(value); err != nil {
			return err
		}
	}
	*q.str = value
	return nil
}

func askChoice(in *lineInput, out io.Writer, q *question) error {
	def := 0
	for i, c := range q.choices {
		fmt.Fprintf(out, "%d. %s\n", i+1, c.label)
		if c.value == *q.str {
			def = i + 1
		}
	}
	prompt := fmt.Sprintf("Enter a number from 1 to %d", len(q.choices))
	if def > 0 {
		prompt += fmt.Sprintf(" [%d]", def)
	}
	fmt.Fprint(out, prompt+": ")
	line, err := readLine(in)
	if err != nil {
		return err
	}
	if line == "" && def > 0 {
		return nil
	}
	n, err := strconv.Atoi(line)
	if err != nil || n < 1 || n > len(q.choices) {
		return fmt.Errorf("give a number from 1 to %d", len(q.choices))
	}
	*q.str = q.choices[n-1].value
	return nil
}

func askChoices(in *lineInput, out io.Writer, q *question) error {
	for i, c := range q.choices {
		fmt.Fprintf(out, "%d. %s\n", i+1, c.label)
	}
	var now []string
	for i, c := range q.choices {
		if slices.Contains(*q.strs, c.value) {
			now = append(now, strconv.Itoa(i+1))
		}
	}
	fmt.Fprintf(out, "Enter the numbers that apply, separated by spaces, or 0 for none %s: ", bracket(strings.Join(now, " ")))
	line, err := readLine(in)
	if err != nil || line == "" {
		return err
	}
	var chosen []string
	for f := range strings.FieldsSeq(strings.ReplaceAll(line, ",", " ")) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > len(q.choices) {
			return fmt.Errorf("%q is not a number from 1 to %d", f, len(q.choices))
		}
		if n > 0 && !slices.Contains(chosen, q.choices[n-1].value) {
			chosen = append(chosen, q.choices[n-1].value)
		}
	}
	if chosen == nil {
		chosen = []string{}
	}
	*q.strs = chosen
	return nil
}

func askYesNo(in *lineInput, out io.Writer, q *question) error {
	promptYesNo(out, q.yes, q.no, *q.b)
	line, err := readLine(in)
	if err != nil {
		return err
	}
	b, err := readYesNo(line, *q.b)
	if err != nil {
		return err
	}
	if q.check != nil {
		if err := q.check(b); err != nil {
			return err
		}
	}
	*q.b = b
	return nil
}

// promptYesNo asks for y or n, with the answer that enter keeps.
func promptYesNo(out io.Writer, yes, no string, value bool) {
	def := "n"
	if value {
		def = "y"
	}
	fmt.Fprintf(out, "y for %s, n for %s [%s]: ", yes, no, def)
}

// readYesNo reads the answer to promptYesNo; an empty one keeps value.
func readYesNo(line string, value bool) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "":
		return value, nil
	case "y", "yes":
		return true, nil
	case "n", "no":
		return false, nil
	}
	return value, errors.New("answer y or n")
}

// lineInput gives the accessible form its input a line at a time, read by
// a goroutine of its own so that an interrupt (Ctrl+C) or a stop can end a
// question while a read is waiting.
type lineInput struct {
	lines     chan lineRead
	done      chan struct{}
	stop      <-chan struct{}
	interrupt <-chan os.Signal
	ended     bool
}

type lineRead struct {
	line string
	err  error
}

// newLineInput reads r a line at a time until ctx ends.
func newLineInput(ctx context.Context, r io.Reader, interrupt <-chan os.Signal) *lineInput {
	l := &lineInput{lines: make(chan lineRead), done: make(chan struct{}), stop: ctx.Done(), interrupt: interrupt}
	go func() {
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			select {
			case l.lines <- lineRead{line, err}:
			case <-l.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return l
}

// readLine returns the next whole line. The end of the input, even after
// part of a line, is ErrInputEnded; an interrupt is ErrCancelled, and the
// end of the form's context (the terminal closed, a stop) ErrStopped.
func (l *lineInput) readLine() (string, error) {
	if l.ended {
		return "", ErrInputEnded
	}
	select {
	case r := <-l.lines:
		if r.err != nil {
			l.ended = true
			return "", ErrInputEnded
		}
		return r.line, nil
	case <-l.interrupt:
		return "", ErrCancelled
	case <-l.stop:
		return "", ErrStopped
	}
}

// close lets the reading goroutine end once its read returns.
func (l *lineInput) close() { close(l.done) }
