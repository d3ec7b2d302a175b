package nmodl

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurogen/neurogen/spec"
)

// FuzzParse holds Parse to its promises on any input: no panic; errors as a sorted
// spec.ErrorList with known positions and codes; and, for a file without errors, every node at
// a position in the file, and Format's output parsing without errors to a tree that Format
// prints the same. Its seeds are the .mod
// files of testdata, valid and malformed, and the corpus in testdata/fuzz/FuzzParse (small
// inputs at the edges: line endings, a byte order mark, bytes that are not UTF-8, unterminated
// comments and units); plain go test runs them all.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata", "testdata/errors"} {
		for _, path := range modFiles(f, dir) {
			src, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("fuzz.mod", src)
		if file == nil {
			t.Fatal("Parse returned no file")
		}
		if err != nil {
			var list spec.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Parse gave %T %v, want a spec.ErrorList", err, err)
			}
			for i, e := range list {
				if !e.Pos.IsValid() || e.Pos.Line() < 1 || e.Msg == "" || (e.Code != Syntax && e.Code != Unsupported && e.Code != spec.TooLarge) {
					t.Errorf("error %q at %v with code %q", e.Msg, e.Pos, e.Code)
				}
				if i > 0 && e.Pos.Before(list[i-1].Pos) {
					t.Errorf("errors not sorted: %v after %v", e, list[i-1])
				}
			}
			return
		}
		Inspect(file, func(n Node) bool {
			if n != nil && (!n.Pos().IsValid() || n.Pos().Offset() > len(src)) {
				t.Errorf("%T at %v, outside the file", n, n.Pos())
			}
			return true
		})
		out := Format(file)
		again, err := Parse("fuzz.mod", out)
		if err != nil {
			t.Fatalf("Format's output does not parse: %v\n%s", err, out)
		}
		if out2 := Format(again); !bytes.Equal(out, out2) {
			t.Fatalf("Format is not idempotent:\n%s\n---\n%s", out, out2)
		}
	})
}

// TestFuzzCorpus checks that the committed corpus exists, so that a lost directory does not
// silently leave FuzzParse with fewer seeds.
func TestFuzzCorpus(t *testing.T) {
	seeds, err := filepath.Glob("testdata/fuzz/FuzzParse/*")
	if err != nil || len(seeds) < 8 {
		t.Errorf("found %d seeds in testdata/fuzz/FuzzParse, want at least 8 (%v)", len(seeds), err)
	}
}
