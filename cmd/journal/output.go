package main

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/journal-dev/journal/export"
	"github.com/journal-dev/journal/internal/pager"
)

// outputScreen looks at standard output: on a terminal, its size, whether
// to use colour, and the pager that takes long output: JOURNAL_PAGER, then
// PAGER, then less.
func (g *globals) outputScreen() pager.Screen {
	return pager.Look(g.out, "JOURNAL_PAGER", "PAGER")
}

// textOptions wraps the text timeline to the terminal's width and, where
// colour is allowed, dresses it.
func textOptions(t pager.Screen) export.TextOptions {
	if t.File == nil {
		return export.TextOptions{}
	}
	opts := export.TextOptions{Width: max(t.Width, 40)}
	if !t.Color {
		return opts
	}
	r := lipgloss.NewRenderer(t.File)
	styles := map[export.Role]lipgloss.Style{
		export.Heading:  r.NewStyle().Bold(true),
		export.Emphasis: r.NewStyle().Bold(true),
		export.Muted:    r.NewStyle().Faint(true),
		export.Warning:  r.NewStyle().Foreground(lipgloss.Color("3")),
		export.Bar:      r.NewStyle().Foreground(lipgloss.Color("6")),
	}
	opts.Style = func(role export.Role, s string) string {
		if st, ok := styles[role]; ok {
			return st.Render(s)
		}
		return s
	}
	return opts
}
