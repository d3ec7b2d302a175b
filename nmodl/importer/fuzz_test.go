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
// whose every error has a position; a result of channels, pools and receptors, each with a name and a spec
// that loads as one. Its seeds are the .mod files of the parser's tests (valid and
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
		if len(res.Channels) == 0 && len(res.Pools) == 0 && len(res.Receptors) == 0 {
			t.Error("no error, no channel, no pool and no receptor")
		}
		for _, r := range res.Receptors {
			if _, err := spec.LoadReceptor(r.Name+".yaml", r.YAML); err != nil {
				t.Errorf("%s:\n%s\n%v", r.Name, r.YAML, err)
			}
		}
		for _, c := range res.Channels {
			if _, err := spec.LoadChannel(c.Name+".yaml", c.YAML); err != nil {
				t.Errorf("%s:\n%s\n%v", c.Name, c.YAML, err)
			}
		}
		for _, p := range res.Pools {
			if _, err := spec.LoadIon(p.Name+".yaml", p.YAML); err != nil {
				t.Errorf("%s:\n%s\n%v", p.Name, p.YAML, err)
			}
		}
	})
}
