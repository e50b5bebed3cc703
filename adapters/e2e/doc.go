// Package e2e holds the end-to-end browser tests of the Virtuelles
// Bürgerbüro: headless Chromium against the real stack (embedded event
// store node, application, read side, JSON API and the web pages on its
// one pipeline, media relay), wired by internal/stack. Screenshots of every
// main page go to $E2E_OUT (default: a temporary directory, logged).
//
//	go test ./adapters/e2e/
package e2e
