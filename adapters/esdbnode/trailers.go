package esdbnode

import (
	"context"
	"errors"

	"google.golang.org/grpc"
)

// unaryTrailers copies the trailers of an rpcError onto a unary call.
func unaryTrailers(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	resp, err := h(ctx, req)
	var re *rpcError
	if errors.As(err, &re) && len(re.trailer) > 0 {
		_ = grpc.SetTrailer(ctx, re.trailer)
	}
	return resp, err
}

// streamTrailers copies the trailers of an rpcError onto a streaming call.
func streamTrailers(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	err := h(srv, ss)
	var re *rpcError
	if errors.As(err, &re) && len(re.trailer) > 0 {
		ss.SetTrailer(re.trailer)
	}
	return err
}
