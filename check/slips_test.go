package check_test

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestSlipsAlone checks that `neurogen check` reports every independent problem of a spec in one
// run and nothing that only follows from another. testdata/errors/slips.yaml holds many slips of
// different kinds; TestErrors holds its errors to slips.golden. Each slipped line ends in
// `# FIX text`, the line as it should be (at the same indentation). Here:
//
//   - the spec with every slip fixed is valid;
//   - each slip alone (every other one fixed) gives at least one error, each of them exactly as
//     in the run with all slips (same position, same message);
//   - every error of the run with all slips comes from some slip alone: none is a consequence
//     of another slip (a cascade), nor is hidden by one.
//
// An error that follows from a single slip (say `undefined: E_Ca` after a missing `T`) shows
// in both runs; TestErrors catches it: every error needs an ERROR annotation on its line, and
// the slips' annotations are on their own lines.
func TestSlipsAlone(t *testing.T) {
	const file = "testdata/errors/slips.yaml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	type slip struct {
		line  int // 0-based
		fixed string
	}
	var slips []slip
	for i, line := range lines {
		_, fix, ok := strings.Cut(line, " # FIX ")
		if !ok {
			continue
		}
		fix, _, _ = strings.Cut(fix, " # ERROR")
		indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
		slips = append(slips, slip{i, indent + fix})
	}
	if len(slips) < 10 {
		t.Fatalf("%s has %d slips, want at least 10", file, len(slips))
	}
	// with returns the spec with every slip fixed but slip keep (-1: all fixed).
	with := func(keep int) []byte {
		out := slices.Clone(lines)
		for i, s := range slips {
			if i != keep {
				out[s.line] = s.fixed
			}
		}
		return []byte(strings.Join(out, "\n"))
	}
	if list := checkSpec(t, file, with(-1)); len(list) > 0 {
		t.Fatalf("%s with every slip fixed has errors:\n%v", file, list)
	}
	all := map[string]bool{}
	for _, e := range checkSpec(t, file, src) {
		all[e.Error()] = true
	}
	if len(all) < len(slips) {
		t.Errorf("%d errors for %d slips", len(all), len(slips))
	}
	alone := map[string]bool{}
	for i, s := range slips {
		list := checkSpec(t, file, with(i))
		if len(list) == 0 {
			t.Errorf("%s:%d: the slip alone gives no error", file, s.line+1)
		}
		for _, e := range list {
			if !all[e.Error()] {
				t.Errorf("%s:%d: the slip alone gives %q, which the spec with every slip does not", file, s.line+1, e)
			}
			alone[e.Error()] = true
		}
	}
	for e := range all {
		if !alone[e] {
			t.Errorf("%q is reported with every slip but with no slip alone: it follows from several", e)
		}
	}
}
