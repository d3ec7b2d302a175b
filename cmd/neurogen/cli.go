package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/neurogen/neurogen/internal/suggest"
)

// Exit statuses of Run.
const (
	exitOK    = 0 // success
	exitError = 1 // an error in a spec, in I/O, in building or running a model program
	exitUsage = 2 // a bad command line: unknown command or flag, bad value, wrong arguments
)

// env is what a command may use of the outside world besides the file system.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// A command is one subcommand of neurogen.
type command struct {
	name    string
	summary string // one line for the list of commands
	// synopsis is the command line after "usage: ", its flags in brackets, on several lines
	// if long; doc is the prose of the usage text, between the synopsis and the list of flags,
	// which the flags' definitions give (see usage); title heads the command's section of the
	// manual (manual.go).
	synopsis string
	doc      string
	title    string
	// minArgs and maxArgs bound the number of positional arguments; maxArgs < 0 is no bound.
	minArgs, maxArgs int
	argName          string // what a positional argument is, for "missing SPEC"
	// new returns the command's option values, with its flags defined on fs.
	new func(fs *flagSet) runner
}

// synopsisLines returns the synopsis after prefix, such as "usage: ", with its continuation
// lines indented to follow the command's name (tabs in prefix are kept, so that a synopsis
// in a code block stays one).
func (c *command) synopsisLines(prefix string) string {
	pad := strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		return ' '
	}, prefix+"neurogen "+c.name+" ")
	return prefix + strings.ReplaceAll(c.synopsis, "\n", "\n"+pad)
}

// flags returns the flags of the command, defined on a new flagSet.
func (c *command) flags() *flagSet {
	fs := newFlagSet(c.name)
	c.new(fs)
	return fs
}

// usage returns the text of `neurogen help NAME`: the synopsis, the prose and the list of
// the command's flags with their usage, as their definitions give it. It is the command's
// section of the manual, doc.go, where a heading of the prose ("# Save and resume") is a
// heading; here it is a line of its own.
func (c *command) usage() string {
	text := c.synopsisLines("usage: ") + "\n\n"
	for _, line := range strings.SplitAfter(c.doc, "\n") {
		text += strings.TrimPrefix(line, "# ")
	}
	if list := c.flags().flagList(); list != "" {
		text += "\n" + list
	}
	return text
}

// A runner runs a command once its flags are parsed; args are the positional arguments.
type runner interface {
	run(e *env, args []string) error
}

// commands lists the subcommands in the order of the usage text.
var commands []*command

func init() {
	// Assigned here rather than in a composite literal so that help can refer to commands.
	commands = []*command{checkCommand, genCommand, diffCommand, showCommand, runCommand, buildCommand, plotCommand, channelsCommand, receptorsCommand, exportCommand, importCommand, versionCommand, helpCommand}
}

func lookupCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func commandNames() []string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
}

// mainUsage is the text of `neurogen help`.
func mainUsage() string {
	var b strings.Builder
	b.WriteString(`neurogen compiles specs of Hodgkin–Huxley-type neuron groups into Go packages.

Usage:

	neurogen COMMAND [ARGUMENTS]

The commands are:

`)
	for _, c := range commands {
		fmt.Fprintf(&b, "\t%-8s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Run 'neurogen help COMMAND' or 'neurogen COMMAND -h' for more about a command.
`)
	return b.String()
}

// Run runs neurogen with the command-line arguments args (without the program name) and
// returns the exit status: 0 on success, 1 for errors in specs, files, builds and runs, and 2
// for a bad command line.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage())
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, mainUsage())
		return exitOK
	}
	cmd := lookupCommand(name)
	if cmd == nil {
		msg := fmt.Sprintf("unknown command %q", name)
		if strings.HasPrefix(name, "-") {
			msg = fmt.Sprintf("unknown flag %s: flags come after the command", name)
		} else if s := suggest.Closest(name, commandNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		fmt.Fprintf(stderr, "neurogen: %s\nrun 'neurogen help' for usage\n", msg)
		return exitUsage
	}
	return cmd.execute(e, args[1:])
}

// execute parses the command's flags and arguments and runs it. A panic, which is a bug in
// neurogen whatever the input, is reported as an internal error with its stack, exit status 1.
func (c *command) execute(e *env, args []string) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(e.stderr, "neurogen %s: internal error (a bug in neurogen; please report it with the input): %v\n%s", c.name, p, debug.Stack())
			code = exitError
		}
	}()
	fs := newFlagSet("neurogen " + c.name)
	fs.SetOutput(io.Discard) // Run reports errors itself, and help goes to stdout.
	fs.Usage = func() {}
	r := c.new(fs)
	pos, err := parseInterleaved(fs.FlagSet, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, c.usage())
		return exitOK
	}
	if err == nil {
		err = c.checkArgs(pos)
	}
	if err == nil {
		err = r.run(e, pos)
	}
	return c.report(e, err)
}

// checkArgs checks the number of positional arguments.
func (c *command) checkArgs(pos []string) error {
	switch {
	case len(pos) < c.minArgs:
		return usageErrorf("missing %s", c.argName)
	case c.maxArgs >= 0 && len(pos) > c.maxArgs:
		extra := pos[c.maxArgs:]
		if c.maxArgs == 0 {
			return usageErrorf("unexpected argument %q (%s takes none)", extra[0], c.name)
		}
		return usageErrorf("unexpected argument %q (one %s at a time)", extra[0], c.argName)
	}
	return nil
}

// report prints err, if any, and returns the exit status it calls for.
func (c *command) report(e *env, err error) int {
	var ue *usageError
	var reported errReported
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "neurogen %s: %s\nrun 'neurogen %s -h' for usage\n", c.name, ue.msg, c.name)
		return exitUsage
	case errors.As(err, &reported):
		return exitError
	default:
		fmt.Fprintf(e.stderr, "neurogen %s: %v\n", c.name, err)
		return exitError
	}
}

// usageError is a bad command line: Run prints it with a pointer to the usage and exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errReported is returned by a command that has printed its errors itself (such as the errors
// of a spec, one per line) and wants exit status 1.
type errReported struct{}

func (errReported) Error() string { return "errors reported" }

// parseInterleaved parses args with fs, allowing flags before, between and after positional
// arguments (`neurogen gen -o out spec.yaml` and `neurogen gen spec.yaml -o out` are the
// same), and returns the positional arguments in order. After "--" every argument is
// positional. A flag error is returned as a *usageError, -h and -help as flag.ErrHelp.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{msg: err.Error()}
		}
		rest := fs.Args()
		used := len(args) - len(rest)
		if used > 0 && args[used-1] == "--" && !takesValue(fs, args[:used-1]) {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// takesValue reports whether the last of the arguments before is a flag that takes the next
// argument as its value (so that a following "--" is that value, not the end of the flags).
func takesValue(fs *flag.FlagSet, before []string) bool {
	if len(before) == 0 {
		return false
	}
	a := before[len(before)-1]
	if !strings.HasPrefix(a, "-") || strings.Contains(a, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(a, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}
