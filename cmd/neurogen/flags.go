package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
)

// A flagSet is the flags of one command: a flag.FlagSet, and the documentation of each flag
// in the order it was defined, from which the command's usage text lists them. A flag's usage
// is written once, where the flag is defined; a flag that several commands take (-method,
// -tables, -simd, …) is defined once, by a function that each of them calls.
type flagSet struct {
	*flag.FlagSet
	docs []flagDoc
}

// flagDoc documents one flag, or begins a section of the flag list (name empty).
type flagDoc struct {
	name    string // the flag as the list shows it, such as "-o DIR" or "-progress=false"
	usage   string // lines of prose, without indentation
	section string // the title of a section of flags, such as "Recording" (name is empty)
}

func newFlagSet(name string) *flagSet {
	return &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
}

// boolFlag defines a flag that takes no value. One that is on by default is listed as
// -NAME=false.
func (fs *flagSet) boolFlag(p *bool, name string, value bool, usage string) {
	fs.BoolVar(p, name, value, "")
	shown := "-" + name
	if value {
		shown += "=false"
	}
	fs.docs = append(fs.docs, flagDoc{name: shown, usage: usage})
}

// stringFlag defines a flag whose value is a string, arg in the list (such as DIR).
func (fs *flagSet) stringFlag(p *string, name, arg, usage string) {
	fs.StringVar(p, name, "", "")
	fs.docs = append(fs.docs, flagDoc{name: "-" + name + " " + arg, usage: usage})
}

// valueFlag defines a flag whose value is v, arg in the list.
func (fs *flagSet) valueFlag(v flag.Value, name, arg, usage string) {
	fs.Var(v, name, "")
	fs.docs = append(fs.docs, flagDoc{name: "-" + name + " " + arg, usage: usage})
}

// section begins a section of the flag list, such as "Recording".
func (fs *flagSet) section(title string) {
	fs.docs = append(fs.docs, flagDoc{section: title})
}

// flagList returns the list of the flags in fs, as a usage text shows them: under "Flags:",
// and under the title of each section; each flag on a line of its own, indented by a tab,
// its usage below it indented by two.
func (fs *flagSet) flagList() string {
	if len(fs.docs) == 0 {
		return ""
	}
	var b strings.Builder
	if fs.docs[0].section == "" {
		b.WriteString("Flags:\n\n")
	}
	for _, d := range fs.docs {
		if d.section != "" {
			fmt.Fprintf(&b, "\n%s:\n\n", d.section)
			continue
		}
		fmt.Fprintf(&b, "\t%s\n", d.name)
		for _, line := range strings.Split(strings.TrimSpace(d.usage), "\n") {
			fmt.Fprintf(&b, "\t\t%s\n", strings.TrimSpace(line))
		}
	}
	return b.String()
}

// The flags below are those that several commands take, each defined here once.

// methodFlag defines -method, the integration method, for gen, diff, show, run and build.
func methodFlag(fs *flagSet, p *string) {
	names := ir.MethodNames()
	methods := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	fs.stringFlag(p, "method", "METHOD", "the integration method, overriding the spec's: "+methods)
}

// codeFlags are the flags that say what code to generate for a spec, which gen, diff, show,
// run and build take (-pkg and -line only gen, diff and show).
type codeFlags struct {
	method     string
	pkg        string
	tablesOn   bool
	tableError tableBound
	simd       bool
	float32    bool
	line       bool

	tables *codegen.Tables // what -tables and -table-error ask for, or nil: set by validate
}

// defineMethodTables defines -method, -tables and -table-error.
func (f *codeFlags) defineMethodTables(fs *flagSet) {
	methodFlag(fs, &f.method)
	fs.boolFlag(&f.tablesOn, "tables", false, `
		advance the gates whose kinetics depend on V alone from rate tables (NEURON's
		TABLE): the coefficients of the exponential step, tabulated over -100 to 60 mV
		and interpolated linearly, computed exactly outside that range (exp_auto and
		staggered only); gen prints the tables' size and interpolation error`)
	fs.valueFlag(&f.tableError, "table-error", "E", `
		the largest interpolation error of the tables' steady states and (relative)
		rates, which sets their spacing (default 1e-6; implies -tables)`)
}

// defineSIMD defines -simd.
func (f *codeFlags) defineSIMD(fs *flagSet) {
	fs.boolFlag(&f.simd, "simd", false, `
		also write eight- and four-lane Steps (NAME_x4.go, with its stub NAME_nox4.go),
		which a build with GOEXPERIMENT=simd on amd64 uses on CPUs with AVX-512 or AVX2
		(NEUROGEN_SIMD=avx2 or scalar caps the lanes): they step eight or four neurons at
		a time with the scalar Step's results bit for bit (exp_auto and staggered, with or
		without -tables); run and build build with GOEXPERIMENT=simd`)
}

// defineFloat32 defines -float32.
func (f *codeFlags) defineFloat32(fs *flagSet) {
	fs.boolFlag(&f.float32, "float32", false, `
		store the state variables in single precision (half their memory; Var32 returns
		them), computing each step in double precision`)
}

// definePkg defines -pkg.
func (f *codeFlags) definePkg(fs *flagSet) {
	fs.stringFlag(&f.pkg, "pkg", "NAME", `
		the Go package name (default: from the spec's model name, such as hh52 for HH52,
		whatever DIR is); a Go identifier that is not a keyword, "_" or "main"`)
}

// defineLine defines -line.
func (f *codeFlags) defineLine(fs *flagSet) {
	fs.boolFlag(&f.line, "line", false, `
		source maps: put a //line SPEC:LINE:COL directive before each statement that
		comes from an expression in SPEC, so that compiler errors, panics and profiles of
		it name the spec's line (off by default, so that the files read as plain Go)`)
}

// rebuildFlag defines -rebuild, for run and build.
func rebuildFlag(fs *flagSet, p *bool) {
	fs.boolFlag(p, "rebuild", false, "build the program even if the cache holds it, and replace the cached copy")
}

// validate checks the flags (other than -o) and sets f.tables; a bad flag is a *usageError.
func (f *codeFlags) validate() error {
	if err := validPackageName(f.pkg); err != nil {
		return err
	}
	if err := validMethod(f.method); err != nil {
		return err
	}
	tables, err := tableOptions(f.tablesOn, f.tableError)
	if err != nil {
		return err
	}
	f.tables = tables
	return nil
}

// variant lists the options of the code that are not plain code of the method, as the summary
// of a run names them: "tables", "simd", "float32". validate has set f.tables.
func (f *codeFlags) variant() []string {
	var v []string
	if f.tables != nil {
		v = append(v, "tables")
	}
	if f.simd {
		v = append(v, "simd")
	}
	if f.float32 {
		v = append(v, "float32")
	}
	return v
}

// codegenOptions returns the options of codegen.Generate that the flags ask for; validate
// has set f.tables.
func (f *codeFlags) codegenOptions() codegen.Options {
	return codegen.Options{Tables: f.tables, SIMD: f.simd, Float32: f.float32, LineDirectives: f.line}
}

// loadSpec is the prologue of every command that reads a spec from a file (gen, diff, show,
// run and build): it refuses "-", then loads and checks the spec at path with the flags'
// method and package name. It prints the spec's errors itself and returns errReported.
func (f *codeFlags) loadSpec(e *env, cmd, path string) (*ir.Model, error) {
	if path == "-" {
		return nil, usageErrorf("%s reads its spec from a file, not the standard input", cmd)
	}
	m, err := loadModel(e, path, check.Options{Method: f.method, Package: f.pkg})
	if err != nil {
		printError(e, cmd, err)
		return nil, errReported{}
	}
	return m, nil
}

// exportOutFlag defines export's -o.
func exportOutFlag(fs *flagSet, p *string) {
	fs.stringFlag(p, "o", "DIR", "the directory to write the files into (created if missing; default: the current directory)")
}
