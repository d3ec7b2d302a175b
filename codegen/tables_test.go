package codegen_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

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
