// Package blobstore implements the application's cases.BlobStore on the
// local filesystem: one file per key under a root directory, written to a
// temporary file, synced and linked into place (never overwriting), read
// through an os.Root so no key can leave the directory.
//
// Keys are validated before any file operation: slash-separated segments of
// lower-case letters, digits and hyphens only, so "..", absolute paths,
// backslashes and hidden files cannot be spelled. It must not interpret the
// documents it stores.
package blobstore
