package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestArchitecture holds ARCHITECTURE.md's table of packages to the repository: every
// directory it names exists, and every package of neurogen's own code (outside generated/,
// examples/, bench/, testdata and the test-only docs/) is named, so that a new package gets its
// line when it lands.
func TestArchitecture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	row := regexp.MustCompile("^\\| (`[^|]*`) \\|")
	path := regexp.MustCompile("`([a-z][a-z0-9_/]*?)/?`")
	for _, line := range strings.Split(string(b), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, p := range path.FindAllStringSubmatch(m[1], -1) {
			named[p[1]] = true
			if info, err := os.Stat(filepath.Join(root, filepath.FromSlash(p[1]))); err != nil || !info.IsDir() {
				t.Errorf("ARCHITECTURE.md names %s, which is not a directory of the repository", p[1])
			}
		}
	}
	if len(named) < 5 {
		t.Fatalf("ARCHITECTURE.md's table names %d directories; is its form `| `path/` | what |`?", len(named))
	}
	skip := map[string]bool{"generated": true, "examples": true, "bench": true, "docs": true, "testdata": true, "tools": true}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if p == root {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || skip[d.Name()] {
			return filepath.SkipDir
		}
		if hasGo(t, p) && !named[rel] {
			t.Errorf("ARCHITECTURE.md has no line for the package %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hasGo reports whether dir holds a non-test Go file.
func hasGo(t *testing.T, dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			return true
		}
	}
	return false
}
