package codegen

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/ir"
)

// The checker names the subexpressions it shares s1, s2, … in the order it schedules them for
// the whole model, and each generated function uses some of them, in its own order:
// StepRange computes 1/C (s5) before the loop, then s1 … s4. renumberTemps renames them in each
// function in the order they appear there, as one would write them by hand: s1, s2, s3, ….
// The names change, not the code.

// tempName matches a shared temporary's name, or a name derived from one (a Runge–Kutta
// stage's s1_2, the staggered step's s1_next, a four-lane broadcast's s5_x4).
var tempName = regexp.MustCompile(`^(s[0-9]+)(_[A-Za-z0-9_]*)?$`)

// tempWord finds such names in a comment.
var tempWord = regexp.MustCompile(`\bs[0-9]+(?:_[A-Za-z0-9_]*)?\b`)

// temps returns the Go locals of the model's shared temporaries: the statements of Pre and
// Body whose locals are s followed by a number.
func (g *generator) temps() map[string]bool {
	out := map[string]bool{}
	for _, list := range [][]*ir.Stmt{g.m.Pre, g.m.Body} {
		for _, st := range list {
			id := g.id(st.Local)
			if mm := tempName.FindStringSubmatch(id); mm != nil && mm[2] == "" {
				out[id] = true
			}
		}
	}
	return out
}

// renumberTemps renames the temporaries (see temps) of each function of src, and the names in
// the comments that foldNotes writes, in order of first appearance; a function in which a new
// name would be taken by another identifier is left as it is. src must be gofmt-formatted; the
// result is too.
func renumberTemps(src []byte, temps map[string]bool) ([]byte, error) {
	if len(temps) == 0 {
		return src, nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("codegen: generated code does not parse (a bug in neurogen): %w", err)
	}
	split := func(name string) (base, suffix string, ok bool) {
		mm := tempName.FindStringSubmatch(name)
		if mm == nil || !temps[mm[1]] {
			return "", "", false
		}
		return mm[1], mm[2], true
	}
	type edit struct {
		off, end int
		text     string
	}
	var edits []edit
	offset := func(p token.Pos) int { return fset.Position(p).Offset }
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		renamed := map[string]string{} // old base → new base
		var idents []*ast.Ident
		others := map[string]bool{}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			base, _, ok := split(id.Name)
			if !ok {
				others[id.Name] = true
				return true
			}
			if _, seen := renamed[base]; !seen {
				renamed[base] = fmt.Sprintf("s%d", len(renamed)+1)
			}
			idents = append(idents, id)
			return true
		})
		rename := func(name string) string {
			base, suffix, ok := split(name)
			if !ok {
				return name
			}
			if nb, ok := renamed[base]; ok {
				return nb + suffix
			}
			return name
		}
		if slices.ContainsFunc(idents, func(id *ast.Ident) bool { return others[rename(id.Name)] }) {
			continue
		}
		for _, id := range idents {
			if n := rename(id.Name); n != id.Name {
				edits = append(edits, edit{offset(id.Pos()), offset(id.End()), n})
			}
		}
		for _, cg := range f.Comments {
			if cg.Pos() < fd.Body.Pos() || cg.End() > fd.Body.End() {
				continue
			}
			for _, c := range cg.List {
				if !strings.Contains(c.Text, foldMark) {
					continue
				}
				at := offset(c.Pos())
				for _, loc := range tempWord.FindAllStringIndex(c.Text, -1) {
					if w := c.Text[loc[0]:loc[1]]; rename(w) != w {
						edits = append(edits, edit{at + loc[0], at + loc[1], rename(w)})
					}
				}
			}
		}
	}
	if len(edits) == 0 {
		return src, nil
	}
	slices.SortFunc(edits, func(a, b edit) int { return b.off - a.off })
	out := slices.Clone(src)
	for _, e := range edits {
		out = slices.Concat(out[:e.off], []byte(e.text), out[e.end:])
	}
	return format.Source(out)
}
