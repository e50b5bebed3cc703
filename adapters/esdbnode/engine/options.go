package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Defaults for Options.
const (
	DefaultSegmentSize   = 256 << 20 // bytes per segment file
	DefaultMaxAppendSize = 1 << 20   // sum of data and metadata per append, as EventStoreDB
	DefaultRecentIDs     = 1 << 16   // event IDs remembered for idempotent appends with ExpectAny
	minSegmentSize       = 64 << 10
	maxAppendSizeLimit   = 16 << 20 // the largest MaxAppendSize accepted
)

// Options configure an Engine. The zero value is valid: every zero field
// takes its default.
type Options struct {
	// SegmentSize is the size at which the log rolls over to a new segment
	// file. It is fixed when the store is created; an existing store keeps
	// the size recorded in its segment headers.
	SegmentSize int64
	// MaxAppendSize bounds the sum of data and metadata of one append.
	MaxAppendSize int
	// RecentIDs bounds how many recent event IDs are remembered for the
	// idempotency check of appends with ExpectAny / ExpectStreamExists.
	RecentIDs int
	// Now is the clock for the Created field of events; time.Now when nil.
	Now func() time.Time
	// Logger receives what the engine does on its own to the files: a torn
	// tail cut at open, a failed write undone. Discarded when nil. It never
	// sees event data.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.SegmentSize == 0 {
		o.SegmentSize = DefaultSegmentSize
	}
	if o.MaxAppendSize == 0 {
		o.MaxAppendSize = DefaultMaxAppendSize
	}
	if o.RecentIDs == 0 {
		o.RecentIDs = DefaultRecentIDs
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Validate reports every problem of the options at once.
func (o Options) Validate() error {
	var errs []error
	if o.SegmentSize != 0 && o.SegmentSize < minSegmentSize {
		errs = append(errs, fmt.Errorf("segment size %d below minimum %d", o.SegmentSize, minSegmentSize))
	}
	if o.MaxAppendSize < 0 || o.MaxAppendSize > maxAppendSizeLimit {
		errs = append(errs, fmt.Errorf("max append size %d outside [0, %d]", o.MaxAppendSize, maxAppendSizeLimit))
	}
	if o.RecentIDs < 0 {
		errs = append(errs, fmt.Errorf("negative recent IDs %d", o.RecentIDs))
	}
	return errors.Join(errs...)
}
