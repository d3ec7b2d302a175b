package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync/atomic"
	"text/template"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/units"
)

// A model program is a small Go module that neurogen run writes and builds:
//
//	go.mod                 module neurogenrun, github.com/neurogen/neurogen replaced by ./neurogen
//	main.go                the program, from program.go.tmpl: modelrun.Program's Main
//	model/PKG.go           the generated package of the model, package PKG
//	neurogen/go.mod        module github.com/neurogen/neurogen
//	neurogen/runtime/*.go  the runtime's source, from runtime.Source()
//	neurogen/units/*.go    the units package's source, from units.Source()
//	neurogen/modelrun/*.go the modelrun package's source, from modelrun.Source(): the program
//	neurogen/internal/suggest/*.go
//	                       the "did you mean" finder that runtime, units and modelrun import,
//	                       from suggest.Source()
//	config.json            the values of this run (not part of the build)
//	bin/PKG                the program
//
// Nothing is downloaded: the runtime needs only the standard library, and the build runs with
// GOPROXY=off. The program's source depends only on the spec and on -method, never on the
// values of a run (those travel in config.json), so the program cache (cache.go) serves every
// run of the same model after the first.

// programModule is the module path of a model program.
const programModule = "neurogenrun"

// runtimeModule is the module path of neurogen, whose runtime the generated code imports.
const runtimeModule = "github.com/neurogen/neurogen"

// goVersion is the Go language version of the program's modules: neurogen's own (its go.mod),
// which the runtime and generated code are written for.
const goVersion = "1.26"

// goModMarker begins the go.mod of every model program, so that -keep recognises a directory
// that neurogen run made.
const goModMarker = "// Written by neurogen run; DO NOT EDIT."

//go:embed program.go.tmpl
var programTemplate string

var programTmpl = template.Must(template.New("program").Parse(programTemplate))

// modelDir is the directory of the generated package in a model program's module. It is the
// same for every model, so that no model name can collide with the module's other files.
const modelDir = "model"

// programData is what program.go.tmpl reads.
type programData struct {
	Command    string   // the program's name, the generated package's
	Model      string   // the model's name
	Import     string   // the generated package's import path
	Variant    []string // how the package was generated: tables, simd, float32
	RandomInit bool     // V_init is drawn at random
}

// programSource returns the main.go of a model program.
func programSource(d programData) ([]byte, error) {
	var buf bytes.Buffer
	if err := programTmpl.Execute(&buf, d); err != nil {
		return nil, err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("the model program's main.go does not parse (a bug in neurogen): %w", err)
	}
	return src, nil
}

// moduleFiles returns the files of a model program's module (without config.json), by
// slash-separated path, given the files of the generated package of m, made with the options
// of r.
func (r *runRunner) moduleFiles(m *ir.Model, generated map[string][]byte) (map[string][]byte, error) {
	main, err := programSource(programData{Command: m.Package, Model: m.Name, Import: path.Join(programModule, modelDir),
		Variant: r.variant(), RandomInit: m.VInit.Uniform})
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		"go.mod": fmt.Appendf(nil, "%s\n\nmodule %s\n\ngo %s\n\nrequire %s v0.0.0\n\nreplace %s => ./neurogen\n",
			goModMarker, programModule, goVersion, runtimeModule, runtimeModule),
		"main.go":         main,
		"neurogen/go.mod": fmt.Appendf(nil, "%s\n\nmodule %s\n\ngo %s\n", goModMarker, runtimeModule, goVersion),
	}
	for dir, src := range map[string]map[string][]byte{"runtime": runtime.Source(), "units": units.Source(),
		"modelrun": modelrun.Source(), "internal/suggest": suggest.Source()} {
		for name, b := range src {
			files["neurogen/"+dir+"/"+name] = b
		}
	}
	for name, src := range generated {
		files[modelDir+"/"+name] = src
	}
	return files, nil
}

// prepareDir makes dir ready to hold a model program: it creates dir if missing, and empties
// it if it holds an earlier model program. It refuses a directory with other contents, so
// that -keep never deletes the user's files.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o777)
	case err != nil:
		return err
	case len(entries) == 0:
		return nil
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || !bytes.HasPrefix(mod, []byte(goModMarker)) {
		return fmt.Errorf("-keep %s: the directory is not empty and holds no model program of neurogen run; give a new or empty directory", dir)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// writeFiles writes files (by slash-separated path) under dir.
func writeFiles(dir string, files map[string][]byte) error {
	for _, name := range sortedKeys(files) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o666); err != nil {
			return err
		}
	}
	return nil
}

// buildEnv is the environment of `go build` for a model program: the caller's, with the
// settings that keep the build offline and local, for the machine neurogen runs on; with simd,
// GOEXPERIMENT=simd too (added to the caller's experiments), for a -simd model.
func buildEnv(simd bool) []string {
	env := os.Environ()
	if simd {
		exp := os.Getenv("GOEXPERIMENT")
		if exp != "" {
			exp += ","
		}
		env = append(env, "GOEXPERIMENT="+exp+"simd")
	}
	return append(env,
		"GOFLAGS=-mod=mod -buildvcs=false",
		"GOWORK=off",
		"GOPROXY=off",
		"GOTOOLCHAIN=local",
		"CGO_ENABLED=0",
		"GOOS="+goruntime.GOOS,
		"GOARCH="+goruntime.GOARCH,
	)
}

// errNoGo explains a missing go command.
var errNoGo = errors.New("neurogen run builds a Go program for the model and needs the go command, " +
	"which is not on PATH (install Go from https://go.dev/dl/ or add its bin directory to PATH)")

// lookGo returns the path of the go command.
func lookGo() (string, error) {
	p, err := exec.LookPath("go")
	if err != nil {
		return "", errNoGo
	}
	return p, nil
}

// programBuilds counts the calls of buildProgram, for the tests of the program cache.
var programBuilds atomic.Int64

// buildProgram builds the model program in dir with the go command goCmd into dir/bin and
// returns the binary's path. It names the packages it compiles on status (which may be nil). A
// failed build returns the compiler's output in the error.
func buildProgram(ctx context.Context, goCmd, dir, pkg string, simd bool, status *buildStatus) (string, error) {
	programBuilds.Add(1)
	// Absolute: the go command runs in dir, and the program where neurogen runs.
	bin, err := filepath.Abs(filepath.Join(dir, "bin", exeName(pkg)))
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, goCmd, "build", "-v", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = buildEnv(simd)
	var out bytes.Buffer // what the go command says, less -v's package names
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("building the model program: %w", err)
	}
	sc := bufio.NewScanner(stderr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line := sc.Text(); importPathLine.MatchString(line) {
			status.compiled(line)
		} else {
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	err = cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return "", errInterrupted
	case err != nil && out.Len() == 0:
		return "", fmt.Errorf("building the model program: %w", err)
	case err != nil:
		return "", fmt.Errorf("building the model program failed (a bug in neurogen, or a Go older than %s):\n%s",
			goVersion, strings.TrimRight(out.String(), "\n"))
	}
	return bin, nil
}
