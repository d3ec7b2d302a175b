package codegen_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/spec"
)

// TestRefractoryZeroIsNone: `refractory: 0 ms` is the default exactly: the stock HH52 spec with
// it generates the code it generates without it (but for the spec's hash), with and without
// -simd, so a spike is an upward crossing as before. With `refractory: 2 ms` it does not.
func TestRefractoryZeroIsNone(t *testing.T) {
	path := filepath.Join("..", "specs", "hh52.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gen := func(src string, simd bool) map[string][]byte {
		t.Helper()
		s, err := spec.Load(path, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		m, err := check.Check(s, check.Options{Package: "hh52"})
		if err != nil {
			t.Fatal(err)
		}
		files, err := codegen.Generate(m, codegen.Options{SIMD: simd})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	with := func(refractory string) string {
		out := strings.Replace(string(src), "membrane:\n", "membrane:\n  refractory: "+refractory+"\n", 1)
		if out == string(src) {
			t.Fatal("no `membrane:` line in specs/hh52.yaml")
		}
		return out
	}
	hash := regexp.MustCompile(`SpecHash: +"[0-9a-f]+"`)
	for _, simd := range []bool{false, true} {
		want := gen(string(src), simd)
		for _, r := range []string{"0 ms", "2 ms"} {
			got := gen(with(r), simd)
			same := len(got) == len(want)
			for name, b := range want {
				a, b := hash.ReplaceAllString(string(got[name]), "SpecHash"), hash.ReplaceAllString(string(b), "SpecHash")
				if a != b {
					same = false
					if r == "0 ms" {
						t.Errorf("simd %v: refractory %s: %s differs from the code without it:\n%s", simd, r, name, cmp.Diff(b, a))
					}
				}
			}
			if r == "2 ms" && same {
				t.Errorf("simd %v: refractory 2 ms generates the code without it", simd)
			}
		}
	}
}
