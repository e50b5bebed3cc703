package esdbnode

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine"
)

// Trailer keys and values EventStoreDB puts on failed calls; the official
// clients read the "exception" key to decide which typed error to raise.
const (
	trailerException             = "exception"
	trailerStreamName            = "stream-name"
	trailerExpectedVersion       = "expected-version"
	trailerActualVersion         = "actual-version"
	trailerMaximumAppendSize     = "maximum-append-size"
	trailerRequiredMetadataProps = "required-metadata-properties"

	exceptionStreamDeleted        = "stream-deleted"
	exceptionStreamNotFound       = "stream-not-found"
	exceptionWrongExpectedVersion = "wrong-expected-version"
	exceptionMaxAppendSize        = "maximum-append-size-exceeded"
	exceptionMissingMetadata      = "missing-required-metadata-property"
)

// rpcError is a gRPC status plus the trailers EventStoreDB sends with it.
// The trailer interceptors put the trailers on the call before gRPC writes
// the status.
type rpcError struct {
	st      *status.Status
	trailer metadata.MD
}

func (e *rpcError) Error() string              { return e.st.Err().Error() }
func (e *rpcError) GRPCStatus() *status.Status { return e.st }

func newRPCError(code codes.Code, msg string, kv ...string) *rpcError {
	return &rpcError{st: status.New(code, msg), trailer: metadata.Pairs(kv...)}
}

func errStreamDeleted(stream string) error {
	return newRPCError(codes.FailedPrecondition, fmt.Sprintf("Event stream '%s' is deleted.", stream),
		trailerException, exceptionStreamDeleted, trailerStreamName, stream)
}

func errStreamNotFound(stream string) error {
	return newRPCError(codes.NotFound, fmt.Sprintf("Event stream '%s' is not found.", stream),
		trailerException, exceptionStreamNotFound, trailerStreamName, stream)
}

func errWrongExpectedVersion(op, stream string, exp engine.Expected, current uint64) error {
	expected := strconv.FormatInt(expectedToInt64(exp), 10)
	actual := strconv.FormatInt(revisionToInt64(current), 10)
	return newRPCError(codes.FailedPrecondition,
		fmt.Sprintf("%s failed due to WrongExpectedVersion. Stream: %s, Expected version: %s, Actual version: %s", op, stream, expected, actual),
		trailerException, exceptionWrongExpectedVersion, trailerStreamName, stream,
		trailerExpectedVersion, expected, trailerActualVersion, actual)
}

func errMaxAppendSize(limit int) error {
	return newRPCError(codes.InvalidArgument, fmt.Sprintf("Maximum Append Size of %d Exceeded.", limit),
		trailerException, exceptionMaxAppendSize, trailerMaximumAppendSize, strconv.Itoa(limit))
}

func errMissingMetadata(key string) error {
	return newRPCError(codes.InvalidArgument, fmt.Sprintf("Required Metadata Property '%s' is missing", key),
		trailerException, exceptionMissingMetadata,
		trailerRequiredMetadataProps, strings.Join([]string{metadataType, metadataContentType}, ","))
}

func errInvalid(msg string) error {
	return status.Error(codes.InvalidArgument, msg)
}

// errShuttingDown ends subscriptions when the server stops.
var errShuttingDown = status.Error(codes.Unavailable, "Server Is Shutting Down")

// mapError turns an engine or context error into the status EventStoreDB
// would send. op names the operation for wrong-expected-version messages.
func mapError(op, stream string, err error) error {
	var wev *engine.WrongExpectedVersionError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &wev):
		return errWrongExpectedVersion(op, stream, wev.Expected, wev.Current)
	case errors.Is(err, engine.ErrStreamDeleted):
		return errStreamDeleted(stream)
	case errors.Is(err, engine.ErrStreamNotFound):
		return errStreamNotFound(stream)
	case errors.Is(err, engine.ErrTooLarge):
		return errMaxAppendSize(maxAppendSizeDefault)
	case errors.Is(err, engine.ErrInvalid):
		return status.Error(codes.InvalidArgument, err.Error())
	case errors.Is(err, engine.ErrClosed):
		return status.Error(codes.Unavailable, "Server Is Not Ready")
	case errors.Is(err, engine.ErrWriteFailed):
		// Disk full or an I/O error: nothing was written, a retry may succeed.
		return status.Error(codes.Unavailable, "Server Is Not Ready: writing the log failed, try again later")
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	default:
		return status.Error(codes.Unknown, err.Error())
	}
}

// expectedToInt64 is EventStoreDB's numeric spelling of an expectation.
func expectedToInt64(exp engine.Expected) int64 {
	switch exp.Kind {
	case engine.ExpectAny:
		return -2
	case engine.ExpectNoStream:
		return -1
	case engine.ExpectStreamExists:
		return -4
	default:
		return int64(exp.Revision)
	}
}

// revisionToInt64 maps engine.NoRevision to -1.
func revisionToInt64(rev uint64) int64 {
	if rev == engine.NoRevision {
		return -1
	}
	return int64(rev)
}
