package journal

import (
	"bytes"
	"crypto/ed25519"
	"errors"

	bolt "go.etcd.io/bbolt"
)

// bucketOldKeys holds the journal's earlier identities, each an age file
// sealed to the current identity's recipient, so that whoever unlocks the
// current one reads the records sealed to earlier ones too.
var bucketOldKeys = []byte("oldkeys")

// Rekey is a change of the journal's key: records from now on are sealed
// to a new identity, and the earlier one is kept sealed to it.
type Rekey struct {
	// Owner is the current owner key, which signs the change; NewOwner
	// is the new identity's owner key, which signs a statement after it
	// (see [Manifest.SignedBy]).
	Owner    ed25519.PrivateKey
	NewOwner ed25519.PrivateKey
	// Recipient is the new identity's recipient, Wrapped the new
	// identity wrapped with the new passphrase.
	Recipient string
	Wrapped   []byte
	// OldKeys are every earlier identity, the one being replaced
	// included, each sealed to the new recipient.
	OldKeys [][]byte
	// Unlocks are the new identity wrapped to each recovery recipient,
	// in place of the old ones.
	Unlocks []Unlock
}

// Rekey changes the journal's key in one transaction: a manifest statement
// signed by the current owner names the new recipient and the new owner,
// and one signed by the new owner follows it;
// the wrapped identity, the recovery wraps and the earlier keys are
// replaced; the cache, sealed to the old key, is dropped. Then the free
// pages are cleared, so that the old wraps cannot be read from the file.
func (s *Store) Rekey(head ChainRef, k *Rekey) error {
	err := s.update(func(tx *bolt.Tx) error {
		m, err := readManifest(tx)
		if err != nil {
			return err
		}
		if m == nil {
			return ErrOldFormat
		}
		if m.HeadRef() != head {
			return errors.New("the journal's manifest changed meanwhile: try again")
		}
		cur, _ := m.Head().OwnerKey()
		if !cur.Equal(k.Owner.Public()) {
			return errors.New("this key is not the journal's owner key")
		}
		st := *m.Head()
		st.Recipient, st.Owner, st.Change, st.V1Head = k.Recipient, DeviceName(k.NewOwner.Public().(ed25519.PublicKey)), "rekeyed", nil
		st.At = nowUTC()
		st.Merges = m.mergeRefs()
		ref, err := putStatementRef(tx, k.Owner, head, &st)
		if err != nil {
			return err
		}
		// The new owner key confirms the change: a computer that joins
		// later holds only the new key, and a statement it signed vouches
		// for the whole manifest before it, which a change signed by the
		// old key alone cannot (anyone can end a chain of their own with
		// one naming the new owner).
		confirm := st
		confirm.Change, confirm.Merges = "the new key confirms the change", nil
		if err := putStatement(tx, k.NewOwner, ref, &confirm); err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put(keyIdentity, k.Wrapped); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketOldKeys, bucketUnlock, bucketCache} {
			if tx.Bucket(name) != nil {
				if err := tx.DeleteBucket(name); err != nil {
					return err
				}
			}
		}
		old, err := tx.CreateBucket(bucketOldKeys)
		if err != nil {
			return err
		}
		for i, sealed := range k.OldKeys {
			if err := old.Put(u64(uint64(i+1)), sealed); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(bucketCache); err != nil {
			return err
		}
		if len(k.Unlocks) > 0 {
			b, err := tx.CreateBucket(bucketUnlock)
			if err != nil {
				return err
			}
			for _, u := range k.Unlocks {
				if err := b.Put([]byte(u.Recipient), u.Wrapped); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.ForgetCache()
	return s.ClearFreePages()
}

func readOldKeys(tx *bolt.Tx) [][]byte {
	var out [][]byte
	if b := tx.Bucket(bucketOldKeys); b != nil {
		b.ForEach(func(_, v []byte) error {
			out = append(out, bytes.Clone(v))
			return nil
		})
	}
	return out
}
