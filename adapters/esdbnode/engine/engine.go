package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// Engine is an open store. All methods are safe for concurrent use.
type Engine struct {
	dir     string
	opts    Options
	segSize int64
	lock    *os.File

	// mu guards the writer's view: stream write states, the recent IDs,
	// the open group and the reserved tail. It is held only for in-memory
	// work (and the rare idempotency read of an already durable record).
	mu       sync.Mutex
	recent   *recentIDs
	cur      *group
	tailSeg  int64 // segment of the reserved tail
	tailOff  int64 // offset of the reserved tail in tailSeg
	lastTick int64 // last Created handed out, to keep Created monotonic
	closed   bool
	broken   error // set when undoing a failed write failed; the store must be reopened

	// writeErr is the error of the last commit when it failed, nil once a
	// commit succeeds again (see Healthy).
	writeErr atomic.Pointer[error]
	// writeAt writes the log; a test replaces it to simulate a full disk.
	writeAt func(f *os.File, b []byte, off int64) (int, error)
	probeMu sync.Mutex // one write probe at a time (see Healthy)

	streams sync.Map // name -> *stream; stores happen under mu

	kick  chan struct{} // wakes the writer goroutine
	wdone chan struct{} // closed when the writer goroutine exits

	segs    atomic.Pointer[[]*segment] // index i is segment i; copy on write by the writer
	head    atomic.Uint64              // position of the last durable record, 0 when empty
	changed atomic.Pointer[chan struct{}]

	// closeMu lets Close wait for reads in progress before closing files.
	closeMu    sync.RWMutex
	readClosed bool
}

// Open opens the store in dir, creating it when empty. It cuts off a torn
// tail left by a crash and rebuilds the per-stream state from the log.
func Open(dir string, opts Options) (*Engine, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("engine: options: %w", err)
	}
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("engine: create dir: %w", err)
	}
	lock, err := lockDir(filepath.Join(dir, "LOCK"))
	if err != nil {
		return nil, err
	}
	e := &Engine{
		dir:    dir,
		opts:   opts,
		lock:   lock,
		recent: newRecentIDs(opts.RecentIDs),
		cur:    newGroup(),
		kick:   make(chan struct{}, 1),
		wdone:  make(chan struct{}),

		writeAt: (*os.File).WriteAt,
	}
	ch := make(chan struct{})
	e.changed.Store(&ch)
	if err := e.recover(); err != nil {
		e.closeFiles()
		return nil, err
	}
	go e.runWriter()
	return e, nil
}

// Close waits for pending appends to become durable, then closes the files.
// Reads and writes after Close fail with ErrClosed.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.mu.Unlock()
	e.wake()
	<-e.wdone
	e.closeMu.Lock()
	e.readClosed = true
	e.closeMu.Unlock()
	return e.closeFiles()
}

func (e *Engine) closeFiles() error {
	var first error
	if p := e.segs.Load(); p != nil {
		for _, s := range *p {
			if err := s.f.Close(); err != nil && first == nil {
				first = fmt.Errorf("engine: close segment: %w", err)
			}
		}
	}
	if err := e.lock.Close(); err != nil && first == nil {
		first = fmt.Errorf("engine: close lock: %w", err)
	}
	return first
}

// Head returns the position of the last durable event, 0 when the store is empty.
func (e *Engine) Head() Position { return Position(e.head.Load()) }

// Changed returns a channel that is closed when a commit becomes durable
// after the call. Call it again for the next commit.
func (e *Engine) Changed() <-chan struct{} { return *e.changed.Load() }

// StreamRevision returns the last durable revision of stream. It fails with
// ErrStreamNotFound when the stream has no events or is soft-deleted, and
// with ErrStreamDeleted when it is tombstoned.
func (e *Engine) StreamRevision(stream string) (uint64, error) {
	sn := e.snapshotOf(stream)
	switch {
	case sn == nil:
		return NoRevision, ErrStreamNotFound
	case sn.tombstoned:
		return NoRevision, ErrStreamDeleted
	case sn.lastRev == NoRevision || sn.meta.softDeleted():
		return NoRevision, ErrStreamNotFound
	}
	return sn.lastRev, nil
}

// snapshotOf returns the durable state of a stream, nil when unknown. The
// metastream of a tombstoned stream reads as tombstoned, as in EventStoreDB.
func (e *Engine) snapshotOf(name string) *snapshot {
	if isMetastream(name) {
		if orig := e.loadSnapshot(name[len(metastreamPrefix):]); orig != nil && orig.tombstoned {
			return orig
		}
	}
	return e.loadSnapshot(name)
}

func (e *Engine) loadSnapshot(name string) *snapshot {
	v, ok := e.streams.Load(name)
	if !ok {
		return nil
	}
	return v.(*stream).durable.Load()
}

// streamW returns the stream for a write, creating it. Call with mu held.
func (e *Engine) streamW(name string) *stream {
	if v, ok := e.streams.Load(name); ok {
		return v.(*stream)
	}
	s := newStream(name)
	e.streams.Store(name, s)
	return s
}

// lookupW returns the stream or nil. Call with mu held.
func (e *Engine) lookupW(name string) *stream {
	if v, ok := e.streams.Load(name); ok {
		return v.(*stream)
	}
	return nil
}

func (e *Engine) wake() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

func (e *Engine) segmentList() []*segment {
	if p := e.segs.Load(); p != nil {
		return *p
	}
	return nil
}
