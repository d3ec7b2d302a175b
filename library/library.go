// Package library is neurogen's stock channel library: the ion channels of BrainPy's
// conductance-based groups (and more), written as neurogen channel specs, embedded in the
// binary. A spec uses one with `use: NAME` and overrides any of its parameters:
//
//	channels:
//	  Na: {use: INa_HH1952, g_max: 100 mS/cm2}
//
// Each file in channels/ is one channel: `neurogen: 1`, `channel: NAME`, then the fields of a
// channel, with a doc whose first line says what it is and which gives its equations, its
// parameters with units, the paper it comes from and any deviation from BrainPy's channel of
// that name. `neurogen channels` lists them; `neurogen channels NAME` prints one.
//
// A channel whose rates depend on temperature reads the group's `T` (a spec that uses it
// declares `params: {T: 36 degC}`) and has its reference temperature T_ref and its factor per
// 10 degrees (T_base, or T_base_p and T_base_q) as parameters; a channel that reads an ion
// (E_Ca, Ca_i, E_K) needs the group to declare the ion under `ions:`.
package library

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/neurogen/neurogen/spec"
)

//go:embed channels/*.yaml receptors/*.yaml
var files embed.FS

// Dir is the directory of the channel files, as their positions name them.
const Dir = "library/channels"

// Stock is the stock library.
var Stock = &Library{fsys: files, dir: "channels", name: Dir}

// ReceptorDir is the directory of the stock receptor files, as their positions name them.
const ReceptorDir = "library/receptors"

// StockReceptors is the stock library of synaptic receptors (receptors/*.yaml): each file is
// `neurogen: 1`, `receptor: NAME` and the fields of a receptor, as under `receptors:` in a
// spec. A spec uses one with `use: NAME` and overrides any of its parameters.
var StockReceptors = &Library{fsys: files, dir: "receptors", name: ReceptorDir}

// Library is a set of channel files (or of receptor files).
type Library struct {
	fsys fs.FS
	dir  string // in fsys
	name string // in positions

	once  sync.Once
	names []string
	mu    sync.Mutex
	cache map[string]*spec.LibraryChannel
	// receptors caches the receptors of a library of receptor files.
	receptors map[string]*spec.LibraryReceptor
}

// New returns a library of the channel files NAME.yaml in dir of fsys; positions in its
// channels name the files under label.
func New(fsys fs.FS, dir, label string) *Library {
	return &Library{fsys: fsys, dir: dir, name: label}
}

// Names returns the names of the library's channels, sorted.
func (l *Library) Names() []string {
	l.once.Do(func() {
		entries, _ := fs.ReadDir(l.fsys, l.dir)
		for _, e := range entries {
			if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
				l.names = append(l.names, name)
			}
		}
		slices.Sort(l.names)
	})
	return l.names
}

// Source returns the file of a channel, and false if there is none of that name.
func (l *Library) Source(name string) ([]byte, bool) {
	if !slices.Contains(l.Names(), name) {
		return nil, false
	}
	src, err := fs.ReadFile(l.fsys, path.Join(l.dir, name+".yaml"))
	return src, err == nil
}

// File returns the name that positions in a channel's file carry.
func (l *Library) File(name string) string { return l.name + "/" + name + ".yaml" }

// Channel returns the loaded channel of that name: nil and no error when there is none, an
// error when its file does not load (a defect of the library, which its tests rule out).
func (l *Library) Channel(name string) (*spec.LibraryChannel, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.cache[name]; ok {
		return c, nil
	}
	src, ok := l.Source(name)
	if !ok {
		return nil, nil
	}
	c, err := spec.LoadChannel(l.File(name), src)
	if err != nil {
		return nil, fmt.Errorf("stock channel %s: %w", name, err)
	}
	if c.Channel.Name.Value != name {
		return nil, fmt.Errorf("stock channel %s: its file names it %s", name, c.Channel.Name.Value)
	}
	if l.cache == nil {
		l.cache = map[string]*spec.LibraryChannel{}
	}
	l.cache[name] = c
	return c, nil
}

// Receptor returns the loaded receptor of that name, from a library of receptor files (such
// as StockReceptors): nil and no error when there is none, an error when its file does not
// load.
func (l *Library) Receptor(name string) (*spec.LibraryReceptor, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r, ok := l.receptors[name]; ok {
		return r, nil
	}
	src, ok := l.Source(name)
	if !ok {
		return nil, nil
	}
	r, err := spec.LoadReceptor(l.File(name), src)
	if err != nil {
		return nil, fmt.Errorf("stock receptor %s: %w", name, err)
	}
	if r.Receptor.Name.Value != name {
		return nil, fmt.Errorf("stock receptor %s: its file names it %s", name, r.Receptor.Name.Value)
	}
	if l.receptors == nil {
		l.receptors = map[string]*spec.LibraryReceptor{}
	}
	l.receptors[name] = r
	return r, nil
}
