package pdfstream

import (
	"encoding/binary"
	"slices"
	"sort"

	"golang.org/x/image/font/sfnt"
)

// subset returns a TrueType font holding only the glyphs given (and the
// glyphs they are made of, and .notdef), each under its own glyph id: the others are
// left empty, and the glyphs after the last one used are cut off. A font
// it cannot read is returned whole.
func subset(ttf []byte, glyphs []sfnt.GlyphIndex) []byte {
	out, ok := subsetTables(ttf, glyphs)
	if !ok {
		return ttf
	}
	return out
}

type table struct {
	tag  string
	data []byte
}

// kept are the tables a PDF reader needs to draw the glyphs of a
// CIDFontType2 font.
var kept = []string{"OS/2", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "prep"}

func subsetTables(ttf []byte, glyphs []sfnt.GlyphIndex) ([]byte, bool) {
	if len(ttf) < 12 {
		return nil, false
	}
	tables := map[string][]byte{}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, false
		}
		tag := string(ttf[rec : rec+4])
		off, size := int(binary.BigEndian.Uint32(ttf[rec+8:])), int(binary.BigEndian.Uint32(ttf[rec+12:]))
		if off < 0 || size < 0 || off+size > len(ttf) || off+size < off {
			return nil, false
		}
		tables[tag] = ttf[off : off+size]
	}
	head, maxp, hhea, loca, glyf, hmtx := tables["head"], tables["maxp"], tables["hhea"], tables["loca"], tables["glyf"], tables["hmtx"]
	if len(head) < 54 || len(maxp) < 6 || len(hhea) < 36 || glyf == nil || loca == nil || hmtx == nil {
		return nil, false
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	at := func(g int) (int, int, bool) {
		if g < 0 || g >= numGlyphs {
			return 0, 0, false
		}
		var a, b int
		if long {
			if 4*g+8 > len(loca) {
				return 0, 0, false
			}
			a, b = int(binary.BigEndian.Uint32(loca[4*g:])), int(binary.BigEndian.Uint32(loca[4*g+4:]))
		} else {
			if 2*g+4 > len(loca) {
				return 0, 0, false
			}
			a, b = 2*int(binary.BigEndian.Uint16(loca[2*g:])), 2*int(binary.BigEndian.Uint16(loca[2*g+2:]))
		}
		if a > b || b > len(glyf) {
			return 0, 0, false
		}
		return a, b, true
	}
	// The glyphs used, and those composite glyphs are made of.
	use := map[int]bool{}
	todo := make([]int, 0, len(glyphs)+1)
	todo = append(todo, 0) // .notdef, always
	for _, g := range glyphs {
		todo = append(todo, int(g))
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if use[g] {
			continue
		}
		a, b, ok := at(g)
		if !ok {
			return nil, false
		}
		use[g] = true
		todo = append(todo, components(glyf[a:b])...)
	}
	last := 0
	for g := range use {
		last = max(last, g)
	}
	count := last + 1
	// glyf and loca, long offsets.
	var newGlyf []byte
	newLoca := make([]byte, 4*(count+1))
	for g := range count {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if use[g] {
			a, b, _ := at(g)
			newGlyf = append(newGlyf, glyf[a:b]...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*count:], uint32(len(newGlyf)))
	// hmtx: the metrics of the glyphs kept.
	metrics := int(binary.BigEndian.Uint16(hhea[34:]))
	hlen := count*4 + 0
	if count > metrics {
		hlen = metrics*4 + (count-metrics)*2
	} else {
		metrics = count
	}
	if hlen > len(hmtx) {
		return nil, false
	}
	newHead, newMaxp, newHhea := slices.Clone(head), slices.Clone(maxp), slices.Clone(hhea)
	binary.BigEndian.PutUint32(newHead[8:], 0)
	binary.BigEndian.PutUint16(newHead[50:], 1)
	binary.BigEndian.PutUint16(newMaxp[4:], uint16(count))
	binary.BigEndian.PutUint16(newHhea[34:], uint16(metrics))
	tables["head"], tables["maxp"], tables["hhea"] = newHead, newMaxp, newHhea
	tables["glyf"], tables["loca"], tables["hmtx"] = newGlyf, newLoca, hmtx[:hlen]
	var out []table
	for _, tag := range kept {
		if t, ok := tables[tag]; ok {
			out = append(out, table{tag, t})
		}
	}
	return assemble(out), true
}

// components returns the glyphs a composite glyph is made of.
func components(g []byte) []int {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	var out []int
	for p := 10; p+4 <= len(g); {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, int(binary.BigEndian.Uint16(g[p+2:])))
		p += 4
		if flags&1 != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&8 != 0:
			p += 2
		case flags&0x40 != 0:
			p += 4
		case flags&0x80 != 0:
			p += 8
		}
		if flags&0x20 == 0 {
			break
		}
	}
	return out
}

// assemble writes a TrueType file of the tables, sorted by tag.
func assemble(tables []table) []byte {
	sort.Slice(tables, func(i, j int) bool { return tables[i].tag < tables[j].tag })
	n := len(tables)
	entry := 0
	for 1<<(entry+1) <= n {
		entry++
	}
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16<<entry))
	binary.BigEndian.PutUint16(out[8:], uint16(entry))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16<<entry))
	for i, t := range tables {
		rec := out[12+16*i:]
		copy(rec, t.tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(t.data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t.data)))
		out = append(out, t.data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
