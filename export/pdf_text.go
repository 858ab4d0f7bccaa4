package export

import (
	"slices"
	"strings"
)

// The report writes text through write and cell below, in several faces
// and wrapped to a width, rather than through the PDF writer's own cells,
// which know one font.

// fontKey names a face, style and size.
type fontKey struct {
	face, style string
	size        float64
}

// measure sets each word's width in the current style and size.
func (r *report) measure(ws []word) {
	style, size := r.style, r.size
	if r.widths == nil || len(r.widths) >= maxWidths {
		// Words of many incidents would fill it without end.
		r.widths = make(map[widthKey]float64, 1024)
	}
	for i := range ws {
		w := 0.0
		for _, s := range ws[i].segs {
			// The same words come again and again: their widths are
			// kept, each word copied, as it may lie in a block of
			// incidents read from the journal that would stay in
			// memory for it.
			k := widthKey{fontKey{s.face, style, size}, s.text}
			sw, ok := r.widths[k]
			if !ok {
				r.setFace(s.face, style, size)
				sw = r.pdf.GetStringWidth(s.text)
				k.text = strings.Clone(k.text)
				r.widths[k] = sw
			}
			w += sw
		}
		ws[i].w = w
	}
	r.font(style, size)
}

// maxWidths is how many widths of words are kept at most.
const maxWidths = 8192

// widthKey is a piece of text in a font, whose width is kept.
type widthKey struct {
	font fontKey
	text string
}

// setFace selects the face of a segment: the report's font in style, or
// a fallback font, which has one style.
func (r *report) setFace(face, style string, size float64) {
	if face == "" {
		r.pdf.SetFont("text", style, size)
	} else {
		r.pdf.SetFont(face, "", size)
	}
}

// wrap breaks text into lines no wider than w in the current font.
func (r *report) wrap(text string, w float64) [][]word {
	ws := r.glyphs.words(text)
	r.measure(ws)
	var lines [][]word
	var line []word
	lw := 0.0
	end := func() {
		for len(line) > 0 && line[len(line)-1].space {
			line = line[:len(line)-1]
		}
		lines = append(lines, line)
		line, lw = nil, 0
	}
	for i, wd := range ws {
		switch {
		case wd.brk:
			end()
			continue
		case wd.space && len(line) == 0 && len(lines) > 0:
			continue // no space at the start of a wrapped line
		}
		// Words glued to this one go on the same line.
		need := wd.w
		for j := i + 1; j < len(ws) && ws[j].glue; j++ {
			need += ws[j].w
		}
		if !wd.glue && lw+need > w && len(line) > 0 {
			end()
			if wd.space {
				continue
			}
		}
		for wd.w > w && !wd.space {
			// A word longer than the line is broken by characters.
			head, rest := r.splitWord(wd, w)
			lines = append(lines, []word{head})
			wd = rest
		}
		line = append(line, wd)
		lw += wd.w
	}
	if len(line) > 0 || len(lines) == 0 {
		end()
	}
	return lines
}

// splitWord cuts a word so that its head fits in w (at least one
// character goes in the head).
func (r *report) splitWord(wd word, w float64) (head, rest word) {
	var runes []struct {
		face string
		r    rune
	}
	for _, s := range wd.segs {
		for _, c := range s.text {
			runes = append(runes, struct {
				face string
				r    rune
			}{s.face, c})
		}
	}
	// build joins runes[from:to] into a word, a segment per run of one
	// face, each written once: a word of many thousand characters is cut
	// into many lines, and adding to a string a character at a time
	// copied it all again for each.
	build := func(from, to int) word {
		var out word
		var b strings.Builder
		for i, x := range runes[from:to] {
			if i > 0 && x.face != runes[from+i-1].face {
				out.segs = append(out.segs, segment{runes[from+i-1].face, b.String()})
				b.Reset()
			}
			b.WriteRune(x.r)
		}
		if to > from {
			out.segs = append(out.segs, segment{runes[to-1].face, b.String()})
		}
		ws := []word{out}
		r.measure(ws)
		return ws[0]
	}
	n := 1
	for n < len(runes) && build(0, n+1).w <= w {
		n++
	}
	return build(0, n), build(n, len(runes))
}

// lineWidth is the width of a line of words.
func lineWidth(line []word) float64 {
	w := 0.0
	for _, wd := range line {
		w += wd.w
	}
	return w
}

// drawLine draws one line with its top at y, from x across w, aligned
// "L", "C" or "R", right-to-left runs in reading order.
func (r *report) drawLine(line []word, x, y, w, h float64, align string) {
	texts := make([]string, len(line))
	for i, wd := range line {
		var b strings.Builder
		for _, s := range wd.segs {
			b.WriteString(s.text)
		}
		texts[i] = b.String()
	}
	order := line
	if rtlLine(texts) {
		// A line in a right-to-left script reads from the right.
		idx, flip := rtlVisual(texts)
		order = make([]word, len(line))
		for k, i := range idx {
			wd := line[i]
			if flip[i] {
				segs := slices.Clone(wd.segs)
				slices.Reverse(segs)
				for j := range segs {
					segs[j].text = reverseWord(segs[j].text)
				}
				wd.segs = segs
			}
			order[k] = wd
		}
		if align == "L" {
			align = "R"
		}
	} else if slices.ContainsFunc(texts, hasRTL) {
		order = slices.Clone(line)
		for _, run := range rtlRuns(texts) {
			for k := run[0]; k < run[1]; k++ {
				segs := slices.Clone(order[k].segs)
				slices.Reverse(segs)
				for j := range segs {
					segs[j].text = reverseWord(segs[j].text)
				}
				order[k].segs = segs
			}
			slices.Reverse(order[run[0]:run[1]])
		}
	}
	lw := lineWidth(order)
	switch align {
	case "R":
		x += w - lw
	case "C":
		x += (w - lw) / 2
	}
	_, unit := r.pdf.GetFontSize()
	base := y + 0.5*h + 0.3*unit
	// Consecutive text in one face is drawn at once, spaces and all:
	// the widths are the font's own, so it lands where it was measured.
	var runs []segment
	for _, wd := range order {
		for _, s := range wd.segs {
			if n := len(runs); n > 0 && runs[n-1].face == s.face {
				runs[n-1].text += s.text
			} else {
				runs = append(runs, s)
			}
		}
	}
	style, size := r.style, r.size
	for _, s := range runs {
		r.setFace(s.face, style, size)
		if strings.TrimSpace(s.text) != "" {
			r.pdf.Text(x, base, s.text)
		}
		x += r.pdf.GetStringWidth(s.text)
	}
	r.font(style, size)
}

// write sets text wrapped across w from the current position, h a line,
// starting new pages as needed; the position ends below it at the left of
// the text. With fill, each line's background is shaded.
func (r *report) write(w, h float64, text string, align string, fill bool) {
	x := r.pdf.GetX()
	pad := r.pdf.GetCellMargin()
	for _, line := range r.wrap(text, w-2*pad) {
		if r.pdf.GetY()+h > bottom {
			r.pdf.AddPage()
			if r.tableHeader != nil {
				r.tableHeader()
			}
		}
		y := r.pdf.GetY()
		if fill {
			r.pdf.Rect(x, y, w, h, "F")
		}
		r.drawLine(line, x+pad, y, w-2*pad, h, align)
		r.pdf.SetXY(x, y+h)
	}
}

// cell sets text on one line in a box w wide, shortened with an ellipsis
// if it does not fit, and moves right of it (or, with ln, to the next
// line at the left margin).
func (r *report) cell(w, h float64, text string, align string, ln bool) {
	x, y := r.pdf.GetX(), r.pdf.GetY()
	pad := r.pdf.GetCellMargin()
	lines := r.wrap(strings.Join(strings.Fields(text), " "), w-2*pad)
	line := lines[0]
	if len(lines) > 1 {
		line = r.ellipsis(line, w-2*pad)
	}
	r.drawLine(line, x+pad, y, w-2*pad, h, align)
	if ln {
		r.pdf.SetXY(margin, y+h)
	} else {
		r.pdf.SetXY(x+w, y)
	}
}

// ellipsis ends a line with "…", dropping words to make room.
func (r *report) ellipsis(line []word, w float64) []word {
	dots := r.glyphs.words("…")
	r.measure(dots)
	for len(line) > 0 && (lineWidth(line)+dots[0].w > w || line[len(line)-1].space) {
		line = line[:len(line)-1]
	}
	return append(line, dots...)
}

// lineCount says how many lines text takes across w in the current font.
func (r *report) lineCount(text string, w float64) int {
	return len(r.wrap(text, w-2*r.pdf.GetCellMargin()))
}
