package agent

import (
	"encoding/binary"
	"errors"

	"github.com/journal-dev/journal/crypto"
)

// appendStanzas encodes stanzas: their count, then for each its type, its
// arguments and its body, every string and list length-prefixed.
func appendStanzas(b []byte, stanzas []*crypto.Stanza) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(stanzas)))
	for _, s := range stanzas {
		b = appendString(b, s.Type)
		b = binary.BigEndian.AppendUint16(b, uint16(len(s.Args)))
		for _, a := range s.Args {
			b = appendString(b, a)
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(s.Body)))
		b = append(b, s.Body...)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
	return append(b, s...)
}

// errStanzas is any stanza encoding that does not decode.
var errStanzas = errors.New("malformed stanzas")

// decodeStanzas reads what appendStanzas writes, and nothing else.
func decodeStanzas(b []byte) ([]*crypto.Stanza, error) {
	d := decoder{b: b}
	n := d.u16()
	if n > 64 {
		return nil, errStanzas
	}
	stanzas := make([]*crypto.Stanza, 0, n)
	for range n {
		s := &crypto.Stanza{Type: d.str()}
		args := d.u16()
		if args > 64 {
			return nil, errStanzas
		}
		for range args {
			s.Args = append(s.Args, d.str())
		}
		s.Body = d.bytes(int(d.u32()))
		stanzas = append(stanzas, s)
	}
	if d.bad || len(d.b) != 0 {
		return nil, errStanzas
	}
	return stanzas, nil
}

// decoder reads big-endian fields, remembering whether it ran out.
type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) bytes(n int) []byte {
	if d.bad || n < 0 || n > len(d.b) {
		d.bad = true
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) u16() uint16 {
	if b := d.bytes(2); b != nil {
		return binary.BigEndian.Uint16(b)
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if b := d.bytes(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if b := d.bytes(8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

func (d *decoder) str() string { return string(d.bytes(int(d.u16()))) }
