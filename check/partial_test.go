package check_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/spec"
)

// TestBrokenStockSpecs breaks each stock spec one line at a time (the line left out, its value
// replaced by a sequence, a mapping, nothing or a word, its indentation changed) and checks that
// check.Load, which checks what loads even after the loader's errors, never panics and returns
// either a model or a sorted list of errors inside the file, and that Check never returns a
// model for a spec that spec.Load refused.
func TestBrokenStockSpecs(t *testing.T) {
	files, err := filepath.Glob(filepath.FromSlash("../specs/*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no stock specs: %v", err)
	}
	keyValue := regexp.MustCompile(`^(\s*[A-Za-z_][A-Za-z_0-9]*:)(.*)$`)
	n := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		for i, line := range lines {
			variants := []string{""}
			if m := keyValue.FindStringSubmatch(line); m != nil {
				for _, v := range []string{" [1]", " {}", "", " {a: 1}", " x"} {
					variants = append(variants, m[1]+v)
				}
				variants = append(variants, " "+line, strings.TrimPrefix(line, "  "))
			}
			for _, v := range variants {
				broken := strings.Join(append(append(append([]string{}, lines[:i]...), v), lines[i+1:]...), "\n")
				n++
				if problem := checkBroken([]byte(broken)); problem != "" {
					t.Errorf("%s, line %d as %q: %s", file, i+1, v, problem)
				}
			}
		}
	}
	t.Logf("%d broken specs", n)
}

// checkBroken runs check.Load on src and describes what is wrong, or returns "".
func checkBroken(src []byte) (problem string) {
	defer func() {
		if p := recover(); p != nil {
			problem = fmt.Sprintf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	m, err := check.Load(fuzzFile, src, check.Options{})
	s, loadErr := spec.Load(fuzzFile, src)
	switch {
	case err != nil:
		return validErrors("check.Load", err, src)
	case m == nil:
		return "check.Load returns neither a model nor an error"
	case loadErr != nil:
		return fmt.Sprintf("check.Load returns a model for a spec that spec.Load refuses: %v", loadErr)
	}
	if _, err := check.Check(s, check.Options{}); err != nil {
		return fmt.Sprintf("check.Load accepts the spec but check.Check does not: %v", err)
	}
	return ""
}

// TestCheckIncomplete checks that Check gives no model for a spec that spec.Load returned
// with errors, even when the checker itself finds nothing more.
func TestCheckIncomplete(t *testing.T) {
	src := []byte(`neurogen: 1
model: M
membrane: {C: 1 uF/cm2, V_init: -65 mV}
colour: red
channels:
  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max * (E - V)}
`)
	s, err := spec.Load("m.yaml", src)
	if err == nil || s == nil || !s.Incomplete {
		t.Fatalf("spec.Load = %v, %v; want a spec marked Incomplete and an error", s, err)
	}
	if m, err := check.Check(s, check.Options{}); m != nil || err == nil {
		t.Errorf("check.Check of an incomplete spec = %v, %v; want no model and an error", m, err)
	}
	// check.Load reports the loader's error alone.
	_, err = check.Load("m.yaml", src, check.Options{})
	var list spec.ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Code != spec.UnknownField || list[0].Pos.String() != "m.yaml:4:1" {
		t.Errorf("check.Load: %v, want one %s at m.yaml:4:1", err, spec.UnknownField)
	}
}
