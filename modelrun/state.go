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
		Name       string   `json:"name"`
		Model      string   `json:"model"`
		LayoutHash string   `json:"layout_hash"`
		Size       int      `json:"size"`
		Method     string   `json:"method"`  // format version 2 on
		Float32    bool     `json:"float32"` // format version 2 on
		Layout     []string `json:"layout"`  // format version 2 on
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
	if info.Step < 0 || info.Step > runtime.MaxStep {
		return fail("clock: step %d is not from 0 to %d (2^53), the last step a clock counts exactly", info.Step, int64(runtime.MaxStep))
	}
	info.Size = info.Groups[0].Size
	return &info, nil
}

// Match checks that the state is of the model md: its name, its layout (its variables and
// parameters with their units, and their precision) when md has one, and, unless anyMethod
// (-resume-any-method), its integration method when both say.
func (st *StateInfo) Match(md *runtime.Model, anyMethod bool) error {
	g := st.Groups[0]
	switch {
	case g.Model != md.Name:
		return fmt.Errorf("load state from %s: the file holds a state of model %s, not of %s: resume it with the spec of %s", st.Path, g.Model, md.Name, g.Model)
	case md.LayoutHash != "" && g.LayoutHash != md.LayoutHash:
		if g.Layout != nil && g.Float32 != md.Float32 {
			return fmt.Errorf("load state from %s: the file holds %s, this program %s", st.Path, precision(g.Float32), precision(md.Float32))
		}
		if g.Layout != nil {
			ours := runtime.LayoutLines(md)
			for i := range max(len(ours), len(g.Layout)) {
				theirs, our := "nothing", "nothing"
				if i < len(g.Layout) {
					theirs = g.Layout[i]
				}
				if i < len(ours) {
					our = ours[i]
				}
				if theirs != our {
					return fmt.Errorf("load state from %s: the file holds a state of model %s with another layout: where it has %s, this program has %s (was its spec changed since?)", st.Path, g.Model, theirs, our)
				}
			}
		}
		return fmt.Errorf("load state from %s: the file holds a state of model %s whose variables or parameters differ from this program's (was its spec changed since?)", st.Path, g.Model)
	case !anyMethod && g.Method != "" && md.Method != "" && g.Method != md.Method:
		why := ""
		if g.Method == "staggered" || md.Method == "staggered" {
			why = " (the staggered method keeps the gates half a step ahead of V, the others at V's time)"
		}
		return fmt.Errorf("load state from %s: the state was saved by a program that integrates with %s, this one with %s%s; to resume it under %s anyway, add -resume-any-method", st.Path, g.Method, md.Method, why, md.Method)
	}
	return nil
}

// precision names the storage of a group's state variables.
func precision(float32 bool) string {
	if float32 {
		return "float32 state (generated with -float32)"
	}
	return "float64 state"
}
