package codegen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// The tests of this package compile what the generator writes. They build one temporary
// module per test, which requires neurogen from this checkout (replaced by the repository
// root, with its go.sum) and works offline.

// needGo skips a test that builds Go code in short mode or where there is no go command.
func needGo(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds Go code; skipped in short mode")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
}

var repoRootOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
})

// repoRoot is the directory of the go.mod above the test's working directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := repoRootOnce()
	if err != nil {
		t.Fatalf("no go.mod above the test's working directory: %v", err)
	}
	return root
}

// tempModule writes go.mod and go.sum of a module named path in a new temporary directory:
// it requires github.com/neurogen/neurogen, replaced by this checkout.
func tempModule(t *testing.T, path string) string {
	t.Helper()
	root := repoRoot(t)
	dir := t.TempDir()
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go \S+$`).Find(mod)
	gomod := "module " + path + "\n\n" + string(goLine) + "\n\nrequire github.com/neurogen/neurogen v0.0.0\n\n" +
		"replace github.com/neurogen/neurogen => " + filepath.ToSlash(root) + "\n"
	writeFile(t, filepath.Join(dir, "go.mod"), []byte(gomod))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "go.sum"), sum)
	return dir
}

func writeFile(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o666); err != nil {
		t.Fatal(err)
	}
}

// goCmd returns a go command run in dir, offline, with the module's go.mod as the only
// source of versions.
func goCmd(dir string, stdin []byte, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod -buildvcs=false", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	return cmd
}

// runGo runs a go command in dir and returns its standard output; it fails the test, with the
// command's output, if the command fails.
func runGo(t *testing.T, dir string, stdin []byte, args ...string) string {
	t.Helper()
	cmd := goCmd(dir, stdin, args...)
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
