package ir_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A kind is a named integer type with constants of its own, declared in a const block:
//
//	type Method int
//	const (
//		ExpAuto Method = iota
//		Staggered
//	)
//
// The rule TestSwitchesExhaustive enforces, on every non-test Go file of the module that is not
// generated: a switch with a tag whose cases name a constant of a closed kind names every
// constant of that kind. The closed kinds are every kind of package ir and those listed in
// closedKinds; the others (symbolic.Op, parser.Op, token kinds) are sets that code switches on
// in part by design. A `default:` excuses the missing ones only when it panics with a message that
// contains "unknown" (a default that does something else hides the case a new constant needs).
// The rule is syntactic: a constant is named as an identifier in its own package or as pkg.Name
// through an import of the module; tagless switches (`switch { case m == X: … }`) are not checked.

// closedKinds are the kinds outside package ir that the rule holds, relative to the module.
var closedKinds = []string{"check.defStatus", "check.symKind", "codegen.stepRule"}

// kinds maps "importpath.Type" to the names of its constants, in declaration order.
type kinds struct {
	consts map[string][]string // kind → its constants
	kindOf map[string]string   // "importpath.Const" → kind
}

// moduleFiles parses the module's non-test, non-generated Go files under root, by import path.
func moduleFiles(t *testing.T, fset *token.FileSet, root, module string) map[string][]*ast.File {
	t.Helper()
	pkgs := map[string][]*ast.File{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if ast.IsGenerated(f) {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		ip := path.Join(module, filepath.ToSlash(rel))
		pkgs[ip] = append(pkgs[ip], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// findKinds collects the kinds of the packages.
func findKinds(pkgs map[string][]*ast.File) kinds {
	k := kinds{consts: map[string][]string{}, kindOf: map[string]string{}}
	for ip, files := range pkgs {
		ints := map[string]bool{} // the package's named integer types
		for _, f := range files {
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
					for _, s := range g.Specs {
						ts := s.(*ast.TypeSpec)
						if id, ok := ts.Type.(*ast.Ident); ok && ts.Assign == 0 && isInteger(id.Name) {
							ints[ts.Name.Name] = true
						}
					}
				}
			}
		}
		for _, f := range files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				typ := "" // the type of the current run of constants (implicit repetition)
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					switch {
					case vs.Type != nil:
						typ = ""
						if id, ok := vs.Type.(*ast.Ident); ok && ints[id.Name] {
							typ = id.Name
						}
					case len(vs.Values) > 0:
						typ = "" // untyped, or typed by its value: not a kind's constant
					}
					if typ == "" {
						continue
					}
					kind := ip + "." + typ
					for _, n := range vs.Names {
						if n.Name != "_" {
							k.consts[kind] = append(k.consts[kind], n.Name)
							k.kindOf[ip+"."+n.Name] = kind
						}
					}
				}
			}
		}
	}
	for kind, cs := range k.consts {
		if len(cs) < 2 {
			delete(k.consts, kind)
			for _, c := range cs {
				delete(k.kindOf, kind[:strings.LastIndex(kind, ".")+1]+c)
			}
		}
	}
	return k
}

func isInteger(name string) bool {
	switch name {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "byte", "uintptr":
		return true
	}
	return false
}

// nonExhaustive returns a line for each switch of the packages that breaks the rule.
func nonExhaustive(fset *token.FileSet, pkgs map[string][]*ast.File, k kinds) []string {
	var out []string
	for ip, files := range pkgs {
		for _, f := range files {
			imports := map[string]string{} // name in the file → import path
			for _, is := range f.Imports {
				p, _ := strconv.Unquote(is.Path.Value)
				name := path.Base(p)
				if is.Name != nil {
					name = is.Name.Name
				}
				imports[name] = p
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sw, ok := n.(*ast.SwitchStmt)
				if !ok || sw.Tag == nil {
					return true
				}
				named := map[string]map[string]bool{} // kind → constants named
				var dflt *ast.CaseClause
				for _, s := range sw.Body.List {
					cc := s.(*ast.CaseClause)
					if cc.List == nil {
						dflt = cc
					}
					for _, e := range cc.List {
						key := ""
						switch e := e.(type) {
						case *ast.Ident:
							key = ip + "." + e.Name
						case *ast.SelectorExpr:
							if x, ok := e.X.(*ast.Ident); ok && imports[x.Name] != "" {
								key = imports[x.Name] + "." + e.Sel.Name
							}
						}
						if kind := k.kindOf[key]; kind != "" {
							if named[kind] == nil {
								named[kind] = map[string]bool{}
							}
							named[kind][key[strings.LastIndex(key, ".")+1:]] = true
						}
					}
				}
				for kind, have := range named {
					var missing []string
					for _, c := range k.consts[kind] {
						if !have[c] {
							missing = append(missing, c)
						}
					}
					if len(missing) > 0 && !panicsUnknown(dflt) {
						out = append(out, fmt.Sprintf("%s: switch over %s misses %s (name them, or panic with an \"unknown …\" message in default)",
							fset.Position(sw.Pos()), kind, strings.Join(missing, ", ")))
					}
				}
				return true
			})
		}
	}
	slices.Sort(out)
	return out
}

// panicsUnknown reports whether the default clause calls panic with a string that says "unknown".
func panicsUnknown(cc *ast.CaseClause) bool {
	if cc == nil {
		return false
	}
	found := false
	for _, s := range cc.Body {
		ast.Inspect(s, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				ast.Inspect(call, func(n ast.Node) bool {
					if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.Contains(lit.Value, "unknown") {
						found = true
					}
					return true
				})
			}
			return true
		})
	}
	return found
}

// TestSwitchesExhaustive: every switch over a kind of the module names all of its constants
// (the rule is at the top of this file).
func TestSwitchesExhaustive(t *testing.T) {
	root := ".."
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	module := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(string(mod), "\n", 2)[0], "module"))
	fset := token.NewFileSet()
	pkgs := moduleFiles(t, fset, root, module)
	k := closed(findKinds(pkgs), module)
	// The IR's kinds are found, each with all of its constants.
	for kind, want := range map[string][]string{
		"ir.Method":      {"ExpAuto", "Staggered", "Euler", "RK2", "RK4"},
		"ir.GateForm":    {"AlphaBeta", "InfTau", "Kinetic"},
		"ir.IonDynamics": {"Fixed", "FirstOrder", "Detailed", "Custom"},
		"ir.StateKind":   {"Voltage", "Gate", "Concentration", "Receptor"},
	} {
		if got := k.consts[module+"/"+kind]; !slices.Equal(got, want) {
			t.Errorf("constants of %s: %v, want %v", kind, got, want)
		}
	}
	for _, kind := range closedKinds {
		if len(k.consts[module+"/"+kind]) == 0 {
			t.Errorf("closed kind %s: not found", kind)
		}
	}
	for _, line := range nonExhaustive(fset, pkgs, k) {
		t.Error(line)
	}
}

// closed keeps the closed kinds of k: those of package ir and closedKinds.
func closed(k kinds, module string) kinds {
	keep := func(kind string) bool {
		rel := strings.TrimPrefix(kind, module+"/")
		return strings.HasPrefix(rel, "ir.") || slices.Contains(closedKinds, rel)
	}
	out := kinds{consts: map[string][]string{}, kindOf: map[string]string{}}
	for kind, cs := range k.consts {
		if keep(kind) {
			out.consts[kind] = cs
		}
	}
	for c, kind := range k.kindOf {
		if keep(kind) {
			out.kindOf[c] = kind
		}
	}
	return out
}

// TestSwitchesExhaustiveRule holds the rule to small cases, one file each.
func TestSwitchesExhaustiveRule(t *testing.T) {
	const kindsSrc = `package p
type Color int
const (
	Red Color = iota
	Green
	Blue
)
const Answer = 42
type Single int
const Only Single = 0
`
	for _, c := range []struct {
		body string
		bad  bool
	}{
		{"switch c { case Red, Green, Blue: }", false},
		{"switch c { case Red: case Green: }", true},
		{"switch c { case Red: default: }", true},
		{"switch c { case Red: default: return }", true},
		{`switch c { case Red: default: panic("unknown color") }`, false},
		{`switch c { case Red: default: panic(fmt.Sprintf("p: unknown color %d", c)) }`, false},
		{`switch c { case Red: default: panic("no") }`, true},
		{"switch { case c == Red: }", false},                                          // tagless: not checked
		{"switch c { case 0, 1: }", false},                                            // no constant of the kind named
		{"switch s { case Only: }", false},                                            // a type with one constant is no kind
		{"switch c { case Red: switch c { case Green: } ; case Green, Blue: }", true}, // nested
	} {
		src := "package p\nimport \"fmt\"\nvar _ = fmt.Sprint\nfunc f(c Color, s Single) {\n" + c.body + "\n}\n"
		fset := token.NewFileSet()
		pkgs := map[string][]*ast.File{}
		for i, s := range []string{kindsSrc, src} {
			f, err := parser.ParseFile(fset, fmt.Sprintf("f%d.go", i), s, 0)
			if err != nil {
				t.Fatalf("%s: %v", c.body, err)
			}
			pkgs["m/p"] = append(pkgs["m/p"], f)
		}
		got := nonExhaustive(fset, pkgs, findKinds(pkgs))
		if (len(got) > 0) != c.bad {
			t.Errorf("%s: reported %q, want a report: %v", c.body, got, c.bad)
		}
	}
}
