package journal

import (
	"encoding/json"

	bolt "go.etcd.io/bbolt"
)

// What the stamps this computer took cover, kept beside the stamp queue.
// The queue holds the heads of this computer's own records until a stamp
// covers them; records merged from other computers never enter it (their
// own computer stamps them), yet 'journal stamp' covers every record this
// computer holds, and says nothing waits only when that is so. This
// computer cannot read, without the key, which records are stamps and what
// a stamp merged from another computer covers, so it keeps, for each other
// device, the newest place a stamp it took covered: merged records past it
// wait. A stamp record merged from another computer therefore also waits
// for this computer's next stamp. Kept in clear, like the queue: someone
// with the file can make records look covered (the next stamp of this
// computer's own records covers them anyway), never make a stamp sign
// other than this journal's head.

var keyLastStamped = []byte("laststamped")

// lastStamped is, for each device (by DeviceName; "" for the version 1
// records), the newest place a stamp this computer took covers.
type lastStamped map[string]uint64

func readLastStamped(tx *bolt.Tx) lastStamped {
	l := lastStamped{}
	if v := tx.Bucket(bucketMeta).Get(keyLastStamped); v != nil {
		_ = json.Unmarshal(v, &l) // unreadable: nothing counts as covered
	}
	return l
}

// noteStamped adds what a stamp this computer is recording covers.
func noteStamped(tx *bolt.Tx, c *Covers) error {
	if c == nil {
		return nil
	}
	l := readLastStamped(tx)
	l[""] = max(l[""], c.V1)
	for _, d := range c.Devices {
		l[d.Device] = max(l[d.Device], d.Place)
	}
	return l.put(tx)
}

// noteOwnStamps counts this computer's records up to the stamp records
// it has just appended as covered: a stamp record needs no stamp, and a
// record of its own appended meanwhile is still in the queue.
func noteOwnStamps(tx *bolt.Tx, dev *Device) error {
	if dev == nil {
		return nil
	}
	_, e, _, err := deviceHeadPos(tx, dev.Public())
	if err != nil || e == nil {
		return err
	}
	l := readLastStamped(tx)
	name := DeviceName(dev.Public())
	l[name] = max(l[name], e.Place)
	return l.put(tx)
}

func (l lastStamped) put(tx *bolt.Tx) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyLastStamped, b)
}

// mergedWaiting counts the records of h, other than those of device own
// (which the queue accounts for), that no stamp this computer took covers.
func mergedWaiting(h *headVector, l lastStamped, own string) uint64 {
	var n uint64
	if h.v1Seq > l[""] && own != "" {
		n += h.v1Seq - l[""]
	}
	for k, d := range h.devs {
		name := DeviceName([]byte(k))
		if name != own && d.place > l[name] {
			n += d.place - l[name]
		}
	}
	return n
}

// ownDevice is the name of this computer's device ("" when it has none),
// also for a store opened only to read.
func (s *Store) ownDevice() string {
	d := s.opts.Device
	if d == nil {
		d, _ = LoadDevice(s.ID())
	}
	if d == nil {
		return ""
	}
	return DeviceName(d.Public())
}
