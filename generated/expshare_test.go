package generated_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// TestTraubMilesSharesExps: Traub–Miles' rates are all shifted by the parameter V_T; β_h's
// exp((40 − u)/5) and α_n's exp((15 − u)/5) differ by the constant factor e^5 whatever V_T is,
// and β_m's exp((u − 40)/5) is 1/exp((40 − u)/5): the generated Step computes one exponential
// for the three, so each of rk4's four evaluations of the rates calls the fast exp (Exp or
// Exprel) twice less than the spec writes exp.
func TestTraubMilesSharesExps(t *testing.T) {
	spec, err := os.ReadFile("../specs/traubmiles.yaml")
	if err != nil {
		t.Fatal(err)
	}
	written := strings.Count(string(spec), "exp(")
	if written != 6 {
		t.Fatalf("the spec writes exp %d times, want Traub–Miles' 6 (did it change?)", written)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "traubmiles/traubmiles.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	calls := -1
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "StepRange" {
			calls = 0
			ast.Inspect(fn, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
						if x, ok := sel.X.(*ast.Ident); ok && x.Name == "runtime" && (sel.Sel.Name == "Exp" || sel.Sel.Name == "Exprel") {
							calls++
						}
					}
				}
				return true
			})
		}
	}
	if want := 4 * (written - 2); calls != want {
		t.Errorf("traubmiles' StepRange calls runtime.Exp and runtime.Exprel %d times, want %d (4 rate evaluations of %d exponentials, three of them from one)", calls, want, written)
	}
}
