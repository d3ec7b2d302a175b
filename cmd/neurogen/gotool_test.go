package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/runtime"
)

// TestGoTool: the README's way to pin neurogen in a downstream module works: with a tool line
// for cmd/neurogen in go.mod, `go tool neurogen version` builds and runs this checkout's
// command, and `go tool neurogen gen` from a go:generate directive writes a package that the
// module builds against the same runtime.
func TestGoTool(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := gomodtest.TempModule(t, "example.com/downstream")
	mod := filepath.Join(dir, "go.mod")
	b, err := os.ReadFile(mod)
	if err != nil {
		t.Fatal(err)
	}
	// What go get -tool records: the tool line, and the requirements of its packages.
	gomodtest.WriteFile(t, mod, append(b, "\ntool github.com/neurogen/neurogen/cmd/neurogen\n"...))
	gomodtest.Run(t, dir, nil, "mod", "tidy")
	out := gomodtest.Run(t, dir, nil, "tool", "neurogen", "version")
	if !strings.HasPrefix(out, "neurogen ") || !strings.Contains(out, "runtime API "+strconv.Itoa(runtime.APIVersion)) {
		t.Errorf("go tool neurogen version printed %q", out)
	}
	spec, err := os.ReadFile(hh52(t))
	if err != nil {
		t.Fatal(err)
	}
	gomodtest.WriteFile(t, filepath.Join(dir, "model.yaml"), spec)
	// The directive is assembled so that go generate in this repository does not take it for one
	// of this file's.
	gomodtest.WriteFile(t, filepath.Join(dir, "gen.go"), []byte(`package main

//go:`+`generate go tool neurogen gen model.yaml -o model -pkg model

import (
	"fmt"

	"example.com/downstream/model"
)

func main() { fmt.Println(model.New(2).Len()) }
`))
	gomodtest.Run(t, dir, nil, "generate", ".")
	if got := gomodtest.Run(t, dir, nil, "run", "."); got != "2\n" {
		t.Errorf("the program printed %q, want the size of its group, 2", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "model", "model.go")); err != nil {
		t.Errorf("go generate wrote no model/model.go: %v", err)
	}
}
