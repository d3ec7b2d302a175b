package codegen_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
)

// TestGenerateLeavesModel: Generate reads the model and never changes it. Generating twice
// from one model gives the same files byte for byte, and the model afterwards equals, field
// by field (unexported ones included), a model checked from the same spec that was never
// generated. Every stock spec and every method; every combination of options for HH52.
func TestGenerateLeavesModel(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "specs", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no stock specs: %v", err)
	}
	tables := codegen.DefaultTables
	type variant struct {
		name string
		opts codegen.Options
	}
	var variants []variant
	for _, tab := range []*codegen.Tables{nil, &tables} {
		for _, simd := range []bool{false, true} {
			for _, f32 := range []bool{false, true} {
				variants = append(variants, variant{
					fmt.Sprintf("tables=%t,simd=%t,float32=%t", tab != nil, simd, f32),
					codegen.Options{Tables: tab, SIMD: simd, Float32: f32},
				})
			}
		}
	}
	// The comparison itself notices a change deep inside the model.
	changed := stockModel(t, "hh52", "exp_auto")
	changed.States[1].Deriv.Local += "_"
	if d := modelDiff(stockModel(t, "hh52", "exp_auto"), changed); !strings.Contains(d, "States") {
		t.Errorf("modelDiff after a change to States[1].Deriv.Local = %q, want it to name States", d)
	}
	generated := 0
	for _, path := range paths {
		spec := strings.TrimSuffix(filepath.Base(path), ".yaml")
		for _, method := range ir.Methods {
			fresh := stockModel(t, spec, method.String())
			for _, v := range variants {
				if (v.opts.Tables != nil || v.opts.SIMD) && method != ir.ExpAuto && method != ir.Staggered {
					continue // tables and four lanes need an exponential method
				}
				// Every option for HH52; for the other specs each method as it is, and the
				// exponential methods with every option at once (tables, four lanes, float32):
				// each of codegen's naming paths, at a third of the cost of every combination.
				full := v.opts.Tables != nil && v.opts.SIMD && v.opts.Float32
				plain := v.opts.Tables == nil && !v.opts.SIMD && !v.opts.Float32
				if spec != "hh52" && !full && !plain || testing.Short() && v.opts.Float32 && v.opts.SIMD {
					continue
				}
				t.Run(spec+"/"+method.String()+"/"+v.name, func(t *testing.T) {
					// A fresh model generated once (by this test or TestTempsInOrder, which
					// share the package), then once more here.
					m, first := generateStock(t, spec, method.String(), v.opts)
					second, err := codegen.Generate(m, v.opts)
					if err != nil {
						t.Fatalf("second Generate: %v", err)
					}
					if len(first) != len(second) {
						t.Fatalf("first Generate wrote %d files, second %d", len(first), len(second))
					}
					for name, src := range first {
						if !bytes.Equal(src, second[name]) {
							t.Errorf("%s differs between two Generates from one model:\n%s", name,
								cmp.Diff(string(src), string(second[name])))
						}
					}
					if d := modelDiff(fresh, m); d != "" {
						t.Errorf("Generate changed the model: %s", d)
					}
					generated++
				})
			}
		}
	}
	// At least each spec with each method, and with every option under both exponential methods
	// (which -short leaves out: float32 with four lanes).
	want := len(paths)*len(ir.Methods) + 2*len(paths)
	if testing.Short() {
		want = len(paths) * len(ir.Methods)
	}
	if generated < want {
		t.Errorf("only %d generations for %d specs, want at least %d: a filter above skips too much", generated, len(paths), want)
	}
}

// modelDiff names the fields of Model in which a and b differ, or returns "". It compares
// with reflect.DeepEqual, unexported fields too (the names the checker took are part of the
// model that Generate must leave alone), which visits each pair of pointers once: go-cmp
// follows every path through the expressions' shared subtrees and takes minutes.
func modelDiff(a, b *ir.Model) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	var diff []string
	for i := range va.NumField() {
		fa, fb := va.Field(i), vb.Field(i)
		if !reflect.DeepEqual(reflect.NewAt(fa.Type(), fa.Addr().UnsafePointer()).Elem().Interface(),
			reflect.NewAt(fb.Type(), fb.Addr().UnsafePointer()).Elem().Interface()) {
			diff = append(diff, va.Type().Field(i).Name)
		}
	}
	if len(diff) == 0 {
		return ""
	}
	return "fields " + strings.Join(diff, ", ") + " differ"
}
