package pdfstream

import (
	"fmt"
	"strconv"
)

// The outline (bookmarks) has two levels: sections, kept until Close, and
// the items under them, each written as soon as the next one is known.

// topItem is a bookmark of the first level.
type topItem struct {
	num         int
	title, dest string
	first, last int
	count       int
	pending     *subItem
}

// subItem is a bookmark of the second level not yet written, waiting to
// learn the number of the one after it.
type subItem struct {
	num, prev   int
	title, dest string
}

// Bookmark adds a bookmark at the current page to the outline, at level 0
// (a section) or 1 (under the last section), at y from the top of the
// page (-1: the current position).
func (d *Doc) Bookmark(title string, level int, y float64) {
	if d.page == nil {
		d.fail(fmt.Errorf("a bookmark before the first page"))
		return
	}
	if y == -1 {
		y = d.y
	}
	dest := fmt.Sprintf("[%d 0 R /XYZ 0 %s null]", d.page.num, num((pageH-y)*k))
	if level == 0 || len(d.outline) == 0 {
		if len(d.outline) > 0 {
			d.flushSub(d.outline[len(d.outline)-1], 0)
		}
		d.outline = append(d.outline, &topItem{num: d.reserve(), title: title, dest: dest})
		return
	}
	top := d.outline[len(d.outline)-1]
	it := &subItem{num: d.reserve(), title: title, dest: dest}
	if top.pending != nil {
		it.prev = top.pending.num
		d.flushSub(top, it.num)
	} else {
		top.first = it.num
	}
	top.pending, top.last = it, it.num
	top.count++
}

// flushSub writes the waiting bookmark under top, with next the number
// of the one after it (0: none).
func (d *Doc) flushSub(top *topItem, next int) {
	it := top.pending
	if it == nil {
		return
	}
	s := "<</Title " + textString(it.title) + " /Parent " + strconv.Itoa(top.num) + " 0 R /Dest " + it.dest
	if it.prev != 0 {
		s += " /Prev " + strconv.Itoa(it.prev) + " 0 R"
	}
	if next != 0 {
		s += " /Next " + strconv.Itoa(next) + " 0 R"
	}
	d.object(it.num, s+">>")
	top.pending = nil
}

// writeOutline writes the sections' bookmarks and the outline's root, and
// returns the root's number (0 when there is no bookmark).
func (d *Doc) writeOutline() int {
	if len(d.outline) == 0 {
		return 0
	}
	root := d.reserve()
	for i, top := range d.outline {
		d.flushSub(top, 0)
		s := "<</Title " + textString(top.title) + " /Parent " + strconv.Itoa(root) + " 0 R /Dest " + top.dest
		if i > 0 {
			s += " /Prev " + strconv.Itoa(d.outline[i-1].num) + " 0 R"
		}
		if i+1 < len(d.outline) {
			s += " /Next " + strconv.Itoa(d.outline[i+1].num) + " 0 R"
		}
		if top.count > 0 {
			s += fmt.Sprintf(" /First %d 0 R /Last %d 0 R /Count %d", top.first, top.last, -top.count)
		}
		d.object(top.num, s+">>")
	}
	d.object(root, fmt.Sprintf("<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>",
		d.outline[0].num, d.outline[len(d.outline)-1].num, len(d.outline)))
	return root
}
