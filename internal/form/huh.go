package form

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"
)

// buildHuhForm makes the full-screen form of the pages, and says on which
// page each of its fields is.
func buildHuhForm(pages []page) (*huh.Form, map[huh.Field]int) {
	var groups []*huh.Group
	pageOf := map[huh.Field]int{}
	for n, p := range pages {
		var fields []huh.Field
		for i := range p.questions {
			q := &p.questions[i]
			f := huhField(q)
			pageOf[f] = n
			fields = append(fields, f)
		}
		gr := huh.NewGroup(fields...).Title(p.title)
		if p.hide != nil {
			gr = gr.WithHideFunc(p.hide)
		}
		groups = append(groups, gr)
	}
	return withTheme(huh.NewForm(groups...)), pageOf
}

// withTheme sets the form's theme: without colour (NO_COLOR, a dumb
// terminal), the chosen button is marked with brackets, so that it shows.
func withTheme(f *huh.Form) *huh.Form {
	if !noColor() {
		return f
	}
	t := huh.ThemeBase()
	mark := func(s string) string { return "[" + strings.TrimSpace(s) + "]" }
	pad := func(s string) string { return " " + strings.TrimSpace(s) + " " }
	t.Focused.FocusedButton = t.Focused.FocusedButton.Transform(mark)
	t.Focused.BlurredButton = t.Focused.BlurredButton.Transform(pad)
	t.Blurred.FocusedButton = t.Blurred.FocusedButton.Transform(mark)
	t.Blurred.BlurredButton = t.Blurred.BlurredButton.Transform(pad)
	return f.WithTheme(t)
}

// noColor reports whether the terminal shows no colour.
func noColor() bool {
	return os.Getenv("NO_COLOR") != "" || dumb()
}

// multiHeight is the height of a list of choices, its title included.
const multiHeight = 8

func huhField(q *question) huh.Field {
	validate := func(s string) error {
		if q.validate == nil {
			return nil
		}
		return q.validate(s)
	}
	switch q.kind {
	case askText:
		return huh.NewText().Title(q.title).Description(q.help + " Alt+Enter starts a new line; Ctrl+E opens your editor.").
			Value(q.str).Validate(validate).Lines(4)
	case askSelect:
		opts := make([]huh.Option[string], len(q.choices))
		for i, c := range q.choices {
			opts[i] = huh.NewOption(c.label, c.value)
		}
		return huh.NewSelect[string]().Title(q.title).Description(q.help).Options(opts...).Value(q.str)
	case askMulti:
		opts := make([]huh.Option[string], len(q.choices))
		for i, c := range q.choices {
			opts[i] = huh.NewOption(c.label, c.value).Selected(slices.Contains(*q.strs, c.value))
		}
		help := q.help + " Space chooses, enter goes on."
		if len(opts) > multiHeight-2 {
			// The list shows a few at a time: say there are more.
			help += fmt.Sprintf(" %d choices: ↓ shows more.", len(opts))
		}
		return huh.NewMultiSelect[string]().Title(q.title).Description(help).
			Options(opts...).Value(q.strs).Height(multiHeight)
	case askConfirm:
		c := huh.NewConfirm().Title(q.title).Description(q.help).Affirmative(q.yes).Negative(q.no).Value(q.b)
		if q.check != nil {
			c = c.Validate(q.check)
		}
		return c
	case askNote:
		return huh.NewNote().Title(q.title).DescriptionFunc(q.note, q.binding)
	default:
		return huh.NewInput().Title(q.title).Description(q.help).Value(q.str).Validate(validate)
	}
}

// dumb reports whether the terminal cannot show the full-screen
// form.
func dumb() bool {
	return os.Getenv("TERM") == "dumb"
}
