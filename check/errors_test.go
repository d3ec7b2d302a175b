package check_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/errors")

// TestErrors checks the errors reported for each invalid spec in testdata/errors, in two ways.
//
// NAME.golden beside NAME.yaml holds exactly what `neurogen check testdata/errors/NAME.yaml`
// prints to standard error when run in this directory: one `file:line:col: message` line per
// error, sorted. Run `go test ./check -run TestErrors -update` to rewrite the golden files, and
// review the diff.
//
// Each spec also carries its expected errors inline, as go/types test files do. A YAML comment
//
//	# ERROR code1 code2 ...
//
// at the end of a line (or on a line of its own) says that an error is reported on that line
// for each code (a spec.Code, such as unknown-name). Every error must match an annotation of its
// line and every annotation an error, so the annotations fix the line and the kind of every
// error, and the golden file its column and exact message. Where a trailing comment is
// impossible, because the offending line is inside a block scalar or a quoted string, the
// comment `# ERROR LINE+N code` on its own line annotates the line N lines below it (LINE-N:
// above). An annotation may give a regexp that the message must match instead of a code, as a
// Go string literal ("..." with Go escapes, or `...`), where the wording is what is tested.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "errors", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no test cases in testdata/errors")
	}
	goldens, err := filepath.Glob(filepath.Join("testdata", "errors", "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		if _, err := os.Stat(strings.TrimSuffix(g, ".golden") + ".yaml"); err != nil {
			t.Errorf("%s has no spec beside it: %v", g, err)
		}
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			file := filepath.ToSlash(file)
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			list := checkSpec(t, file, src)
			if len(list) == 0 {
				t.Fatalf("%s: no errors; every case in testdata/errors must have some", file)
			}
			for i, e := range list {
				if e.Pos.File() != file || e.Pos.Line() < 1 || e.Pos.Col() < 1 {
					t.Errorf("error with a bad position (want %s:LINE:COL with LINE, COL ≥ 1): %v", file, e)
				}
				if i > 0 && e.Pos.Before(list[i-1].Pos) {
					t.Errorf("errors not sorted by position: %v before %v", list[i-1], e)
				}
			}

			// The golden file: the exact output of `neurogen check`.
			got := formatErrors(list)
			golden := filepath.Join("testdata", "errors", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run the test with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("errors of %s differ from %s (-want +got):\n%s", file, golden, diff)
			}

			// The inline annotations.
			ann, err := annotations(src)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			matchAnnotations(t, file, list, ann)
		})
	}
}

// checkSpec loads and checks src as `neurogen check` does, with check.Load: the checker runs
// on what the loader could read even after structural errors. It returns the errors (nil for a
// valid spec).
func checkSpec(t *testing.T, file string, src []byte) spec.ErrorList {
	t.Helper()
	_, err := check.Load(file, src, check.Options{})
	if err == nil {
		return nil
	}
	var list spec.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("%s: the error is a %T, not a spec.ErrorList: %v", file, err, err)
	}
	return list
}

// formatErrors prints errors as `neurogen check` does (see cmd/neurogen/checkcmd.go): one line
// per error, a message's line breaks turned into spaces.
func formatErrors(list spec.ErrorList) string {
	var b strings.Builder
	for _, e := range list {
		line := strings.Join(strings.FieldsFunc(e.Error(), func(r rune) bool { return r == '\n' || r == '\r' }), " ")
		fmt.Fprintln(&b, line)
	}
	return b.String()
}

// annotation is one expected error: on line Line, an error with code, or else with a message
// matching rx.
type annotation struct {
	line int // annotated line, 1-based
	at   int // line of the comment
	code spec.Code
	rx   *regexp.Regexp
	used bool
}

// matches reports whether e is the error a expects.
func (a *annotation) matches(e *spec.Error) bool {
	if a.line != e.Pos.Line() {
		return false
	}
	if a.rx != nil {
		return a.rx.MatchString(e.Msg)
	}
	return a.code == e.Code
}

// String is how the annotation is written.
func (a *annotation) String() string {
	if a.rx != nil {
		return strconv.Quote(a.rx.String())
	}
	return string(a.code)
}

var (
	annotationRx = regexp.MustCompile(`#\s*ERROR(?:\s+LINE([+-]\d+))?((?:\s+(?:"(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `|[a-z][a-z0-9-]*))+)\s*$`)
	literalRx    = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `|[a-z][a-z0-9-]*`)
)

// annotations returns the expected errors written in the comments of src.
func annotations(src []byte) ([]*annotation, error) {
	var out []*annotation
	for i, line := range strings.Split(string(src), "\n") {
		at := i + 1
		if !strings.Contains(line, "ERROR") {
			continue
		}
		m := annotationRx.FindStringSubmatch(strings.TrimRight(line, "\r"))
		if m == nil {
			return nil, fmt.Errorf("line %d: malformed ERROR annotation: %s", at, line)
		}
		target := at
		if m[1] != "" {
			n, _ := strconv.Atoi(m[1])
			target += n
		}
		for _, lit := range literalRx.FindAllString(m[2], -1) {
			if c := lit[0]; c != '"' && c != '`' {
				out = append(out, &annotation{line: target, at: at, code: spec.Code(lit)})
				continue
			}
			s, err := strconv.Unquote(lit)
			if err != nil {
				return nil, fmt.Errorf("line %d: bad string %s: %v", at, lit, err)
			}
			rx, err := regexp.Compile(s)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", at, err)
			}
			out = append(out, &annotation{line: target, at: at, rx: rx})
		}
	}
	return out, nil
}

// matchAnnotations pairs every error with an unused annotation of its line that it matches, and
// reports the errors and annotations left over.
func matchAnnotations(t *testing.T, file string, list spec.ErrorList, ann []*annotation) {
	t.Helper()
	for _, e := range list {
		found := false
		for _, a := range ann {
			if !a.used && a.matches(e) {
				a.used, found = true, true
				break
			}
		}
		if !found {
			t.Errorf("%v: unexpected error, code %s (no matching ERROR annotation on line %d)", e, e.Code, e.Pos.Line())
		}
	}
	for _, a := range ann {
		if !a.used {
			t.Errorf("%s:%d: no error %s reported on line %d (annotation at line %d)", file, a.line, a, a.line, a.at)
		}
	}
}

// TestByteOrderMark: a byte order mark, which editors do not show, moves no error on line 1,
// neither one inside a value (a bound of uniform, found by column arithmetic on the spec's
// bytes) nor one inside an expression.
func TestByteOrderMark(t *testing.T) {
	src := `{neurogen: 1, model: M, membrane: {C: 1 uF/cm2, V_init: "uniform(-60 mV, -70 ms)"}, ` +
		`channels: {L: {g_max: 1 mS/cm2, E: -54 mV, current: g_max * (E - V) / 0}}}` + "\n"
	col := func(needle string) int { return strings.Index(src, needle) + 1 }
	want := fmt.Sprintf("t.yaml:1:%d: membrane `V_init` upper bound must be a voltage (mV), got ms (time)\n"+
		"t.yaml:1:%d: division by zero\n", col("-70 ms"), col("0}}"))
	for _, bom := range []string{"", "\ufeff"} {
		if got := formatErrors(checkSpec(t, "t.yaml", []byte(bom+src))); got != want {
			t.Errorf("with byte order mark %q:\n%s\nwant\n%s", bom, got, want)
		}
	}
}
