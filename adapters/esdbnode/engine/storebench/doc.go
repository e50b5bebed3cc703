// Package storebench compares candidate stores for the engine on the
// workload that decides the choice: durable single-event appends with 1, 16
// and 64 concurrent writers. It is a separate module so that the candidates
// that lost (bbolt) never become dependencies of the product. It must not be
// imported by anything; it holds only benchmarks.
//
//	cd adapters/esdbnode/engine/storebench && go test -run XXX -bench . -benchtime 5000x
package storebench
