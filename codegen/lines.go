package codegen

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/ir"
)

// Source maps (Options.LineDirectives).
//
// A statement that comes from an expression written in the spec (ir.Stmt.Pos) is preceded
// by a directive naming that place, and followed by one that gives the Go file its own
// positions back:
//
//	//line ../specs/hh52.yaml:21:16
//		Na_m_alpha := 1.0 / runtime.ExprelOf(-0.1*(V+40.0), s1)
//	//line hh52.go:412:1
//
// so that compiler errors, panics and profiles of that line name the spec's line. The
// directive's column is set so that the statement's first token (after its indentation) is at
// the column where the expression starts in the spec; positions further along the statement
// are the Go text's. The spec's path is as gen was given it, like the file header's. Go only
// reads //line directives that start a line, so fixLines moves them to column 1 (gofmt leaves
// them there) and numbers the directives that restore the Go file's positions, once the source
// is formatted.

// lineMark and lineBack are what the generator writes, as the string of a blank assignment
// statement (_ = "…"), and fixLines turns into directives. Statements rather than comments:
// gofmt keeps statements where they are (it moves comments that look like directives to the
// end of their group), and no statement from a spec is a string.
const (
	lineMark = "neurogen:line "     // + LINE:COL of the spec, before a statement
	lineBack = "neurogen:line back" // after it
)

// stmts renders statements with their comments (see stmts), with line directives when
// Options.LineDirectives asks for them.
func (g *generator) stmts(list []*ir.Stmt, rename func(string) string) []jen.Code {
	if rename == nil {
		rename = g.id
	}
	var out []jen.Code
	for _, st := range list {
		out = append(out, comments(st.Comment...)...)
		out = append(out, comments(g.foldNotes(st, rename)...)...)
		out = append(out, g.lineDirective(st, jen.Id(rename(st.Local)).Op(":=").Add(exprRanked(st.Expr, rename, g.sumRanks())))...)
	}
	return out
}

// lineDirective returns code, between the markers of a line directive when source maps are
// on and st comes from the spec.
func (g *generator) lineDirective(st *ir.Stmt, code jen.Code) []jen.Code {
	if !g.opts.LineDirectives || !st.Pos.IsValid() {
		return []jen.Code{code}
	}
	p := st.Pos.Position()
	return []jen.Code{
		jen.Id("_").Op("=").Lit(fmt.Sprintf("%s%d:%d", lineMark, p.Line, p.Col)),
		code,
		jen.Id("_").Op("=").Lit(lineBack),
	}
}

var lineMarkRE = regexp.MustCompile(`^\s*_ = "` + regexp.QuoteMeta(lineMark) + `(back|(\d+):(\d+))"$`)

// fixLines turns the markers of formatted source into //line directives at column 1: a
// statement's marker names the spec (spec, as the header does) at its line and, where the
// statement's indentation allows, its column; the marker after it names the Go file (file) at
// the next line's own number.
func fixLines(src []byte, spec, file string) ([]byte, error) {
	if strings.ContainsAny(spec, "\n\r") || strings.ContainsAny(file, "\n\r") {
		return nil, fmt.Errorf("codegen: a file name with a line break cannot appear in a //line directive: %q", spec)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	var out bytes.Buffer
	for i, l := range lines {
		m := lineMarkRE.FindSubmatch(bytes.TrimRight(l, "\n"))
		if m == nil {
			out.Write(l)
			continue
		}
		if string(m[1]) == "back" {
			// The next line is line i+2 of the file (i counts from 0, and this one is i+1).
			fmt.Fprintf(&out, "//line %s:%d:1\n", file, i+2)
			continue
		}
		line, _ := strconv.Atoi(string(m[2]))
		col, _ := strconv.Atoi(string(m[3]))
		// The next line starts with its indentation: the statement's first token is that many
		// columns on.
		indent := 0
		if i+1 < len(lines) {
			indent = len(lines[i+1]) - len(bytes.TrimLeft(lines[i+1], "\t"))
		}
		if col-indent >= 1 {
			fmt.Fprintf(&out, "//line %s:%d:%d\n", spec, line, col-indent)
		} else {
			fmt.Fprintf(&out, "//line %s:%d\n", spec, line)
		}
	}
	return out.Bytes(), nil
}
