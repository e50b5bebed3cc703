package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// errHelp: --help was asked for and printed; exit 0.
var errHelp = errors.New("help requested")

// errUsage marks errors in the command line or environment; exit 2.
var errUsage = errors.New("usage")

// usageError wraps err so that errors.Is(err, errUsage) holds, with its text
// folded onto one line.
func usageError(err error) error { return &usageErr{err} }

type usageErr struct{ err error }

func (e *usageErr) Error() string {
	return strings.Join(strings.Fields(e.err.Error()), " ") + " (see --help)"
}
func (e *usageErr) Unwrap() []error { return []error{e.err, errUsage} }

// envPrefix prefixes the environment variable of every flag.
const envPrefix = "BUERGERBUERO_"

// envName is the environment variable that sets a flag: --node-listen → BUERGERBUERO_NODE_LISTEN.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// flagSet is a subcommand's flags. Parse errors come back as one error line;
// the full usage is printed only on --help.
type flagSet struct {
	*flag.FlagSet
	summary string
	out     io.Writer
}

func newFlagSet(name, summary string, out io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, summary: summary, out: out}
}

func (fs *flagSet) printUsage() {
	fmt.Fprintf(fs.out, "Usage: buergerbuero %s [flags]\n\n%s\n\nFlags (each also from the environment):\n", fs.Name(), fs.summary)
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(fs.out, "  --%s (%s)\n        %s", f.Name, envName(f.Name), f.Usage)
		if f.DefValue != "" {
			fmt.Fprintf(fs.out, " (default %q)", f.DefValue)
		}
		fmt.Fprintln(fs.out)
	})
}

// parse parses args, then fills every flag not given on the command line
// from its environment variable. Command-line flags win over the environment.
func (fs *flagSet) parse(args []string, lookupEnv func(string) (string, bool)) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.printUsage()
			return errHelp
		}
		return usageError(err)
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		if v, ok := lookupEnv(envName(f.Name)); ok {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", envName(f.Name), err))
			}
		}
	})
	if len(errs) > 0 {
		return usageError(errors.Join(errs...))
	}
	return nil
}
