// Package gomodtest builds throwaway Go modules for tests that compile generated code: a module
// in a temporary directory that requires neurogen from this checkout, and go commands that
// work offline (Command, Run: they need only modules that this checkout's own build needs, and
// `go test` has downloaded those before any test runs). Tests that follow a user's steps, which
// run `go mod tidy` or `go get`, use UserEnv instead: they fetch through the module proxy that
// the environment configures, as `go test` does, and so never depend on what the module cache
// already holds.
package gomodtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// wd is the working directory of the test binary when it starts: its package's directory.
var wd, _ = os.Getwd()

// root is the neurogen module's root, found when the test binary starts (before any test can
// change the working directory): the nearest directory above it with a go.mod.
var root = func() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}()

// Root returns the root directory of the neurogen module.
func Root(t testing.TB) string {
	t.Helper()
	if root == "" {
		t.Fatal("no go.mod above the test's working directory")
	}
	return root
}

// NeedGo skips a test that builds Go code in short mode or where there is no go command.
func NeedGo(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds Go code; skipped in short mode")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
}

// TempModule writes go.mod and go.sum of a module named path in a new temporary directory and
// returns the directory. The module requires github.com/neurogen/neurogen, replaced by this
// checkout, with this checkout's go.sum, so it builds offline.
//
// The directory is the same in every run of the same test (see StableDir), so that the go
// command's build cache, which is keyed by directories as well as by bytes, serves a package
// that a test writes again unchanged: a second run of the test compiles nothing of it.
func TempModule(t testing.TB, path string) string {
	t.Helper()
	root := Root(t)
	dir := StableDir(t)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go \S+$`).Find(mod)
	gomod := "module " + path + "\n\n" + string(goLine) + "\n\nrequire github.com/neurogen/neurogen v0.0.0\n\n" +
		"replace github.com/neurogen/neurogen => " + filepath.ToSlash(root) + "\n"
	WriteFile(t, filepath.Join(dir, "go.mod"), []byte(gomod))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	WriteFile(t, filepath.Join(dir, "go.sum"), sum)
	return dir
}

// stable counts the calls of StableDir by test, so that each gets a directory of its own.
var stable = struct {
	sync.Mutex
	calls map[string]int
}{calls: map[string]int{}}

// StableDir returns a new empty directory for t, removed when t ends, at a path that depends
// only on the package under test, the test's name and how many times the test called
// StableDir before: os.TempDir()/neurogen-test-HASH/NAME-K. When that directory is taken (the
// same test running in another process, or one killed less than an hour ago), it returns
// t.TempDir() instead, which only costs the build cache's hits.
func StableDir(t testing.TB) string {
	t.Helper()
	stable.Lock()
	k := stable.calls[t.Name()]
	stable.calls[t.Name()]++
	stable.Unlock()
	name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_")
	return stableDir(t, fmt.Sprintf("%s-%d", name, k))
}

// SharedDir is StableDir for several tests of a package: a new empty directory for t, removed
// when t ends, at a path that depends only on the package under test and name,
// os.TempDir()/neurogen-test-HASH/shared-NAME. Tests that build the same packages one after the
// other in it (never at the same time: then all but one get t.TempDir()) share what the go
// build cache compiled there, from an empty build cache too.
func SharedDir(t testing.TB, name string) string {
	t.Helper()
	return stableDir(t, "shared-"+name)
}

// stableDir returns a new empty directory os.TempDir()/neurogen-test-HASH/name for t, removed
// when t ends, or t.TempDir() when that one is taken.
func stableDir(t testing.TB, name string) string {
	t.Helper()
	h := sha256.Sum256([]byte(wd))
	base := filepath.Join(os.TempDir(), "neurogen-test-"+hex.EncodeToString(h[:6]))
	dir := filepath.Join(base, name)
	if err := os.MkdirAll(base, 0o777); err != nil {
		return t.TempDir()
	}
	if info, err := os.Stat(dir); err == nil && time.Since(info.ModTime()) > time.Hour {
		os.RemoveAll(dir) // left by a killed run
	}
	if err := os.Mkdir(dir, 0o777); err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// WriteFile writes a file, creating its directory.
func WriteFile(t testing.TB, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o666); err != nil {
		t.Fatal(err)
	}
}

// Command returns a go command run in dir that never touches the network and takes versions
// from the module's go.mod only; stdin may be nil.
func Command(dir string, stdin []byte, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod -buildvcs=false", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	return cmd
}

// Run runs a go command in dir and returns its standard output; it fails the test, with the
// command's output, if the command fails.
func Run(t testing.TB, dir string, stdin []byte, args ...string) string {
	t.Helper()
	cmd := Command(dir, stdin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		out := stderr.String()
		if len(out) > 20000 {
			out = out[:20000] + "\n…"
		}
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return stdout.String()
}

// simdRuns holds the GOEXPERIMENT=simd test runs of this process: the tests that SIMDTests
// registered run in one go test together, once.
var simdRuns struct {
	sync.Mutex
	tests []string // registered by SIMDTests
	done  bool
	out   string
	err   error
}

// SIMDTests registers tests of the package that TestWithSIMD runs in one go test command
// together, the first time it is asked for any of them, rather than one command (and one link
// of a test binary) each. A package calls it in a variable's initialiser; it returns true.
func SIMDTests(tests ...string) bool {
	simdRuns.Lock()
	defer simdRuns.Unlock()
	simdRuns.tests = append(simdRuns.tests, tests...)
	return true
}

// TestWithSIMD runs the test named test of the package in the working directory in a test
// binary built with GOEXPERIMENT=simd (Go's simd/archsimd, which -simd packages use), and
// returns its verbose output. It fails t if the go command fails; it skips t if the test
// skipped itself (a CPU without AVX2). Tests call it when their own binary was built without
// the experiment, so that `go test ./...` covers the four-lane code too. A test registered with
// SIMDTests runs together with the others registered, and gets its own part of the output.
func TestWithSIMD(t testing.TB, test string) string {
	t.Helper()
	NeedGo(t)
	simdRuns.Lock()
	registered := slices.Contains(simdRuns.tests, test)
	if registered && !simdRuns.done {
		simdRuns.out, simdRuns.err = runSIMD(simdRuns.tests)
		simdRuns.done = true
	}
	out, err := simdRuns.out, simdRuns.err
	simdRuns.Unlock()
	if !registered {
		out, err = runSIMD([]string{test})
	}
	switch {
	case err != nil:
		t.Fatalf("GOEXPERIMENT=simd go test -run %s: %v\n%s", test, err, out)
	case strings.Contains(out, "--- SKIP: "+test+" "):
		t.Skipf("%s", section(out, test))
	case !strings.Contains(out, "--- PASS: "+test+" "):
		t.Fatalf("GOEXPERIMENT=simd go test -run %s: the test did not run:\n%s", test, out)
	}
	return section(out, test)
}

// runSIMD runs tests in the package of the working directory under GOEXPERIMENT=simd.
func runSIMD(tests []string) (string, error) {
	cmd := exec.Command("go", "test", "-count=1", "-run=^("+strings.Join(tests, "|")+")$", "-v", ".")
	cmd.Env = append(cmd.Environ(), "GOEXPERIMENT=simd", "GOFLAGS=-mod=mod", "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// section returns the part of go test -v's output that belongs to the top-level test: from its
// "=== RUN" line to the next top-level test's, or all of out when it has none.
func section(out, test string) string {
	start := strings.Index(out, "=== RUN   "+test+"\n")
	if start < 0 {
		return out
	}
	rest := out[start+1:]
	for off := 0; ; {
		k := strings.Index(rest[off:], "\n=== RUN   ")
		if k < 0 {
			return out[start:]
		}
		next := rest[off+k+len("\n=== RUN   "):]
		if !strings.HasPrefix(next, test+"/") {
			return out[start : start+1+off+k+1]
		}
		off += k + 1
	}
}

// UserEnv returns the environment in which a test runs go commands as a user of neurogen would
// in a module of their own: this process's environment with the module proxy that `go env
// GOPROXY` reports (so `go mod tidy` and `go get` fetch what they need, as `go test` itself
// does), no workspace, and the local toolchain. GOMODCACHE and GOCACHE stay as they are, so such
// a module shares the modules and compiled packages of the test's own build.
func UserEnv(t testing.TB) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		t.Fatalf("go env GOPROXY: %v", err)
	}
	return append(os.Environ(), "GOPROXY="+strings.TrimSpace(string(out)), "GOWORK=off", "GOTOOLCHAIN=local")
}

// CheckSource checks a package whose source travels inside neurogen (runtime, units,
// modelrun): its embedded files (embedded, the package's embed.FS) and Source() (source) are
// exactly the non-test .go files of the test's working directory, the package's, with their
// contents on disk; no test file is embedded.
func CheckSource(t testing.TB, embedded fs.FS, source map[string][]byte) {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			want = append(want, name)
		}
	}
	dir, err := fs.ReadDir(embedded, ".")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range dir {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("embedded %v, want the non-test .go files %v (update the //go:embed list in source.go)", got, want)
	}
	if names := slices.Sorted(maps.Keys(source)); !slices.Equal(names, want) {
		t.Errorf("Source has %v, want %v", names, want)
	}
	for name, b := range source {
		disk, err := os.ReadFile(name)
		if err != nil || string(disk) != string(b) {
			t.Errorf("Source()[%q] differs from the file on disk (%v)", name, err)
		}
	}
}
