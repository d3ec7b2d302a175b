package modelrun

import (
	"embed"
	"strings"
)

// src holds the package's own source files. The pattern takes the tests too; Source drops them.
//
//go:embed *.go
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
		if e.IsDir() || strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := src.ReadFile(name)
		if err != nil {
			panic("modelrun: reading embedded source: " + err.Error())
		}
		files[name] = b
	}
	return files
}
