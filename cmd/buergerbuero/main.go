// Command buergerbuero runs the virtual citizen office.
//
// It is the composition root: it parses configuration, builds the adapters
// and the application by hand and starts them. It holds no business rules.
//
//	buergerbuero serve   everything: HTTP API and pages, embedded event store node unless --eventstore
//	buergerbuero node    the embedded EventStoreDB-compatible node alone
//	buergerbuero verify  check a case export offline
//	buergerbuero keys    rotate the signing key
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// subcommand is one subcommand of the binary.
type subcommand struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env environment) error
}

// environment is what a command gets from the process: output streams and
// the environment variables. Tests pass their own.
type environment struct {
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)
}

func commands() []subcommand {
	return []subcommand{
		{name: "serve", summary: "run the whole product (API, pages, embedded node)", run: runServe},
		{name: "node", summary: "run the embedded EventStoreDB-compatible node alone", run: runNode},
		{name: "openapi", summary: "print the OpenAPI 3.1 document", run: runOpenAPI},
		{name: "verify", summary: "check a case export offline (FILE --public-key FILE)", run: runVerify},
		{name: "keys", summary: "rotate the signing key (keys rotate --data DIR)", run: runKeys},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], environment{stdout: os.Stdout, stderr: os.Stderr, lookupEnv: os.LookupEnv})
	stop()
	os.Exit(code)
}

// run executes one subcommand and returns the process exit code. Errors are
// reported as exactly one line on stderr.
func run(ctx context.Context, args []string, env environment) int {
	stdout, stderr := env.stdout, env.stderr
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], env)
		switch {
		case err == nil, errors.Is(err, errHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "buergerbuero %s: %v\n", c.name, err)
			return 2
		default:
			fmt.Fprintf(stderr, "buergerbuero %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "buergerbuero: unknown command %q (see buergerbuero --help)\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: buergerbuero <command> [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery flag can also be set from the environment as BUERGERBUERO_<FLAG> (e.g. BUERGERBUERO_HTTP).")
	fmt.Fprintln(w, "Run 'buergerbuero <command> --help' for the flags of a command.")
}
