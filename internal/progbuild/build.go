// Package progbuild writes and builds the model programs of neurogen run and neurogen build,
// and keeps them in a cache, so that a later run of the same model starts at once.
//
// A model program is a small Go module:
//
//	go.mod                 module neurogenrun, github.com/neurogen/neurogen replaced by ./neurogen
//	main.go                the program: program/main.go as it is, importing model below
//	variant.go             how the model's package was generated (Program.Variant, RandomInit)
//	model/PKG.go           the generated package of the model, package PKG
//	neurogen/go.mod        module github.com/neurogen/neurogen
//	neurogen/runtime/*.go  the runtime's source, from runtime.Source()
//	neurogen/units/*.go    the units package's source, from units.Source()
//	neurogen/modelrun/*.go the modelrun package's source, from modelrun.Source(): the program
//	neurogen/internal/suggest/*.go
//	                       the "did you mean" finder that runtime, units and modelrun import,
//	                       from suggest.Source()
//	neurogen/internal/spikestats/*.go
//	                       the spike statistics of a network program (modelrun imports them),
//	                       from spikestats.Source()
//	config.json            the values of a run (written by neurogen run, not part of the build)
//	bin/PKG                the program
//
// Nothing is downloaded: the runtime needs only the standard library, and the build runs with
// GOPROXY=off. The program's source depends only on the model and how its package was
// generated, never on the values of a run (those travel in config.json, a modelrun.Config), so
// the program cache (cache.go) serves every run of the same model after the first.
package progbuild

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/neurogen/neurogen/internal/spikestats"
	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/units"
)

// Module is the module path of a model program.
const Module = "neurogenrun"

// runtimeModule is the module path of neurogen, whose runtime the generated code imports.
const runtimeModule = "github.com/neurogen/neurogen"

// goVersion is the Go language version of the program's modules: neurogen's own (its go.mod),
// which the runtime and generated code are written for.
const goVersion = "1.26"

// goModMarker begins the go.mod of every model program, so that -keep recognises a directory
// that neurogen run made.
const goModMarker = "// Written by neurogen run; DO NOT EDIT."

// modelDir is the directory of the generated package in a model program's module. It is the
// same for every model, so that no model name can collide with the module's other files.
const modelDir = "model"

// mainSource is program/main.go, the model program's main.go but for the import of the model.
//
//go:embed program/main.go
var mainSource []byte

// netMainSource is netprogram/main.go, the network program's main.go but for the import of the
// network, and netMainModel the import path it has there, which programMain replaces.
//
//go:embed netprogram/main.go
var netMainSource []byte

const netMainModel = runtimeModule + "/generated/cobahh"

// NetworkImportPath is the import path of a network's package in a network program's module:
// codegen.GenerateNetwork needs it for the imports of its groups' packages.
const NetworkImportPath = Module + "/" + modelDir

// mainModel is the import path of the model in program/main.go, which programMain replaces.
const mainModel = runtimeModule + "/generated/hh52"

// ErrInterrupted is the error of a build ended by an interrupt (its context's cancellation).
var ErrInterrupted = errors.New("interrupted")

// A Program is a model program to write and build.
type Program struct {
	Model   string // the model's name, such as HH52
	Package string // the generated package's name, which names the program
	Method  string // the integration method, for the cache's info file
	// Generated holds the files of the generated package, by name. Its SpecName must be
	// SpecName(Model), so that the program does not depend on where the spec is.
	Generated map[string][]byte
	// Variant and RandomInit are those of modelrun.Program: how the package was generated
	// ("tables", "simd", "float32") and whether V_init is drawn at random.
	Variant    []string
	RandomInit bool
	// SIMD builds the program with GOEXPERIMENT=simd, for a package generated with -simd.
	SIMD bool
	// Network makes a network program (netprogram/main.go, modelrun.NetworkProgram): Generated
	// are then the files of codegen.GenerateNetwork, generated with NetworkImportPath, and Model
	// is the network's name.
	Network bool
}

// SpecName is how the package of a model program names its spec, in its header and in
// runtime.Model.Spec: by the model, not by the spec's path, so that the same spec under
// another name or in another directory gives the same program and the same cache key.
func SpecName(model string) string { return "the spec of model " + model }

// programMain returns the main.go of a model program: program/main.go with the model's
// import path in the module for HH52's; or, for a network, netprogram/main.go with the
// network's for COBAHH's.
func programMain(network bool) ([]byte, error) {
	src, mainModel := mainSource, mainModel
	if network {
		src, mainModel = netMainSource, netMainModel
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var found *ast.ImportSpec
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == mainModel {
			found = imp
		}
	}
	if found == nil {
		return nil, fmt.Errorf("the program's main.go does not import %s", mainModel)
	}
	found.Path.Value = strconv.Quote(path.Join(Module, modelDir))
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// variantSource returns the variant.go of a model program, which gives main.go the Variant
// and RandomInit of p.
func variantSource(p *Program) ([]byte, error) {
	if p.Network {
		return format.Source(fmt.Appendf(nil, `// Code generated by neurogen for network %s; DO NOT EDIT.

package main

// networkName is the network's name, as its spec gives it.
const networkName = %q
`, p.Model, p.Model))
	}
	variant := "nil"
	if len(p.Variant) > 0 {
		q := make([]string, len(p.Variant))
		for i, v := range p.Variant {
			q[i] = strconv.Quote(v)
		}
		variant = "[]string{" + strings.Join(q, ", ") + "}"
	}
	return format.Source(fmt.Appendf(nil, `// Code generated by neurogen for model %s; DO NOT EDIT.

package main

// variant says how the model's package was generated, when not plainly (modelrun.Program's
// Variant), and randomInit whether V_init is drawn at random.
var variant []string = %s

const randomInit = %v
`, p.Model, variant, p.RandomInit))
}

// ModuleFiles returns the files of p's module (without config.json), by slash-separated path.
func ModuleFiles(p *Program) (map[string][]byte, error) {
	main, err := programMain(p.Network)
	if err != nil {
		return nil, fmt.Errorf("the model program's main.go (a bug in neurogen): %w", err)
	}
	variant, err := variantSource(p)
	if err != nil {
		return nil, fmt.Errorf("the model program's variant.go (a bug in neurogen): %w", err)
	}
	files := map[string][]byte{
		"go.mod": fmt.Appendf(nil, "%s\n\nmodule %s\n\ngo %s\n\nrequire %s v0.0.0\n\nreplace %s => ./neurogen\n",
			goModMarker, Module, goVersion, runtimeModule, runtimeModule),
		"main.go":         main,
		variantFile(p):    variant,
		"neurogen/go.mod": fmt.Appendf(nil, "%s\n\nmodule %s\n\ngo %s\n", goModMarker, runtimeModule, goVersion),
	}
	for dir, src := range map[string]map[string][]byte{"runtime": runtime.Source(), "units": units.Source(),
		"modelrun": modelrun.Source(), "internal/suggest": suggest.Source(), "internal/spikestats": spikestats.Source()} {
		for name, b := range src {
			files[runtimePrefix+dir+"/"+name] = b
		}
	}
	for name, src := range p.Generated {
		files[modelDir+"/"+name] = src
	}
	return files, nil
}

// variantFile is the name of the file of variantSource: variant.go, or network.go for a network.
func variantFile(p *Program) string {
	if p.Network {
		return "network.go"
	}
	return "variant.go"
}

// runtimePrefix begins the paths of the runtime's module among a model program's files.
const runtimePrefix = "neurogen/"

// Options are how Build builds.
type Options struct {
	GoCmd string // the go command (see LookGo)
	// Dir is the directory for the module when it is written (a build outside the cache, or
	// Keep): a temporary directory, or -keep's, made ready by PrepareDir.
	Dir string
	// Keep writes the module into Dir even when the cache holds the program (with a copy of it
	// in Dir/bin), and builds there.
	Keep bool
	// Rebuild builds even when the cache holds the program, and replaces it there.
	Rebuild bool
	// NewStatus, if not nil, is called when a build starts (not when the cache serves the
	// program), for a status line of the build.
	NewStatus func() Status
	// Warnings, if not nil, receives the warnings of a cache that cannot be used, a line each.
	Warnings io.Writer
}

// A Status follows a build: Compiled is called with each package that the go command
// compiles, as go build -v names them, as it goes; Done when the build has ended.
type Status interface {
	Compiled(importPath string)
	Done()
}

// Build returns the path of p's program: from the cache when it holds the program of the same
// files and toolchain (cached is then true), else built by the go command in a directory of
// the cache or in opts.Dir, and stored in the cache. The module is written into opts.Dir only
// for a build there, or for opts.Keep, which then gets a copy of the cached program in its bin
// directory.
func Build(ctx context.Context, p *Program, opts Options) (bin string, cached bool, err error) {
	files, err := ModuleFiles(p)
	if err != nil {
		return "", false, err
	}
	warn := func(format string, args ...any) {
		if opts.Warnings != nil {
			fmt.Fprintf(opts.Warnings, "neurogen run: warning: "+format+"\n", args...)
		}
	}
	cache, err := OpenCache()
	if err != nil {
		warn("%v", err)
	}
	var key, info string
	if cache != nil {
		tc, err := toolchain(ctx, opts.GoCmd, p.SIMD)
		if err != nil {
			return "", false, err
		}
		key = cacheKey(tc, files)
		info = fmt.Sprintf("model %s (%s), method %s\n%s\n", p.Model, p.Package, p.Method, strings.Join(tc, "\n"))
		if !opts.Rebuild {
			if bin, ok := cache.Lookup(key, p.Package); ok {
				if opts.Keep {
					if err := writeFiles(opts.Dir, files); err != nil {
						return "", false, err
					}
					if err := os.MkdirAll(filepath.Join(opts.Dir, "bin"), 0o777); err != nil {
						return "", false, err
					}
					if _, err := copyProgram(bin, filepath.Join(opts.Dir, "bin", ExeName(p.Package))); err != nil {
						return "", false, err
					}
				}
				return bin, true, nil
			}
		}
	}
	var compiled func(string)
	if opts.NewStatus != nil {
		status := opts.NewStatus()
		defer status.Done()
		compiled = status.Compiled
	}
	if cache != nil && !opts.Keep {
		if bdir, release, ok := cache.stage(key, files); ok {
			defer release()
			built, err := goBuild(ctx, opts.GoCmd, bdir, p.Package, p.SIMD, compiled)
			if err != nil {
				return "", false, err
			}
			if err := cache.install(key, p.Package, built, info, opts.Rebuild); err != nil {
				warn("the program cache %s: %v (set %s=off to run without it)", cache.dir, err, CacheEnv)
			} else if bin, ok := cache.Lookup(key, p.Package); ok {
				return bin, false, nil
			}
			// Not in the cache after all: a copy in Dir outlives the build's directory.
			bin = filepath.Join(opts.Dir, "bin", ExeName(p.Package))
			if err := os.MkdirAll(filepath.Dir(bin), 0o777); err != nil {
				return "", false, err
			}
			if _, err := copyProgram(built, bin); err != nil {
				return "", false, err
			}
			return bin, false, nil
		}
	}
	if err := writeFiles(opts.Dir, files); err != nil {
		return "", false, err
	}
	if bin, err = goBuild(ctx, opts.GoCmd, opts.Dir, p.Package, p.SIMD, compiled); err != nil {
		return "", false, err
	}
	if cache != nil {
		if err := cache.install(key, p.Package, bin, info, opts.Rebuild); err != nil {
			warn("the program cache %s: %v (set %s=off to run without it)", cache.dir, err, CacheEnv)
		}
	}
	return bin, false, nil
}

// PrepareDir makes dir ready to hold a model program: it creates dir if missing, and empties
// it if it holds an earlier model program. It refuses a directory with other contents, so
// that -keep never deletes the user's files.
func PrepareDir(dir string) error {
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

// ErrNoGo explains a missing go command.
var ErrNoGo = errors.New("neurogen run builds a Go program for the model and needs the go command, " +
	"which is not on PATH (install Go from https://go.dev/dl/ or add its bin directory to PATH)")

// LookGo returns the path of the go command.
func LookGo() (string, error) {
	p, err := exec.LookPath("go")
	if err != nil {
		return "", ErrNoGo
	}
	return p, nil
}

// builds counts the builds, for Builds.
var builds atomic.Int64

// Builds returns the number of times this process has called go build for a model program:
// the tests of the cache count them.
func Builds() int64 { return builds.Load() }

// importPathLine matches a line of `go build -v`: an import path alone. The go command's
// errors have spaces or colons and never match.
var importPathLine = regexp.MustCompile(`^[A-Za-z0-9_.~+-]+(/[A-Za-z0-9_.~+-]+)*$`)

// goBuild builds the model program in dir with the go command goCmd into dir/bin and returns
// the binary's path. It calls compiled (if not nil) with each package it compiles. A failed
// build returns the compiler's output in the error.
func goBuild(ctx context.Context, goCmd, dir, pkg string, simd bool, compiled func(string)) (string, error) {
	builds.Add(1)
	// Absolute: the go command runs in dir, and the program where neurogen runs.
	bin, err := filepath.Abs(filepath.Join(dir, "bin", ExeName(pkg)))
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
			if compiled != nil {
				compiled(line)
			}
		} else {
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	err = cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return "", ErrInterrupted
	case err != nil && out.Len() == 0:
		return "", fmt.Errorf("building the model program: %w", err)
	case err != nil:
		return "", fmt.Errorf("building the model program failed (a bug in neurogen, or a Go older than %s):\n%s",
			goVersion, strings.TrimRight(out.String(), "\n"))
	}
	return bin, nil
}

// IsStdPackage reports whether an import path that go build -v names is of the standard
// library: its first element has no dot (the model program's own module, neurogenrun, is the
// exception).
func IsStdPackage(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".") && first != Module
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
