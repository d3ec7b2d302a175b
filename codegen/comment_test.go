package codegen

import (
	"strings"
	"testing"
)

// TestCommentLinesDirectives: commentLines marks with "| " the lines that a Go tool reads as a
// directive even after "// " (a //tool:name form, line, export, extern, nolint, +build, cgo, a
// package clause), and leaves the rest of a doc as written: a citation's volume:pages, a
// capitalised label, a time of day, a URL.
func TestCommentLinesDirectives(t *testing.T) {
	text := strings.Join([]string{
		"go:generate rm -rf /",
		"  lint:ignore SA1000 x",
		"nolint:all",
		"line evil.go:1",
		"export F",
		"+build ignore",
		"#cgo LDFLAGS: -lx",
		"package main",
		"x86:amd64",
		"99:427-441",
		"J. Neurophysiol. 72:803-818",
		"1994:12",
		"Note:see below",
		"Refs: Hay 2011",
		"12:30 UTC",
		"https://modeldb.science/2488",
		"lines of text",
	}, "\n")
	want := []string{
		"// | go:generate rm -rf /",
		"// |   lint:ignore SA1000 x",
		"// | nolint:all",
		"// | line evil.go:1",
		"// | export F",
		"// | +build ignore",
		"// | #cgo LDFLAGS: -lx",
		"// | package main",
		"// | x86:amd64",
		"// 99:427-441",
		"// J. Neurophysiol. 72:803-818",
		"// 1994:12",
		"// Note:see below",
		"// Refs: Hay 2011",
		"// 12:30 UTC",
		"// https://modeldb.science/2488",
		"// lines of text",
	}
	got := commentLines(text)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
