package witness

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/journal-dev/journal/journal"
)

// The extension lines of a checkpoint's note text: what it covers, per
// device, and the device that took it.
//
//	v1 PLACE HASH              the last version 1 record covered, if any
//	device DEVICE PLACE HASH   each device's newest record covered
//	made-by DEVICE             the device that took the checkpoint
//
// HASH is a record's chain hash in base64, as the checkpoint's own hash
// line; DEVICE a device's public key as journal.DeviceName gives it.

// extensionText is the extension lines for covers and madeBy ("" for none).
func extensionText(covers *journal.Covers, madeBy string) string {
	if covers == nil {
		return ""
	}
	var b strings.Builder
	if covers.V1 > 0 {
		fmt.Fprintf(&b, "v1 %d %s\n", covers.V1, hexToBase64(covers.V1Hash))
	}
	for _, d := range covers.Devices {
		fmt.Fprintf(&b, "device %s %d %s\n", d.Device, d.Place, hexToBase64(d.Hash))
	}
	if madeBy != "" {
		fmt.Fprintf(&b, "made-by %s\n", madeBy)
	}
	return b.String()
}

func hexToBase64(h string) string {
	b, _ := hex.DecodeString(h)
	return base64.StdEncoding.EncodeToString(b)
}

// parseExtensions reads the extension lines after the key line. Lines of
// a kind it does not know are left for later versions to read.
func (c *Checkpoint) parseExtensions(lines []string) error {
	bad := func(line string) error { return fmt.Errorf("its line %q cannot be read", line) }
	for _, line := range lines {
		f := strings.Split(line, " ")
		switch f[0] {
		case "v1", "device":
			want := 3
			if f[0] == "device" {
				want = 4
			}
			if len(f) != want {
				return bad(line)
			}
			place, err := strconv.ParseUint(f[want-2], 10, 64)
			h, herr := base64.StdEncoding.DecodeString(f[want-1])
			if err != nil || place == 0 || strconv.FormatUint(place, 10) != f[want-2] || herr != nil || len(h) != 32 {
				return bad(line)
			}
			if c.Covers == nil {
				c.Covers = &journal.Covers{Devices: []journal.CoveredDevice{}}
			}
			if f[0] == "v1" {
				if c.Covers.V1 != 0 {
					return bad(line)
				}
				c.Covers.V1, c.Covers.V1Hash = place, hex.EncodeToString(h)
				continue
			}
			c.Covers.Devices = append(c.Covers.Devices, journal.CoveredDevice{Device: f[1], Place: place, Hash: hex.EncodeToString(h)})
		case "made-by":
			if len(f) != 2 || c.MadeBy != "" {
				return bad(line)
			}
			c.MadeBy = f[1]
		}
	}
	return nil
}

// checkCovers checks that the records a checkpoint names per device make
// the journal head it signed, and as many records as it counts: a list
// that does not is not what the journal's key signed for.
func (c *Checkpoint) checkCovers() error {
	if c.Covers == nil {
		if c.MadeBy != "" {
			return errors.New("it names the computer that took it but not the records it covers")
		}
		return nil
	}
	id, err := hex.DecodeString(strings.TrimPrefix(c.Origin, "journal "))
	if err != nil {
		return errors.New("its journal identifier cannot be read")
	}
	if c.Covers.Check(id, journal.HeadHex(c.Hash)) != nil {
		return errors.New("the records it names for each computer do not make the hash it states")
	}
	n := c.Covers.V1
	for _, d := range c.Covers.Devices {
		n += d.Place
	}
	if n != c.Count {
		return fmt.Errorf("it counts %d records but names %d", c.Count, n)
	}
	if c.MadeBy != "" {
		if _, err := journal.ParseDeviceName(c.MadeBy); err != nil {
			return errors.New("the computer it names as having taken it cannot be read")
		}
	}
	return nil
}
