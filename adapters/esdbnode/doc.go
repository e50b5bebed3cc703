// Package esdbnode is the gRPC front of the embedded EventStoreDB node: it
// speaks the subset of EventStoreDB's client protocol (streams, server
// features, gossip) that the official Go client needs, and maps it onto the
// storage engine in the engine subpackage.
//
// It must not store anything itself, must not buffer events without bound
// (subscriptions read pages from the engine and wait on its change signal),
// and must not implement clustering, persistent subscriptions, projections,
// users, ACLs or TLS: those services answer codes.Unimplemented.
package esdbnode
