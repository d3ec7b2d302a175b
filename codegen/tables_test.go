package codegen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

// stockGenerated holds, per stock spec, method and options, a model fresh from stockModel that
// was generated once with those options, and the files of that Generate: the tests that
// generate the stock specs (TestGenerateLeavesModel, TestTempsInOrder) share them rather than
// generating each package again.
var stockGenerated struct {
	sync.Mutex
	m map[string]stockGen
}

type stockGen struct {
	model *ir.Model
	files map[string][]byte
}

// generateStock returns stockModel(t, name, method) after one codegen.Generate with opts, and
// that Generate's files; the first call for name, method and opts generates, later ones return
// the same model and files. It fails t if Generate fails.
func generateStock(t *testing.T, name, method string, opts codegen.Options) (*ir.Model, map[string][]byte) {
	t.Helper()
	var tables codegen.Tables
	if opts.Tables != nil {
		tables = *opts.Tables
	}
	rest := opts
	rest.Tables = nil
	key := fmt.Sprintf("%s %s %t %+v %+v", name, method, opts.Tables != nil, tables, rest)
	stockGenerated.Lock()
	g, ok := stockGenerated.m[key]
	stockGenerated.Unlock()
	if ok {
		return g.model, g.files
	}
	m := stockModel(t, name, method)
	files, err := codegen.Generate(m, opts)
	if err != nil {
		t.Fatalf("%s %s: %v", name, method, err)
	}
	stockGenerated.Lock()
	if stockGenerated.m == nil {
		stockGenerated.m = map[string]stockGen{}
	}
	stockGenerated.m[key] = stockGen{m, files}
	stockGenerated.Unlock()
	return m, files
}

// stockModel checks a stock spec of ../specs with the given method.
func stockModel(t *testing.T, name, method string) *ir.Model {
	t.Helper()
	path := filepath.Join("..", "specs", name+".yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(path, src)
	if err != nil {
		t.Fatal(err)
	}
	m, err := check.Check(s, check.Options{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
