package readside_test

import (
	"context"
	"testing"

	"github.com/buergerbuero/buergerbuero/application/eventlog"
	"github.com/buergerbuero/buergerbuero/application/readside"
)

func TestBefore(t *testing.T) {
	cases := []struct {
		a, b eventlog.Position
		want bool
	}{
		{eventlog.Position{Commit: 1, Prepare: 1}, eventlog.Position{Commit: 2, Prepare: 2}, true},
		{eventlog.Position{Commit: 2, Prepare: 2}, eventlog.Position{Commit: 1, Prepare: 1}, false},
		{eventlog.Position{Commit: 5, Prepare: 1}, eventlog.Position{Commit: 5, Prepare: 2}, true},
		{eventlog.Position{Commit: 5, Prepare: 2}, eventlog.Position{Commit: 5, Prepare: 2}, false},
	}
	for _, c := range cases {
		if got := readside.Before(c.a, c.b); got != c.want {
			t.Errorf("Before(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestTrackerSkipsWhatWasApplied(t *testing.T) {
	var tr readside.Tracker
	zero := eventlog.Position{}
	if tr.Seen(zero) {
		t.Fatal("an empty tracker has seen the first position of $all")
	}
	if _, ok := tr.Last(); ok {
		t.Fatal("an empty tracker reports a last position")
	}
	tr.Mark(eventlog.Position{Commit: 10, Prepare: 10})
	cases := []struct {
		p    eventlog.Position
		seen bool
	}{
		{zero, true},
		{eventlog.Position{Commit: 9, Prepare: 9}, true},
		{eventlog.Position{Commit: 10, Prepare: 10}, true},
		{eventlog.Position{Commit: 11, Prepare: 11}, false},
	}
	for _, c := range cases {
		if got := tr.Seen(c.p); got != c.seen {
			t.Errorf("Seen(%v) = %v, want %v", c.p, got, c.seen)
		}
	}
	if last, _ := tr.Last(); last.Commit != 10 {
		t.Errorf("Last = %v, want commit 10", last)
	}
}

func TestReplayingIsSetOnlyByWithReplay(t *testing.T) {
	ctx := context.Background()
	if readside.Replaying(ctx) {
		t.Error("a plain context is replaying")
	}
	if !readside.Replaying(readside.WithReplay(ctx)) {
		t.Error("WithReplay does not mark the context")
	}
}
