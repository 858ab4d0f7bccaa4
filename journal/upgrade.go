package journal

import (
	"crypto/ed25519"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Upgrade turns a journal of format version 1 into version 2, in one
// transaction: every old record and its chain stay as they are; the first
// statement of the manifest, signed by owner, names the journal's own
// recipient, enrols devices and records the upgrade with the last old
// record, which from then on is covered by the owner's signature. The
// identity is wrapped to any other recipient the old journal sealed to
// (wraps), so that those keys still read everything. The caller has
// checked the old journal ([Store.Verify]) and made a backup.
func (s *Store) Upgrade(owner ed25519.PrivateKey, recipient string, devices []DeviceEntry, wraps []Unlock) error {
	if s.version != 1 {
		return fmt.Errorf("this journal is of format version %d, not 1", s.version)
	}
	err := s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if formatVersion(meta.Get(keyFormat)) != 1 || tx.Bucket(bucketManifest) != nil {
			return fmt.Errorf("this journal was upgraded meanwhile")
		}
		old := strings.Split(string(meta.Get(keyRecipients)), "\n")
		if len(old) == 0 || old[0] != recipient {
			return &IntegrityError{Reason: "its key is not the one the old journal sealed to"}
		}
		seq, h, err := head(tx)
		if err != nil {
			return err
		}
		st := &Statement{At: time.Now().UTC().Truncate(time.Second), Recipient: recipient, Devices: devices,
			Change: "upgraded from format version 1", V1Head: JSONRef(ChainRef{N: seq, Hash: h})}
		if err := putStatement(tx, owner, ChainRef{}, st); err != nil {
			return err
		}
		if len(wraps) > 0 {
			b, err := tx.CreateBucketIfNotExists(bucketUnlock)
			if err != nil {
				return err
			}
			for _, w := range wraps {
				if err := b.Put([]byte(w.Recipient), w.Wrapped); err != nil {
					return err
				}
			}
		}
		if err := meta.Delete(keyRecipients); err != nil {
			return err
		}
		return meta.Put(keyFormat, []byte(formatPrefix+fmt.Sprint(FormatVersion)))
	})
	if err != nil {
		return err
	}
	s.version = FormatVersion
	return nil
}
