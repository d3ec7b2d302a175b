package importer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurogen/neurogen/nmodl/importer"
	"github.com/neurogen/neurogen/spec"
)

// FuzzImport holds Import to its promises on any input: no panic; errors as a spec.ErrorList
// whose every error has a position; a result of channels, each with a name and a spec that
// loads as a channel. Its seeds are the .mod files of the parser's tests (valid and
// malformed), of this package's and the exporter's goldens; plain go test runs them.
func FuzzImport(f *testing.F) {
	for _, glob := range []string{"../testdata/*.mod", "../testdata/errors/*.mod", "testdata/*.mod", "../export/testdata/*/*.mod"} {
		files, _ := filepath.Glob(glob)
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := importer.Import("fuzz.mod", src)
		if err != nil {
			var list spec.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Import gave %T %v, want a spec.ErrorList", err, err)
			}
			for _, e := range list {
				if !e.Pos.IsValid() || e.Pos.Line() < 1 || e.Msg == "" {
					t.Errorf("error %q at %v", e.Msg, e.Pos)
				}
			}
			return
		}
		if len(res.Channels) == 0 && len(res.Pools) == 0 {
			t.Error("no error, no channel and no pool")
		}
		for _, c := range res.Channels {
			if _, err := spec.LoadChannel(c.Name+".yaml", c.YAML); err != nil {
				t.Errorf("%s:\n%s\n%v", c.Name, c.YAML, err)
			}
		}
		// A pool is an ion's entry under `ions:`, which a spec with a channel loads.
		for _, p := range res.Pools {
			src := "neurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + string(p.YAML) +
				"channels:\n  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}\n"
			if _, err := spec.Load(p.Name+".yaml", []byte(src)); err != nil {
				t.Errorf("%s:\n%s\n%v", p.Name, src, err)
			}
		}
	})
}
