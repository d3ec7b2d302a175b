package modelrun

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestEmbedList: the embedded files, and so Source, are exactly the directory's non-test .go
// files, with their contents on disk; no test file is embedded.
func TestEmbedList(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range entries {
		if name := e.Name(); strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			want = append(want, name)
		}
	}
	embedded, err := src.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range embedded {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("embedded %v, want the non-test .go files %v (update the //go:embed list in source.go)", got, want)
	}
	files := Source()
	if names := slices.Sorted(maps.Keys(files)); !slices.Equal(names, want) {
		t.Errorf("Source has %v, want %v", names, want)
	}
	for name, b := range files {
		disk, err := os.ReadFile(name)
		if err != nil || string(disk) != string(b) {
			t.Errorf("Source()[%q] differs from the file on disk (%v)", name, err)
		}
	}
}
