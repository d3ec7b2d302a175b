package spikestats

import (
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// TestEmbedList: the embedded files, and so Source, are exactly the directory's non-test .go
// files, with their contents on disk; no test file is embedded.
func TestEmbedList(t *testing.T) { gomodtest.CheckSource(t, src, Source()) }
