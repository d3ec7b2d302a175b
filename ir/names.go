package ir

import (
	"go/token"
	"maps"
)

// Namer hands out unique Go identifiers in one namespace: names that no name handed out before
// uses, nor a reserved one, nor a Go keyword.
type Namer struct {
	taken map[string]bool
}

// NewNamer returns a Namer for which the reserved names are taken.
func NewNamer(reserved ...[]string) *Namer {
	n := &Namer{taken: map[string]bool{}}
	for _, list := range reserved {
		for _, s := range list {
			n.taken[s] = true
		}
	}
	return n
}

// Name returns want, or want with underscores appended until it is neither taken, reserved nor
// a Go keyword, and takes it.
func (n *Namer) Name(want string) string {
	for n.taken[want] || token.IsKeyword(want) {
		want += "_"
	}
	n.taken[want] = true
	return want
}

// Clone returns a Namer that has taken what n has; n does not change. A nil n gives an empty one.
func (n *Namer) Clone() *Namer {
	c := &Namer{taken: map[string]bool{}}
	if n != nil {
		maps.Copy(c.taken, n.taken)
	}
	return c
}
