package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// EventCheck is what verification found for one event.
type EventCheck struct {
	Revision uint64 `json:"revision"`
	Hash     string `json:"hash"`
	// Chained: the event links to its predecessor's hash.
	Chained bool `json:"chained"`
	// KeyID names the key the event claims to be signed by ("" unsigned);
	// Signed says whether that signature verifies with a trusted key.
	KeyID  string `json:"keyId,omitempty"`
	Signed bool   `json:"signed"`
	// Checkpoint is the sequence number of the checkpoint that covers the
	// event (0: written after the latest checkpoint).
	Checkpoint uint64 `json:"checkpoint,omitempty"`
}

// Verification is the integrity proof of a case stream: every event
// chained, signed by a trusted key and, up to the latest checkpoint's head,
// covered by it. Failures name the revision of each problem; Break is the
// first of them.
type Verification struct {
	Intact bool   `json:"intact"`
	Events int    `json:"events"`
	Head   string `json:"head,omitempty"`
	// SignaturesChecked is false only where no verification keys are
	// configured (unit tests; serve always has them).
	SignaturesChecked bool                     `json:"signaturesChecked"`
	Checkpoint        *eventlog.SignedTreeHead `json:"checkpoint,omitempty"`
	Checks            []EventCheck             `json:"checks"`
	Failures          []eventlog.ChainBreak    `json:"failures,omitempty"`
	Break             *eventlog.ChainBreak     `json:"break,omitempty"`
}

// Evidence is everything a case's verification needs. The server gathers
// it from the store and the checkpoint writer; the offline verifier reads it
// from an export. Keys are the trusted public keys.
type Evidence struct {
	Stream     string
	Events     []eventlog.RecordedEvent // ID, Type, Data, RawMetadata, Revision as stored
	Keys       eventlog.PublicKeys
	Checkpoint *eventlog.SignedTreeHead // latest checkpoint (nil: none yet)
	Inclusion  *eventlog.Inclusion      // the stream's head in it (nil: it records none)
}

// VerifyEvidence is the one verification of a chained stream, used by
// verify-case, replay, export and `buergerbuero verify`.
func VerifyEvidence(ev Evidence) Verification {
	v := Verification{Events: len(ev.Events), SignaturesChecked: ev.Keys != nil, Checkpoint: ev.Checkpoint,
		Checks: make([]EventCheck, 0, len(ev.Events))}
	fail := func(rev uint64, reason string, want, got string) {
		v.Failures = append(v.Failures, eventlog.ChainBreak{Revision: rev, Reason: reason, Want: want, Got: got})
	}
	prev := ""
	for i, e := range ev.Events {
		hash := eventlog.Hash(e)
		c := EventCheck{Revision: e.Revision, Hash: hash}
		switch {
		case i == 0 && e.Revision > 0:
			fail(e.Revision, fmt.Sprintf("the stream starts at revision %d: revisions 0-%d were removed (the stream was deleted or truncated and written again)", e.Revision, e.Revision-1), "", "")
		case i > 0 && e.Revision != ev.Events[i-1].Revision+1:
			fail(e.Revision, fmt.Sprintf("expected revision %d: an event is missing or out of order", ev.Events[i-1].Revision+1), "", "")
		}
		link, err := eventlog.PrevHashOf(e.RawMetadata)
		if len(e.RawMetadata) == 0 {
			// Test stores that keep no bytes: such an event carries no
			// signature either, so with keys it fails below anyway.
			link = e.Meta.PrevHash
		}
		switch {
		case err != nil:
			fail(e.Revision, err.Error(), prev, "")
		case link != prev:
			fail(e.Revision, "previous hash does not match: an earlier event was altered, removed or reordered", prev, link)
		default:
			c.Chained = true
		}
		_, sig, signed := eventlog.SplitSignature(e.RawMetadata)
		c.KeyID = sig.KeyID
		if ev.Keys != nil {
			switch {
			case !signed:
				fail(e.Revision, "unsigned event: not written by the product", "", "")
			default:
				if err := ev.Keys.Verify(eventlog.SignedMessage(ev.Stream, hash), sig); err != nil {
					fail(e.Revision, err.Error()+": altered or not written by the product", "", "")
				} else {
					c.Signed = true
				}
			}
		}
		v.Checks = append(v.Checks, c)
		prev = hash
	}
	if len(ev.Events) > 0 {
		v.Head = prev
	}
	checkCheckpoint(&v, ev)
	if len(v.Failures) == 0 {
		v.Intact = true
	} else {
		v.Break = &v.Failures[0]
	}
	return v
}

// checkCheckpoint compares the stream with the latest checkpoint's head.
func checkCheckpoint(v *Verification, ev Evidence) {
	cp := ev.Checkpoint
	if cp == nil {
		return
	}
	var last uint64
	if n := len(ev.Events); n > 0 {
		last = ev.Events[n-1].Revision
	}
	if ev.Keys != nil {
		if err := cp.Verify(ev.Keys); err != nil {
			v.Failures = append(v.Failures, eventlog.ChainBreak{Revision: last, Reason: err.Error()})
			return
		}
	}
	in := ev.Inclusion
	if in == nil {
		return // the stream is younger than the checkpoint
	}
	if err := in.Check(cp.TreeHead); err != nil || in.Head.Stream != ev.Stream {
		if err == nil {
			err = fmt.Errorf("checkpoint proof is for %s", in.Head.Stream)
		}
		v.Failures = append(v.Failures, eventlog.ChainBreak{Revision: in.Head.Revision, Reason: err.Error()})
		return
	}
	h := in.Head
	at := -1
	for i, e := range ev.Events {
		if e.Revision == h.Revision {
			at = i
		}
	}
	if at < 0 {
		v.Failures = append(v.Failures, eventlog.ChainBreak{Revision: h.Revision, Want: h.Hash,
			Reason: fmt.Sprintf("checkpoint %d records revision %d but the stream does not hold it: events were removed", cp.Seq, h.Revision)})
		return
	}
	if got := v.Checks[at].Hash; got != h.Hash || at != int(h.Revision) {
		v.Failures = append(v.Failures, eventlog.ChainBreak{Revision: h.Revision, Want: h.Hash, Got: got,
			Reason: fmt.Sprintf("does not match the head in checkpoint %d: the history was rewritten", cp.Seq)})
		return
	}
	for i := 0; i <= at; i++ {
		v.Checks[i].Checkpoint = cp.Seq
	}
}

// VerifyCase asks for the integrity proof of a case.
type VerifyCase struct {
	CaseID domain.CaseID
}

// VerifyCaseHandler handles VerifyCase.
type VerifyCaseHandler struct{ r reader }

// NewVerifyCaseHandler refuses incomplete deps.
func NewVerifyCaseHandler(d Deps) (VerifyCaseHandler, error) {
	r, err := newReader(d)
	return VerifyCaseHandler{r: r}, err
}

// Handle records the access and verifies the case. A case that the latest
// checkpoint knows but the store no longer has is a failed verification,
// not "not found".
func (h VerifyCaseHandler) Handle(ctx context.Context, c command.Context, q VerifyCase) (Verification, error) {
	evs, err := h.r.access(ctx, c, q.CaseID, AccessVerify, time.Time{})
	if errors.Is(err, casefile.ErrNotFound) {
		ev, cerr := h.r.evidence(ctx, casefile.StreamName(q.CaseID), nil)
		if cerr != nil {
			return Verification{}, cerr
		}
		if ev.Inclusion == nil {
			return Verification{}, err
		}
		return VerifyEvidence(ev), nil
	}
	if err != nil {
		return Verification{}, err
	}
	return h.r.verify(ctx, casefile.StreamName(q.CaseID), evs)
}
