package middle_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/middle"
)

// TestStockPasses: for every stock spec and method, each pass leaves the model it is given as
// it was and links the one it returns to its own statements, and Optimize on the model before
// the middle end (check.Options.Unoptimized) is what check.Load returns.
func TestStockPasses(t *testing.T) {
	files, err := filepath.Glob("../specs/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stock specs: %v", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, method := range ir.Methods {
			if testing.Short() && method != ir.ExpAuto {
				continue
			}
			t.Run(filepath.Base(file)+"/"+method.String(), func(t *testing.T) {
				raw, err := check.Load(file, src, check.Options{Method: method.String(), Unoptimized: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(raw.Pre) != 0 || len(raw.SharedExps) != 0 || raw.States[0].Linear != nil {
					t.Errorf("the unoptimised model has %d statements before the loop, %d shared exponentials, V's linear coefficient %v",
						len(raw.Pre), len(raw.SharedExps), raw.States[0].Linear)
				}
				before := dump(raw)
				m := raw
				for _, p := range []func(*ir.Model) *ir.Model{middle.Linearize, middle.ShareExps, middle.Schedule} {
					in := dump(m)
					out := p(m)
					if dump(m) != in {
						t.Fatalf("a pass changed its input")
					}
					ownLinks(t, out)
					m = out
				}
				if dump(raw) != before {
					t.Errorf("the passes changed the unoptimised model")
				}
				full, err := check.Load(file, src, check.Options{Method: method.String()})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := dump(middle.Optimize(raw)), dump(full); got != want || dump(m) != want {
					t.Errorf("Optimize of the unoptimised model differs from check.Load's:\n%s\nwant\n%s", got, want)
				}
			})
		}
	}
}
