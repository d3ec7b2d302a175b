// Command nmodlsurvey imports every .mod file of a directory with neurogen's NMODL importer
// (package nmodl/importer) and says what became of each: the survey of real .mod files that
// docs/nmodl.md reports.
//
//	go run ./tools/nmodlsurvey DIR
//
// For each FILE.mod, in name order, it prints one line, the file's name and its class, then
// the reasons, indented:
//
//   - clean: a spec is written for each current (and a pool's ion entry), and a group that
//     uses them all (declaring the ions they read and the temperature T) passes neurogen's
//     checker; the importer's notes only say how it mapped the file (a gate's form, a TABLE or a
//     VALENCE dropped, a SOLVE method, a name changed) or that it read it as NEURON runs it
//     (a PARAMETER without a value is 0).
//   - notes: as clean, but a note says the imported model starts otherwise than NEURON's does
//     (INITIAL sets a gate otherwise than to its steady state, or leaves a state at 0) or a
//     CONSERVE statement was dropped; the notes follow.
//   - unchecked: imported, but the group that uses the specs fails the checker; its errors
//     follow.
//   - refused: the importer refused the file; its errors follow, each naming the construct.
//
// A last block counts the files of each class and the refusals by reason (the error's text
// without its position and names). The exit status is 0, or 2 for a bad command line or a
// directory it cannot read.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/nmodl/importer"
	"github.com/neurogen/neurogen/spec"
)

func main() {
	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: go run ./tools/nmodlsurvey DIR...")
		os.Exit(2)
	}
	var rows []Row
	for _, dir := range os.Args[1:] {
		files, err := filepath.Glob(filepath.Join(dir, "*.mod"))
		if err == nil && len(files) == 0 {
			err = fmt.Errorf("%s: no .mod files", dir)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			row := Classify(filepath.Base(f), src)
			row.Dir = dir
			rows = append(rows, row)
		}
	}
	Print(os.Stdout, rows)
}

// A Class is what became of a .mod file.
type Class string

const (
	Clean     Class = "clean"
	Notes     Class = "notes"
	Unchecked Class = "unchecked"
	Refused   Class = "refused"
)

// A Row is the survey's result for one .mod file.
type Row struct {
	Dir     string // the directory surveyed
	File    string
	Class   Class
	Reasons []string // notes (Notes), checker errors (Unchecked) or refusals (Refused)
}

// behaviourNotes match the importer's notes that say the imported model differs from NEURON's.
var behaviourNotes = regexp.MustCompile(`otherwise than to its steady state|starts at 0|CONSERVE dropped`)

// Classify imports one .mod file (named name, with contents src) and checks a group that uses
// every channel it gives.
func Classify(name string, src []byte) Row {
	res, err := importer.Import(name, src)
	if err != nil {
		return Row{File: name, Class: Refused, Reasons: messages(err)}
	}
	return classifyImported(name, res)
}

// classifyImported classifies what the importer made of the file name.
func classifyImported(name string, res *importer.Result) Row {
	if err := checkGroup(res); err != nil {
		return Row{File: name, Class: Unchecked, Reasons: messages(err)}
	}
	row := Row{File: name, Class: Clean}
	for _, n := range res.Notes {
		if behaviourNotes.MatchString(n) {
			row.Class = Notes
			row.Reasons = append(row.Reasons, n)
		}
	}
	return row
}

func messages(err error) []string {
	if list, ok := err.(spec.ErrorList); ok {
		var m []string
		for _, e := range list {
			m = append(m, e.Error())
		}
		return m
	}
	return []string{err.Error()}
}

var (
	ionRef  = regexp.MustCompile(`\bE_([A-Z][A-Za-z0-9]*)\b|\b([A-Z][A-Za-z0-9]*)_[io]\b`)
	tempRef = regexp.MustCompile(`\bT\b`)
)

// ionValues are the valence, reversal potential and concentrations that a survey group gives
// an ion that its channels read; an ion not listed gets valence 1, E = 0 mV and 1 mM on both
// sides. An ion that an imported pool gives dynamics keeps the pool's C_i.
var ionValues = map[string][4]string{
	"Na": {"1", "50 mV", "10 mM", "140 mM"},
	"K":  {"1", "-85 mV", "140 mM", "5 mM"},
	"Ca": {"2", "120 mV", "5e-5 mM", "2 mM"},
	"Cl": {"-1", "-70 mV", "10 mM", "110 mM"},
}

// checkGroup checks a group spec that uses every imported channel by name, and every imported
// pool as its ion's entry, with a leak (so that a group of a pool alone has a channel), the
// ions that the expressions read and the temperature T where they read it.
func checkGroup(res *importer.Result) error {
	fsys := fstest.MapFS{}
	var ions []string
	usesT := false
	scan := func(yaml []byte) {
		for _, line := range strings.Split(string(yaml), "\n") {
			// expressions are quoted; the doc and the parameters' values are not
			if !strings.Contains(line, `"`) {
				continue
			}
			for _, m := range ionRef.FindAllStringSubmatch(line, -1) {
				if ion := m[1] + m[2]; !slices.Contains(ions, ion) {
					ions = append(ions, ion)
				}
			}
			usesT = usesT || tempRef.MatchString(line)
		}
	}
	chans := "  survey_leak: {g_max: 0.1 mS/cm2, E: -65 mV, current: g_max * (E - V)}\n"
	for _, c := range res.Channels {
		fsys[c.Name+".yaml"] = &fstest.MapFile{Data: c.YAML}
		chans += fmt.Sprintf("  %s: {use: %s}\n", c.Name, c.Name)
		scan(c.YAML)
		if m := regexp.MustCompile(`(?m)^ion: (\w+)$`).FindSubmatch(c.YAML); m != nil && !slices.Contains(ions, string(m[1])) {
			ions = append(ions, string(m[1]))
		}
	}
	pools := map[string]string{}
	for _, p := range res.Pools {
		pools[p.Ion] = p.Entry()
		scan(p.YAML)
		if !slices.Contains(ions, p.Ion) {
			ions = append(ions, p.Ion)
		}
	}
	slices.Sort(ions)
	var b strings.Builder
	b.WriteString("neurogen: 1\nmodel: Survey\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n")
	if usesT {
		b.WriteString("params: {T: 34 degC}\n")
	}
	if len(ions) > 0 {
		b.WriteString("ions:\n")
		for _, ion := range ions {
			v, known := ionValues[ion]
			if !known {
				v = [4]string{"1", "0 mV", "1 mM", "1 mM"}
			}
			if entry, ok := pools[ion]; ok {
				b.WriteString(entry)
				if !known {
					fmt.Fprintf(&b, "    valence: %s\n", v[0])
				}
				// the pool's entry has C_o where its equation reads it; a second would be a
				// duplicate key
				fmt.Fprintf(&b, "    E: %s\n", v[1])
				if !strings.Contains(entry, "\n    C_o:") {
					fmt.Fprintf(&b, "    C_o: %s\n", v[3])
				}
				continue
			}
			if known {
				fmt.Fprintf(&b, "  %s: {E: %s, C_i: %s, C_o: %s}\n", ion, v[1], v[2], v[3])
			} else {
				fmt.Fprintf(&b, "  %s: {valence: %s, E: %s, C_i: %s, C_o: %s}\n", ion, v[0], v[1], v[2], v[3])
			}
		}
	}
	b.WriteString("channels:\n" + chans)
	lib := library.New(fsys, ".", "imported")
	_, err := check.Load("group.yaml", []byte(b.String()), check.Options{Library: lib, Unoptimized: true})
	return err
}

var (
	// position matches the file:line:col: that starts a message, and the name of the
	// variable that some messages name first ("w: arrays are not imported").
	position = regexp.MustCompile(`^[^:]*:\d+:\d+: (\w+: )?`)
	// declared matches the name in "PARAMETER ek has no value".
	declared = regexp.MustCompile(`^(PARAMETER|ASSIGNED|STATE|CONSTANT) \w+ `)
)

// Reason is a refusal's message without its position and the variable it names, for
// counting refusals by reason.
func Reason(msg string) string {
	msg = position.ReplaceAllString(msg, "")
	return declared.ReplaceAllString(msg, "$1 NAME ")
}

type counts map[Class]int

func (c counts) String() string {
	return fmt.Sprintf("%d files: %d clean, %d with notes, %d failing the check, %d refused",
		c[Clean]+c[Notes]+c[Unchecked]+c[Refused], c[Clean], c[Notes], c[Unchecked], c[Refused])
}

// Print writes the rows, then the counts of each class (for each directory, where there are
// several, then for all) and of the refused files by reason.
func Print(w io.Writer, rows []Row) {
	var dirs []string
	byDir := map[string]counts{}
	all := counts{}
	reasons := map[string]int{}
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\n", filepath.Join(r.Dir, r.File), r.Class)
		for _, m := range r.Reasons {
			fmt.Fprintf(w, "\t%s\n", m)
		}
		if byDir[r.Dir] == nil {
			dirs = append(dirs, r.Dir)
			byDir[r.Dir] = counts{}
		}
		byDir[r.Dir][r.Class]++
		all[r.Class]++
		if r.Class == Refused {
			seen := map[string]bool{}
			for _, m := range r.Reasons {
				if k := Reason(m); !seen[k] {
					seen[k] = true
					reasons[k]++
				}
			}
		}
	}
	fmt.Fprintln(w)
	if len(dirs) > 1 {
		for _, d := range dirs {
			fmt.Fprintf(w, "%s: %s\n", d, byDir[d])
		}
		fmt.Fprint(w, "all: ")
	}
	fmt.Fprintln(w, all)
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if reasons[a] != reasons[b] {
			return reasons[b] - reasons[a]
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		fmt.Fprintf(w, "%4d  %s\n", reasons[k], k)
	}
}
