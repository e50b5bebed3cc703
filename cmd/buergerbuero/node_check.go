package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// runNodeCheck is `buergerbuero node check`: it verifies the stopped
// node's log offline (every frame, write and back-link) and prints one
// summary line, or fails naming the file and offset of the first problem.
func runNodeCheck(_ context.Context, args []string, env environment) error {
	fs := newFlagSet("node check", "Verifies the event store's files offline (stop the node first): every record's checksum, every write's end and every back-link. Exit 0 with a summary line when sound, else names file and offset.", env.stderr)
	data := fs.String("data", "./data/events", "directory of the event store (serve keeps it in <--data>/events)")
	if err := fs.parse(args, env.lookupEnv); err != nil {
		return err
	}
	if *data == "" {
		return usageError(errors.New("--data must not be empty"))
	}
	rep, err := engine.Verify(*data)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "ok: %s: %d segments, %d bytes, %d records in %d writes, %d streams, last position %d\n",
		*data, rep.Segments, rep.Bytes, rep.Records, rep.Writes, rep.Streams, rep.Head)
	return nil
}
