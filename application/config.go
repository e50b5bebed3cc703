package application

import (
	"errors"
	"time"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/visits"
	"github.com/buergerbuero/buergerbuero/domain/appointment"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

// Config is everything New needs. Zero optional fields take defaults that
// run on a laptop.
type Config struct {
	Store eventlog.Store // required
	// TokenKey derives capability tokens (HMAC-SHA-256); at least 32 bytes,
	// the same on every app instance, kept secret. Required.
	TokenKey []byte
	// Blobs stores case documents; required for the document use cases.
	Blobs cases.BlobStore
	// Queue is the read side's queue, for AdmitNext; optional (AdmitNext
	// is nil without it).
	Queue visits.QueueReader
	// Keyring holds the public keys that case histories, audit logs and
	// checkpoints are verified with (the store must sign with its current
	// key: adapters/eventstore.WithSigner). Optional only for tests: without
	// it signatures are not checked.
	Keyring *eventlog.Keyring
	// Checkpoints is the latest signed checkpoint (an
	// audit.CheckpointWriter); optional.
	Checkpoints audit.Checkpoints

	Clock command.Clock // default: command.SystemClock
	IDs   command.IDs   // default: command.CryptoIDs
	// ReferencePrefix is the city prefix of case references (default "DO").
	ReferencePrefix string
	// CheckInWindow around appointment slots (default 10 min before to 15 after).
	CheckInWindow appointment.CheckInWindow
	// GracePeriod before a visit without presence expires (default 2 min).
	GracePeriod time.Duration
}

func (c Config) withDefaults() Config {
	if c.Clock == nil {
		c.Clock = command.SystemClock{}
	}
	if c.IDs == nil {
		c.IDs = command.CryptoIDs{}
	}
	if c.ReferencePrefix == "" {
		c.ReferencePrefix = "DO"
	}
	if c.CheckInWindow.IsZero() {
		c.CheckInWindow = appointment.DefaultCheckInWindow()
	}
	return c
}

// Validate reports every problem at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.Store == nil {
		errs = append(errs, errors.New("application: Store is required"))
	}
	if c.Blobs == nil {
		errs = append(errs, errors.New("application: Blobs is required"))
	}
	if len(c.TokenKey) < 32 {
		errs = append(errs, command.ErrWeakKey)
	}
	if _, err := casefile.NewReference(c.ReferencePrefix, 2026, 1); err != nil {
		errs = append(errs, err)
	}
	if c.GracePeriod < 0 {
		errs = append(errs, errors.New("application: negative GracePeriod"))
	}
	return errors.Join(errs...)
}
