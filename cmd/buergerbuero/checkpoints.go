package main

import (
	"log/slog"
	"path/filepath"

	"github.com/buergerbuero/buergerbuero/adapters/checkpointfile"
	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// newCheckpointWriter builds the loop that signs a checkpoint of every
// case's head each --checkpoint-interval, into the event store and the
// archive <data>/checkpoints/cases.jsonl.
func newCheckpointWriter(cfg serveConfig, store eventlog.Store, keyring *eventlog.Keyring, log *slog.Logger) (*audit.CheckpointWriter, error) {
	archive, err := checkpointfile.Open(filepath.Join(cfg.data, "checkpoints", "cases.jsonl"))
	if err != nil {
		return nil, err
	}
	return audit.NewCheckpointWriter(audit.CheckpointWriterConfig{
		Store: store, Keyring: keyring, Archive: archive, Clock: command.SystemClock{}, IDs: command.CryptoIDs{},
		Interval: cfg.checkpointInterval,
		OnError:  func(err error) { log.Error("case checkpoint", "err", err) },
	})
}
