package spec

import (
	"fmt"
	"sort"
)

// A File is a file that positions point into: its name and where its lines start. Load makes
// one for a spec file, LoadChannel one for a stock channel's; every Pos in what they return
// points to it.
type File struct {
	name  string
	size  int
	bom   int   // length of a leading UTF-8 byte order mark, which columns of line 1 do not count
	lines []int // byte offset of the start of each line
}

// Name returns the file's name, as positions print it.
func (f *File) Name() string { return f.name }

// Pos is a position in a spec file: the file and a byte offset in it, two words. Its line and
// column are worked out from the file's line table only when asked for (Position, String), as
// go/token does, so that nothing after Load reads a file's bytes again. Positions compare
// with ==; the zero Pos is unknown.
type Pos struct {
	file *File
	off  int
}

// Position is a Pos spelled out: the file's name and a 1-based line and column. Col counts
// bytes, as in Go's own diagnostics, from the start of the line (on line 1, from the end of a
// byte order mark, which editors do not show).
type Position struct {
	File string
	Line int
	Col  int
}

// String formats p as file:line:col (or the parts of it that are known).
func (p Position) String() string {
	switch {
	case p.Line < 1 && p.File == "":
		return "-"
	case p.Line < 1:
		return p.File
	case p.File == "":
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether p is a known position.
func (p Pos) IsValid() bool { return p.file != nil }

// Position returns the file name, line and column of p; the zero Position for an unknown p.
func (p Pos) Position() Position {
	f := p.file
	if f == nil {
		return Position{}
	}
	line := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > p.off }) - 1
	start := f.lines[line]
	if line == 0 {
		start = f.bom
	}
	return Position{File: f.name, Line: line + 1, Col: max(1, p.off-start+1)}
}

// File returns the name of p's file, or "" for an unknown p.
func (p Pos) File() string {
	if p.file == nil {
		return ""
	}
	return p.file.name
}

// Line returns p's 1-based line, or 0 for an unknown p.
func (p Pos) Line() int { return p.Position().Line }

// Col returns p's 1-based column (in bytes), or 0 for an unknown p.
func (p Pos) Col() int { return p.Position().Col }

// Offset returns p's byte offset in its file.
func (p Pos) Offset() int { return p.off }

// String formats p as file:line:col.
func (p Pos) String() string { return p.Position().String() }

// Before reports whether p comes before q: files compare by name, positions in one file by
// offset.
func (p Pos) Before(q Pos) bool {
	if pf, qf := p.File(), q.File(); pf != qf {
		return pf < qf
	}
	return p.off < q.off
}

// add returns the position n bytes after p (before it for n < 0), within p's file.
func (p Pos) add(n int) Pos {
	if p.file == nil {
		return p
	}
	p.off = max(0, min(p.off+n, p.file.size))
	return p
}

// NewFile returns the File of src, named name, for a front end beside Load (the NMODL parser,
// package nmodl) whose positions print and compare as a spec's do. Lines break at "\n",
// "\r\n" and a lone "\r"; a leading UTF-8 byte order mark is not counted in columns.
func NewFile(name string, src []byte) *File { return newSource(name, src).f }

// Pos returns the position of byte offset off in f, clamped to the file.
func (f *File) Pos(off int) Pos { return Pos{file: f, off: max(0, min(off, f.size))} }
