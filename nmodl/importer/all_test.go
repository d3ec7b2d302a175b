package importer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurogen/neurogen/nmodl/importer"
	"github.com/neurogen/neurogen/spec"
)

// TestParserCorpus: every .mod file of the parser's tests imports to channels that a group
// passes the checker with, or is refused with a list of errors that each have a position in
// it; none panics. Five import (the pool cad, ghk, hh, ifrate, sk).
func TestParserCorpus(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.mod")
	if len(files) < 5 {
		t.Fatalf("%d files", len(files))
	}
	imported := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := importer.Import(f, src)
		var list spec.ErrorList
		switch {
		case err == nil:
			imported++
			ca := "  Ca: {E: nernst, C_i: 5e-5 mM, C_o: 2 mM}\n"
			for _, p := range res.Pools {
				ca = poolEntry(t, p, "    E: nernst\n    C_o: 2 mM\n")
			}
			group(t, res, `membrane: {C: 1 uF/cm2, V_init: -65 mV}
params: {T: 36 degC}
ions:
  Na: {E: 50 mV}
  K: {E: -77 mV}
`+ca)
		case errors.As(err, &list):
			for _, e := range list {
				if !e.Pos.IsValid() || e.Pos.File() != f {
					t.Errorf("%s: error without a position in the file: %v", f, e)
				}
			}
		default:
			t.Errorf("%s: %v is not a spec.ErrorList", f, err)
		}
	}
	if imported != 5 {
		t.Errorf("%d files imported, want 5 (cad, ghk, hh, ifrate, sk)", imported)
	}
}
