package codegen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
)

// TestTempsInOrder: in every function of every stock spec's package, under every method and
// with tables and four lanes, the shared temporaries are first defined in the order s1, s2,
// s3, … (the first of s3 and the names derived from it, s3_2, s3_next, s3_x4, counts), a
// comment that names a temporary names one of the function's, and each note of a folded
// factor of exp sharing holds and names its exponential (checkFoldNote).
func TestTempsInOrder(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "specs", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no stock specs: %v", err)
	}
	temp := regexp.MustCompile(`^s([0-9]+)(_[A-Za-z0-9_]*)?$`)
	tables := codegen.DefaultTables
	checked := 0
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		for _, method := range ir.Methods {
			// The packages TestGenerateLeavesModel generates, shared (generateStock): under
			// the exponential methods with tables, four lanes and float32 at once, and for
			// HH52 with tables and four lanes in float64 too.
			options := []codegen.Options{{}}
			if method == ir.ExpAuto || method == ir.Staggered {
				options = []codegen.Options{{Tables: &tables, SIMD: true, Float32: true}}
				if name == "hh52" {
					options = append(options, codegen.Options{Tables: &tables, SIMD: true})
				}
			}
			for _, opts := range options {
				_, files := generateStock(t, name, method.String(), opts)
				for file, src := range files {
					fset := token.NewFileSet()
					f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
					if err != nil {
						t.Fatal(err)
					}
					for _, d := range f.Decls {
						fd, ok := d.(*ast.FuncDecl)
						if !ok || fd.Body == nil {
							continue
						}
						where := fmt.Sprintf("%s %s tables=%t,simd=%t,float32=%t: %s %s", name, method, opts.Tables != nil, opts.SIMD, opts.Float32, file, fd.Name.Name)
						defined := map[int]bool{}
						ast.Inspect(fd.Body, func(n ast.Node) bool {
							as, ok := n.(*ast.AssignStmt)
							if !ok || as.Tok != token.DEFINE {
								return true
							}
							for _, l := range as.Lhs {
								id := l.(*ast.Ident)
								mm := temp.FindStringSubmatch(id.Name)
								if mm == nil {
									continue
								}
								k, _ := strconv.Atoi(mm[1])
								if !defined[k] {
									if k != len(defined)+1 {
										t.Errorf("%s: %s is the first of temporary number %d", where, id.Name, len(defined)+1)
									}
									defined[k] = true
								}
								checked++
							}
							return true
						})
						for _, cg := range f.Comments {
							if cg.Pos() < fd.Body.Pos() || cg.End() > fd.Body.End() || !strings.Contains(cg.Text(), "from exp sharing") {
								continue
							}
							checkFoldNote(t, where, cg.Text())
							for _, w := range regexp.MustCompile(`\* s([0-9]+)`).FindAllStringSubmatch(cg.Text(), -1) {
								if k, _ := strconv.Atoi(w[1]); !defined[k] {
									t.Errorf("%s: %q names s%s, not a temporary of the function", where, cg.Text(), w[1])
								}
							}
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d temporaries checked", checked)
	}
}

// foldNote is a note of exp sharing's folded factor: "C = [A * ]e^X, from exp sharing: exp(…) = e^X * s2".
var foldNote = regexp.MustCompile(`(?m)^(\S+) = (?:(\S+) \* )?e\^(\S+), from exp sharing(.*)$`)

// checkFoldNote fails t unless each note of exp sharing in text holds, C = A·e^X to within a few
// units in the last place, and names the exponential that C and the shared one compute.
func checkFoldNote(t *testing.T, where, text string) {
	t.Helper()
	for _, mm := range foldNote.FindAllStringSubmatch(text, -1) {
		c, err1 := strconv.ParseFloat(mm[1], 64)
		a := 1.0
		var err2 error
		if mm[2] != "" {
			a, err2 = strconv.ParseFloat(mm[2], 64)
		}
		x, err3 := strconv.ParseFloat(mm[3], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Errorf("%s: %q: numbers do not parse", where, mm[0])
			continue
		}
		if got := a * math.Exp(x); math.Abs(got-c) > 4*math.Abs(math.Nextafter(c, math.Inf(1))-c) {
			t.Errorf("%s: %q, but %g * e^%g = %v", where, mm[0], a, x, got)
		}
		if !strings.HasPrefix(mm[4], ": exp(") || !strings.Contains(mm[4], ") = e^"+mm[3]+" * s") {
			t.Errorf("%s: %q does not name the exponential it computes", where, mm[0])
		}
	}
}
