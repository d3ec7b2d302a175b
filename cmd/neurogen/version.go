package main

import (
	"fmt"
	goruntime "runtime"
	"runtime/debug"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/runtime"
)

// Version is the version of this neurogen, reported by `neurogen version` when the binary
// carries no module version; it is the runtime's, which state files record.
const Version = runtime.Version

var versionCommand = &command{
	name:     "version",
	summary:  "print the version of neurogen and of the runtime API it generates for",
	synopsis: "neurogen version",
	title:    "Version",
	doc: `Version prints the version of neurogen (the module version of an installed binary, or the
constant Version), the version of the runtime API its generated code is written for
(runtime.APIVersion), and the Go version it was built with.
`,
	new: func(fs *flagSet) runner { return versionRunner{} },
}

type versionRunner struct{}

func (versionRunner) run(e *env, args []string) error {
	fmt.Fprintf(e.stdout, "neurogen %s\nruntime API %d\nbuilt with %s\n", version(), runtime.APIVersion, goruntime.Version())
	return nil
}

// version returns the module version from the build information, or Version.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	return Version
}

var helpCommand = &command{
	name:     "help",
	summary:  "print the usage of neurogen or of a command",
	synopsis: "neurogen help [-doc FILE] [COMMAND]",
	title:    "Help",
	doc: `Help prints the usage of neurogen, or of COMMAND: the same text as 'neurogen COMMAND -h',
the command's section of this manual.
`,
	maxArgs: 1,
	argName: "COMMAND",
	new: func(fs *flagSet) runner {
		r := &helpRunner{}
		fs.stringFlag(&r.doc, "doc", "FILE", `
			write this manual, every command's usage, to FILE as the package documentation
			of command neurogen (its doc.go, which go generate writes so)`)
		return r
	},
}

type helpRunner struct {
	doc string // -doc FILE
}

func (r *helpRunner) run(e *env, args []string) error {
	if r.doc != "" {
		if len(args) > 0 {
			return usageErrorf("-doc %s writes the whole manual: drop %s", r.doc, args[0])
		}
		src, err := manual()
		if err != nil {
			return fmt.Errorf("the manual does not format as Go (a bug in neurogen): %w", err)
		}
		_, err = writeFileIfChanged(r.doc, src)
		return err
	}
	if len(args) == 0 {
		fmt.Fprint(e.stdout, mainUsage())
		return nil
	}
	c := lookupCommand(args[0])
	if c == nil {
		msg := fmt.Sprintf("unknown command %q", args[0])
		if s := suggest.Closest(args[0], commandNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return usageErrorf("%s", msg)
	}
	fmt.Fprint(e.stdout, c.usage())
	return nil
}
