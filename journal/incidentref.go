package journal

import (
	"errors"
	"strconv"
	"strings"
)

// Incident numbers on several devices.
//
// Each device numbers only its own incidents, from its own count, and each
// device has a tag that the owner-signed manifest fixes when it is
// enrolled: 0 for the device that made the journal; for the others, two
// letters drawn from the device's key ([Statement.TagFor]; devices
// enrolled before were counted 1, 2, ...). An incident's number is the tag
// in the high bits and the device's count in the low [refBits]. It is
// written as the count alone for tag 0 (so a journal kept on one computer
// numbers 1, 2, 3 as it always did) and as letters and the count for the
// others ("kq7" is the seventh incident of the device whose tag is "kq"). Such a number is short, is given offline without asking
// any other device, never changes once shown, and never names another
// incident on any device.
const refBits = 40

// refMax is the highest count of one device's incidents.
const refMax = 1<<refBits - 1

// IncidentNumber returns the number of a device's n-th incident.
func IncidentNumber(tag uint16, n uint64) uint64 {
	return uint64(tag)<<refBits | n&refMax
}

// IncidentTag splits an incident's number into its device's tag and
// count.
func IncidentTag(id uint64) (tag uint16, n uint64) {
	return uint16(id >> refBits), id & refMax
}

// IncidentRef is the written form of an incident's number: "12", "b7".
func IncidentRef(id uint64) string {
	tag, n := IncidentTag(id)
	if tag == 0 {
		return strconv.FormatUint(n, 10)
	}
	return tagLetters(tag) + strconv.FormatUint(n, 10)
}

// tagLetters writes a tag as letters: 1 is "b", 25 is "z", 26 is "ba"
// ("a" would be the first device, which is written without a letter).
func tagLetters(tag uint16) string {
	var b []byte
	for k := int(tag); ; k /= 26 {
		b = append(b, byte('a'+k%26))
		if k < 26 {
			break
		}
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// ErrBadRef is an incident number that cannot be read.
var ErrBadRef = errors.New("not an incident number: give a number such as 12, or a device's letter and a number such as b7")

// ParseIncidentRef reads an incident's number as [IncidentRef] writes it,
// in either case, with or without a leading '#', or the whole number as
// JSON and CSV give it.
func ParseIncidentRef(s string) (uint64, error) {
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	i := 0
	for i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
		i++
	}
	letters, digits := s[:i], s[i:]
	if digits == "" || len(letters) > 3 || (len(letters) > 1 && letters[0] == 'a') {
		return 0, ErrBadRef
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n == 0 || digits[0] == '0' {
		return 0, ErrBadRef
	}
	if letters == "" && n > refMax {
		// The whole number, as JSON and CSV give it.
		if n&refMax == 0 || n>>refBits > 0xffff {
			return 0, ErrBadRef
		}
		return n, nil
	}
	if n > refMax {
		return 0, ErrBadRef
	}
	tag := 0
	for _, c := range []byte(letters) {
		tag = tag*26 + int(c-'a')
	}
	if tag > 0xffff {
		return 0, ErrBadRef
	}
	return IncidentNumber(uint16(tag), n), nil
}
