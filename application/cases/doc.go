// Package cases holds the use cases of the case aggregate (Vorgang): open a
// case on admission (or continue one the citizen names by reference and
// case token), add notes, request and receive documents, change the status,
// hand over, propose a follow-up appointment, close with an outcome, the
// call steps, and the citizen's view with the case token.
//
// Case references are allocated race-free by ReferenceAllocator on the
// per-prefix-and-year counter stream of domain/casefile. Every case event
// carries the hash of the event before it (command.RepositoryOptions
// Chained), so an auditor can verify the history.
//
// Documents are stored through the BlobStore port declared here (the
// filesystem adapter lives in adapters/blobstore); the case records only the
// file name, size and SHA-256. This package must not import adapters, HTTP
// or the event-store client.
package cases
