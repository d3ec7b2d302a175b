package codegen

import (
	"strings"
	"testing"
)

// TestWrapText: prose is filled to the width between words, keeps its line breaks, never breaks
// within a short parenthesis, never starts a line with a word gofmt reads as a list item, gives
// a word longer than the width a line of its own, and goes on with a list item's text indented.
func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		text  string
		width int
		want  string
	}{
		{"aa bb cc dd", 5, "aa bb\ncc dd"},
		{"aa bb cc dd", 4, "aa\nbb\ncc\ndd"},
		{"one two\nthree four five", 10, "one two\nthree four\nfive"},
		{"sets w to 6 mS (6 nS) and", 14, "sets w to 6 mS\n(6 nS) and"},
		{"into E (g += w), with", 8, "into E\n(g += w),\nwith"},
		{"x (a parenthesis far longer than twenty-four) y", 12, "x (a\nparenthesis\nfar longer\nthan\ntwenty-four)\ny"},
		{"steps 1. and - then 2) end", 7, "steps 1.\nand -\nthen 2)\nend"},
		{"a supercalifragilistic b", 6, "a\nsupercalifragilistic\nb"},
		{"  spaces   collapse  ", 20, "spaces collapse"},
		{"é é é", 3, "é é\né"},                                                         // characters, not bytes
		{"Items:\n  - aa bb cc dd\n  - e", 10, "Items:\n  - aa bb\n     cc dd\n  - e"}, // under the item's text, as gofmt indents it
	} {
		if got := wrapText(c.text, c.width); got != c.want {
			t.Errorf("wrapText(%q, %d) =\n%s\nwant\n%s", c.text, c.width, got, c.want)
		}
		for _, l := range strings.Split(wrapText(c.text, c.width), "\n") {
			if strings.Contains(l, "\x00") {
				t.Errorf("wrapText(%q): line %q keeps the glue", c.text, l)
			}
		}
	}
}
