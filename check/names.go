package check

import (
	"go/token"
	"strings"
	"unicode"
)

// namer hands out the model's symbols: the names by which expressions refer to states,
// parameters, the input, the time and statements, unique in the model. They are derived from
// spec names, not Go identifiers: codegen chooses the Go local of each (see codegen's names.go).
type namer struct {
	taken map[string]bool
}

func newNamer(reserved ...[]string) *namer {
	n := &namer{taken: map[string]bool{}}
	for _, list := range reserved {
		for _, s := range list {
			n.taken[s] = true
		}
	}
	return n
}

// Name returns want, or want with underscores appended until it is not taken, and takes it.
func (n *namer) Name(want string) string {
	for n.taken[want] {
		want += "_"
	}
	n.taken[want] = true
	return want
}

// packageName derives a Go package name from a model name.
func packageName(model string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(model) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			b.WriteRune(r)
		}
	}
	p := b.String()
	if strings.Trim(p, "_") == "" || unicode.IsDigit(rune(p[0])) {
		p = "model" + p
	}
	if token.IsKeyword(p) || p == "main" || p == "runtime" || p == "math" {
		p += "model"
	}
	return p
}
