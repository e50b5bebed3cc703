package esdbnode

import (
	"regexp"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// defaultSearchWindow is EventStoreDB's ReadBatchSize, used as the window
// when a filter asks for the "count" window instead of a maximum.
const defaultSearchWindow = 32

// eventFilter selects $all events by stream name or event type, with a
// list of prefixes (any may match) or one regular expression (Go RE2,
// unanchored like .NET's Regex.IsMatch).
type eventFilter struct {
	byType   bool
	prefixes []string
	re       *regexp.Regexp
	// checkpointEvery is checkpointIntervalMultiplier × window: a checkpoint
	// is sent after that many events were examined.
	checkpointEvery uint64
}

// newEventFilter returns nil for an unfiltered subscription.
func newEventFilter(fo *streams.ReadReq_Options_FilterOptions) (*eventFilter, error) {
	if fo == nil {
		return nil, nil
	}
	f := &eventFilter{}
	var expr *streams.ReadReq_Options_FilterOptions_Expression
	switch v := fo.GetFilter().(type) {
	case *streams.ReadReq_Options_FilterOptions_StreamIdentifier:
		expr = v.StreamIdentifier
	case *streams.ReadReq_Options_FilterOptions_EventType:
		expr, f.byType = v.EventType, true
	default:
		return nil, errInvalid("filter needs a stream identifier or an event type expression")
	}
	if re := expr.GetRegex(); re != "" {
		compiled, err := regexp.Compile(re)
		if err != nil {
			return nil, errInvalid("filter regex: " + err.Error())
		}
		f.re = compiled
	}
	f.prefixes = expr.GetPrefix()
	if f.re == nil && len(f.prefixes) == 0 {
		return nil, errInvalid("filter needs prefixes or a regex")
	}
	window := uint64(defaultSearchWindow)
	if m, ok := fo.GetWindow().(*streams.ReadReq_Options_FilterOptions_Max); ok {
		if m.Max == 0 {
			return nil, errInvalid("filter max search window must be positive")
		}
		window = uint64(m.Max)
	}
	mult := uint64(fo.GetCheckpointIntervalMultiplier())
	if mult == 0 {
		return nil, errInvalid("checkpointIntervalMultiplier must be positive")
	}
	f.checkpointEvery = mult * window
	return f, nil
}

func (f *eventFilter) match(ev *engine.RecordedEvent) bool {
	subject := ev.Stream
	if f.byType {
		subject = ev.Type
	}
	if f.re != nil {
		return f.re.MatchString(subject)
	}
	for _, p := range f.prefixes {
		if strings.HasPrefix(subject, p) {
			return true
		}
	}
	return false
}
