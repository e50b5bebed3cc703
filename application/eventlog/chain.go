package eventlog

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Hash returns the hex SHA-256 of an event as stored: its ID, type, data and
// metadata bytes (without the signature that closes a signed event's
// metadata, see Seal), each length-prefixed so no two different events hash
// the same. Because the metadata holds PrevHash, each hash covers the whole
// history before it.
func Hash(e RecordedEvent) string {
	h := sha256.New()
	var n [8]byte
	body, _, _ := SplitSignature(e.RawMetadata)
	for _, part := range [][]byte{e.ID[:], []byte(e.Type), e.Data, body} {
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		h.Write(n[:])
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ChainBreak is a place where a chained stream fails verification: a broken
// link, a missing or wrong signature, or a head that differs from a checkpoint.
type ChainBreak struct {
	Revision uint64 // revision of the event that fails
	Want     string // for a link: hash of the event before it; for a checkpoint: the recorded head
	Got      string // what the event carries or hashes to
	Reason   string
}

func (b ChainBreak) Error() string {
	return fmt.Sprintf("integrity check failed at revision %d: %s", b.Revision, b.Reason)
}

// VerifyChain checks only the links, for tests of writers: that the events
// of one stream are complete, in order and unaltered: revisions count up from 0 without gaps, the first event has no
// PrevHash and every later one carries the Hash of its predecessor. It returns
// the hash of the last event or the first break. Auditors verify with
// audit.VerifyEvidence, which also checks signatures and checkpoints.
func VerifyChain(events []RecordedEvent) (head string, err error) {
	for i, e := range events {
		if e.Revision != uint64(i) {
			return "", ChainBreak{Revision: e.Revision, Reason: fmt.Sprintf("expected revision %d: an event is missing or out of order", i)}
		}
		want := ""
		if i > 0 {
			want = head
		}
		if e.Meta.PrevHash != want {
			return "", ChainBreak{Revision: e.Revision, Want: want, Got: e.Meta.PrevHash, Reason: "previous hash does not match: an earlier event was altered, removed or reordered"}
		}
		head = Hash(e)
	}
	return head, nil
}
