package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/eventlog"
)

// errNotIntact: verification ran and found the export altered (exit 1).
var errNotIntact = errors.New("not intact")

// runVerify checks a case export offline, with no server: the same
// audit.VerifyEvidence the server's verify-case runs, against the public
// keys given (never those inside the export).
func runVerify(_ context.Context, args []string, env environment) error {
	var keyFile string
	fs := newFlagSet("verify", "Checks a case export (export-case) offline: every event chained and signed by a trusted key, and its head as the covering checkpoint records it. Usage: buergerbuero verify FILE --public-key FILE", env.stderr)
	fs.StringVar(&keyFile, "public-key", "", "file with the trusted public keys, one base64 Ed25519 key per line (<data>/secrets/signing.pub)")
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.parse(args, env.lookupEnv); err != nil {
		return err
	}
	if file == "" || keyFile == "" {
		return usageError(errors.New("want an export FILE and --public-key"))
	}
	pubs, err := readPublicKeys(keyFile, false)
	if err != nil {
		return err
	}
	if len(pubs) == 0 {
		return fmt.Errorf("public keys %s: no key in the file", keyFile)
	}
	doc, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	v, err := audit.VerifyExport(doc, eventlog.NewPublicKeys(pubs...))
	if err != nil {
		return fmt.Errorf("%s: not an export: %v", file, err)
	}
	if !v.Intact {
		var nums []uint64
		for _, f := range v.Failures {
			nums = append(nums, f.Revision)
		}
		slices.Sort(nums)
		revs := make([]string, 0, len(nums))
		for _, n := range slices.Compact(nums) {
			revs = append(revs, fmt.Sprint(n))
		}
		return fmt.Errorf("%s: %w: %v (problems at revisions %s)", file, errNotIntact, v.Break, strings.Join(revs, ", "))
	}
	covered := "no checkpoint covers it yet"
	if v.Checkpoint != nil {
		last := -1
		for i, c := range v.Checks {
			if c.Checkpoint != 0 {
				last = i
			}
		}
		covered = fmt.Sprintf("checkpoint %d covers revisions 0-%d", v.Checkpoint.Seq, last)
		if last < 0 {
			covered = fmt.Sprintf("checkpoint %d predates the case", v.Checkpoint.Seq)
		}
	}
	fmt.Fprintf(env.stdout, "%s: intact: %d events, every one chained and signed, head %s, %s\n", file, v.Events, v.Head, covered)
	return nil
}

// runKeys manages the signing keys: `keys rotate --data DIR`.
func runKeys(_ context.Context, args []string, env environment) error {
	if len(args) == 0 || args[0] != "rotate" {
		return usageError(errors.New("want: keys rotate --data DIR"))
	}
	var data string
	fs := newFlagSet("keys rotate", "Makes a new signing key; the old public key stays trusted (<data>/secrets/signing.old.pub), so history signed with it keeps verifying. Run while serve is stopped.", env.stderr)
	fs.StringVar(&data, "data", "./data", "data directory")
	if err := fs.parse(args[1:], env.lookupEnv); err != nil {
		return err
	}
	oldID, newID, err := rotateSigningKey(data)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "signing key rotated: %s → %s; give auditors the new %s\n", oldID, newID, publicKeysFile(data))
	return nil
}
