package eventlog

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Head is the last event of one chained stream as a checkpoint records it.
type Head struct {
	Stream   string `json:"stream"`
	Revision uint64 `json:"revision"`
	Hash     string `json:"hash"`
}

// record is the leaf of a checkpoint's Merkle tree.
func (h Head) record() []byte {
	return []byte(h.Stream + "\n" + strconv.FormatUint(h.Revision, 10) + "\n" + h.Hash + "\n")
}

// TreeHead is a checkpoint: the Merkle root (RFC 6962, as in Go's checksum
// database) over the heads of every chained stream, sorted by stream name.
// Each one names its predecessor, so checkpoints form a chain too.
type TreeHead struct {
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
	Size int64     `json:"size"`
	Root string    `json:"root"`
	Prev string    `json:"prev,omitempty"` // ID of the previous checkpoint
}

// message is what a checkpoint's signature covers.
func (t TreeHead) message() []byte {
	return []byte(fmt.Sprintf("buergerbuero checkpoint v1\n%d\n%s\n%d\n%s\n%s\n",
		t.Seq, t.Time.UTC().Format(time.RFC3339Nano), t.Size, t.Root, t.Prev))
}

// ID is the hex SHA-256 of the signed statement, what the next one's Prev holds.
func (t TreeHead) ID() string {
	h := sha256.Sum256(t.message())
	return hex.EncodeToString(h[:])
}

// SignedTreeHead is a checkpoint with its signature.
type SignedTreeHead struct {
	TreeHead
	Signature Signature `json:"signature"`
}

// SignTreeHead signs a checkpoint.
func SignTreeHead(t TreeHead, s Signer) SignedTreeHead {
	return SignedTreeHead{TreeHead: t, Signature: Signature{KeyID: s.KeyID(), Ed25519: s.Sign(t.message())}}
}

// Verify checks the checkpoint's signature.
func (s SignedTreeHead) Verify(keys PublicKeys) error {
	if err := keys.Verify(s.message(), s.Signature); err != nil {
		return fmt.Errorf("checkpoint %d: %w", s.Seq, err)
	}
	return nil
}

// Inclusion proves that a stream's head is in a checkpoint's tree.
type Inclusion struct {
	Head  Head     `json:"head"`
	Index int64    `json:"index"`
	Proof []string `json:"proof"` // hex tlog hashes
}

// Check verifies the proof against a checkpoint.
func (in Inclusion) Check(t TreeHead) error {
	root, err := parseHash(t.Root)
	if err != nil {
		return err
	}
	proof := make(tlog.RecordProof, 0, len(in.Proof))
	for _, p := range in.Proof {
		h, err := parseHash(p)
		if err != nil {
			return err
		}
		proof = append(proof, h)
	}
	if err := tlog.CheckRecord(proof, t.Size, root, in.Index, tlog.RecordHash(in.Head.record())); err != nil {
		return fmt.Errorf("head of %s not in checkpoint %d: %w", in.Head.Stream, t.Seq, err)
	}
	return nil
}

// Tree is the Merkle tree over a set of heads.
type Tree struct {
	heads  []Head
	index  map[string]int64
	stored []tlog.Hash
}

// NewTree builds the tree over heads (one per stream).
func NewTree(heads []Head) (*Tree, error) {
	hs := slices.Clone(heads)
	slices.SortFunc(hs, func(a, b Head) int { return strings.Compare(a.Stream, b.Stream) })
	t := &Tree{heads: hs, index: make(map[string]int64, len(hs))}
	for i, h := range hs {
		if _, dup := t.index[h.Stream]; dup {
			return nil, fmt.Errorf("checkpoint: two heads for %s", h.Stream)
		}
		t.index[h.Stream] = int64(i)
		more, err := tlog.StoredHashes(int64(i), h.record(), t)
		if err != nil {
			return nil, err
		}
		t.stored = append(t.stored, more...)
	}
	return t, nil
}

// ReadHashes implements tlog.HashReader over the tree's stored hashes.
func (t *Tree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x < 0 || x >= int64(len(t.stored)) {
			return nil, errors.New("checkpoint: hash index out of range")
		}
		out[i] = t.stored[x]
	}
	return out, nil
}

// Size is the number of heads.
func (t *Tree) Size() int64 { return int64(len(t.heads)) }

// Heads returns the heads sorted by stream.
func (t *Tree) Heads() []Head { return slices.Clone(t.heads) }

// Root returns the hex tree hash.
func (t *Tree) Root() (string, error) {
	h, err := tlog.TreeHash(t.Size(), t)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h[:]), nil
}

// Prove returns the inclusion proof of a stream's head; ok is false when
// the tree holds no head for the stream.
func (t *Tree) Prove(stream string) (Inclusion, bool, error) {
	i, ok := t.index[stream]
	if !ok {
		return Inclusion{}, false, nil
	}
	p, err := tlog.ProveRecord(t.Size(), i, t)
	if err != nil {
		return Inclusion{}, false, err
	}
	in := Inclusion{Head: t.heads[i], Index: i, Proof: make([]string, len(p))}
	for j, h := range p {
		in.Proof[j] = hex.EncodeToString(h[:])
	}
	return in, true, nil
}

func parseHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("checkpoint: bad hash %q", s)
	}
	copy(h[:], b)
	return h, nil
}
