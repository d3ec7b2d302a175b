package runtime

import "embed"

// src holds the package's own non-test source files, listed by name: a pattern such as *.go
// would take the tests too, and embed them in every binary that links runtime. TestEmbedList
// fails when the list and the directory's non-test .go files differ.
//
//go:embed choose.go clock.go current.go delay.go doc.go eventfunc.go exprel.go fastexp.go finite.go float32.go group.go idle_linux.go idle_other.go input.go kinetic.go
//go:embed monitor.go network.go npz.go outfile.go outfile_other.go outfile_unix.go parallel.go plastic.go proj.go sim.go
//go:embed source.go spikes.go state.go stateerr.go stp.go pairs.go values.go vec_amd64.go vec8_amd64.go
var src embed.FS

// Source returns the source of this package, file name to contents, for every non-test .go
// file (group.go, source.go and the rest), so that neurogen can write the runtime into the
// module of a generated model program and build it with no network. The map and its slices are
// new on every call; the caller may keep or change them.
func Source() map[string][]byte {
	entries, err := src.ReadDir(".")
	if err != nil {
		panic("runtime: reading embedded source: " + err.Error()) // cannot happen
	}
	files := make(map[string][]byte, len(entries))
	for _, e := range entries {
		name := e.Name()
		b, err := src.ReadFile(name)
		if err != nil {
			panic("runtime: reading embedded source: " + err.Error())
		}
		files[name] = b
	}
	return files
}
