package nmodl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInspect walks hh.mod and syntax.mod and checks what it finds against the sources: the
// functions called, the derivatives, the units, the VERBATIM blocks at any depth.
func TestInspect(t *testing.T) {
	hh, _ := parseFile(t, "testdata/hh.mod")
	var calls []string
	seen := map[string]bool{}
	derivs, units, opened, closed := 0, 0, 0, 0
	Inspect(hh, func(n Node) bool {
		if n == nil {
			closed++
			return true
		}
		opened++
		if !n.Pos().IsValid() {
			t.Errorf("%T has no position", n)
		}
		switch n := n.(type) {
		case *Call:
			if !seen[n.Fun.Name] {
				seen[n.Fun.Name] = true
				calls = append(calls, n.Fun.Name)
			}
		case *Deriv:
			derivs++
		case *Units:
			units++
		}
		return true
	})
	if d := cmp.Diff([]string{"rates", "vtrap", "exp", "fabs"}, calls); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	if derivs != 3 {
		t.Errorf("%d derivatives, want 3", derivs)
	}
	// hh.mod has 6 units in UNITS, 4 in PARAMETER, 12 in ASSIGNED and 1 for rates' parameter.
	if units != 23 {
		t.Errorf("%d units, want 23", units)
	}
	if opened != closed {
		t.Errorf("%d nodes visited, %d closed", opened, closed)
	}

	// Returning false skips a node's children: the blocks alone.
	blocks := 0
	Inspect(hh, func(n Node) bool {
		if _, ok := n.(Block); ok {
			blocks++
			return false
		}
		return true
	})
	if blocks != len(hh.Blocks) {
		t.Errorf("visited %d blocks, want %d", blocks, len(hh.Blocks))
	}

	syn, ssrc := parseFile(t, "testdata/syntax.mod")
	var verb []string
	Inspect(syn, func(n Node) bool {
		if v, ok := n.(*VerbatimBlock); ok {
			verb = append(verb, v.At.String())
		}
		return true
	})
	want := []string{lineCol(t, "syntax.mod", ssrc, "VERBATIM\n\t/*", 1), lineCol(t, "syntax.mod", ssrc, "VERBATIM\nstatic", 1)}
	if d := cmp.Diff(want, verb); d != "" {
		t.Errorf("VERBATIM blocks (-want +got):\n%s", d)
	}
}

// TestInspectAll checks that Inspect reaches every kind of node: the testdata files hold each.
func TestInspectAll(t *testing.T) {
	kinds := map[string]bool{}
	for _, path := range modFiles(t, "testdata") {
		f, _ := parseFile(t, path)
		Inspect(f, func(n Node) bool {
			if n != nil {
				kinds[fmt.Sprintf("%T", n)] = true
			}
			return true
		})
	}
	for _, k := range strings.Fields(`File Title CommentBlock NeuronBlock Suffix UseIon NameList
		UnitsBlock UnitDef DeclBlock Decl StmtBlock FuncDecl Param VerbatimBlock UnitsSwitch Define
		Include Body Local Assign ExprStmt If While FromLoop BlockStmt Solve Reactant Reaction
		Equation Conserve Compartment Table Watch Mutex Protect Ident Number Units StringLit Deriv
		Paren Unary Binary Call Index`) {
		if !kinds["*nmodl."+k] {
			t.Errorf("Inspect never reached a %s", k)
		}
		delete(kinds, "*nmodl."+k)
	}
	if len(kinds) > 0 {
		t.Errorf("Inspect reached kinds this test does not list: %v", kinds)
	}
}
