package modelrun

import "embed"

// src holds the package's own non-test source files, listed by name: a pattern such as *.go
// would take the tests too, and embed them in every binary that links modelrun. TestEmbedList
// fails when the list and the directory's non-test .go files differ.
//
//go:embed cli.go config.go memory.go network.go simulate.go source.go state.go summary.go values.go
var src embed.FS

// Source returns the source of this package, file name to contents, for every non-test .go
// file, so that neurogen can write it into the module of a model program and build it with no
// network. The map and its slices are new on every call.
func Source() map[string][]byte {
	entries, err := src.ReadDir(".")
	if err != nil {
		panic("modelrun: reading embedded source: " + err.Error()) // cannot happen
	}
	files := make(map[string][]byte, len(entries))
	for _, e := range entries {
		name := e.Name()
		b, err := src.ReadFile(name)
		if err != nil {
			panic("modelrun: reading embedded source: " + err.Error())
		}
		files[name] = b
	}
	return files
}
