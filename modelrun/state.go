package modelrun

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/neurogen/neurogen/runtime"
)

// StateInfo is what a run reads of a state file's metadata (__meta__, see
// runtime.Sim.WriteState) before it loads it: the clock and the group. runtime.Sim.Load then
// loads and verifies the whole file.
type StateInfo struct {
	Path   string  `json:"-"`
	Format string  `json:"format"`
	Step   int64   `json:"step"`
	Dt     float64 `json:"dt"`
	Groups []struct {
		Name       string `json:"name"`
		Model      string `json:"model"`
		LayoutHash string `json:"layout_hash"`
		Size       int    `json:"size"`
	} `json:"groups"`
	Size int `json:"-"` // the size of the group named GroupName
}

// ReadStateInfo reads the metadata of the state file at path, which must hold one group, named
// GroupName, as a model program's -save writes it. Errors are worded as runtime.Sim.Load words
// them.
func ReadStateInfo(path string) (*StateInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load state: %w", err)
	}
	defer f.Close()
	fail := func(format string, args ...any) (*StateInfo, error) {
		return nil, fmt.Errorf("load state from %s: %s", path, fmt.Sprintf(format, args...))
	}
	fi, err := f.Stat()
	if err != nil {
		return fail("%v", err)
	}
	meta, err := runtime.ReadStateMeta(f, fi.Size()) // the metadata only: no zip bomb
	if err != nil {
		return fail("%v", err)
	}
	info := StateInfo{Path: path}
	if err := json.Unmarshal([]byte(meta), &info); err != nil {
		return fail("metadata (__meta__): %v", err)
	}
	if info.Format != "neurogen-state" {
		return fail("metadata: format %q, not %q: not a neurogen state file", info.Format, "neurogen-state")
	}
	if len(info.Groups) != 1 || info.Groups[0].Name != GroupName {
		var gs []string
		for _, g := range info.Groups {
			gs = append(gs, fmt.Sprintf("%s (model %s)", g.Name, g.Model))
		}
		return fail("the file holds the groups %s; a model program resumes a state of one group named %s, as its -save writes it",
			strings.Join(gs, ", "), GroupName)
	}
	info.Size = info.Groups[0].Size
	return &info, nil
}

// Match checks that the state is of the model md: its name, and its layout (its variables and
// parameters with their units) when md has one.
func (st *StateInfo) Match(md *runtime.Model) error {
	g := st.Groups[0]
	switch {
	case g.Model != md.Name:
		return fmt.Errorf("load state from %s: the file holds a state of model %s, not of %s: resume it with the spec of %s", st.Path, g.Model, md.Name, g.Model)
	case md.LayoutHash != "" && g.LayoutHash != md.LayoutHash:
		return fmt.Errorf("load state from %s: the file holds a state of model %s whose variables or parameters differ from this program's (was its spec changed since?)", st.Path, g.Model)
	}
	return nil
}
