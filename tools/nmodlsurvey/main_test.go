package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/nmodl/importer"
)

func classify(t *testing.T, file string) Row {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return Classify(filepath.Base(file), src)
}

// TestClassify: the survey's classes on the repository's own .mod files: NEURON's hh.mod, an
// SK channel reading cai (its group must declare Ca and K) and a calcium pool (checked as the
// dynamics of Ca in a group with only a leak) import and check; a KINETIC scheme with CONSERVE
// imports with a note that says so; a mechanism with a POINTER and VERBATIM is refused, each
// reason at its place.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		file    string
		class   Class
		reasons []string
	}{
		{"../../nmodl/testdata/hh.mod", Clean, nil},
		{"../../nmodl/testdata/sk.mod", Clean, nil},
		{"../../nmodl/importer/testdata/scheme.mod", Notes, []string{
			"scheme.mod:33:2: CONSERVE dropped (neurogen integrates every state of the scheme)"}},
		{"../../nmodl/testdata/cad.mod", Clean, nil},
	} {
		got := classify(t, tc.file)
		if got.Class != tc.class || strings.Join(got.Reasons, "\n") != strings.Join(tc.reasons, "\n") {
			t.Errorf("%s: %s %q, want %s %q", tc.file, got.Class, got.Reasons, tc.class, tc.reasons)
		}
	}

	const refused = `NEURON {
	SUFFIX leaky
	POINTER stim
	NONSPECIFIC_CURRENT i
}
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) stim }
BREAKPOINT {
VERBATIM
	stim = 0;
ENDVERBATIM
	i = g*v
}
`
	got := Classify("leaky.mod", []byte(refused))
	want := []string{"leaky.mod:3:2: POINTER is not imported", "leaky.mod:9:1: VERBATIM is not imported: C code has no spec equivalent"}
	if got.Class != Refused || strings.Join(got.Reasons, "\n") != strings.Join(want, "\n") {
		t.Errorf("leaky.mod: %s %q, want refused %q", got.Class, got.Reasons, want)
	}
}

// TestUnchecked: an imported channel that the checker rejects (a rate that adds a voltage to
// a number) is classed unchecked, with the checker's error; the group declares the ion and
// the temperature the channel reads.
func TestUnchecked(t *testing.T) {
	const ch = `neurogen: 1
channel: bad
ion: K
g: {value: 0.01 S/cm2}
current: "-(g / (S/cm2) * n * (V / mV - E_K / mV) * (mA/cm2))"
gates:
  n:
    inf: "1 / (1 + exp(-(V + 40)/(10*mV)))"
    tau: "3**((T - 279.45*K)/(10*K)) * ms"
`
	row := classifyImported("bad.mod", &importer.Result{Channels: []importer.Channel{{Name: "bad", YAML: []byte(ch)}}})
	want := "group.yaml:9:14: stock channel `bad`: mismatched dimensions in `+`: `V` is mV"
	if row.Class != Unchecked || len(row.Reasons) != 1 || !strings.HasPrefix(row.Reasons[0], want) {
		t.Errorf("got %s %q, want unchecked with %q", row.Class, row.Reasons, want)
	}
}

// TestPrint: the listing, the counts for each directory and for all, and the refused files
// counted once per reason, without the positions and the names in their messages.
func TestPrint(t *testing.T) {
	rows := []Row{
		{Dir: "hay", File: "a.mod", Class: Clean},
		{Dir: "hay", File: "b.mod", Class: Refused, Reasons: []string{"b.mod:3:2: POINTER is not imported", "b.mod:9:2: POINTER is not imported", "b.mod:9:12: w: arrays are not imported"}},
		{Dir: "ca1", File: "c.mod", Class: Refused, Reasons: []string{"c.mod:1:1: POINTER is not imported", "c.mod:5:2: PARAMETER ek has no value"}},
		{Dir: "ca1", File: "d.mod", Class: Notes, Reasons: []string{"d.mod:4:1: CONSERVE dropped"}},
		{Dir: "ca1", File: "e.mod", Class: Refused, Reasons: []string{"e.mod:7:2: PARAMETER gk has no value"}},
	}
	var b strings.Builder
	Print(&b, rows)
	want := `hay/a.mod	clean
hay/b.mod	refused
	b.mod:3:2: POINTER is not imported
	b.mod:9:2: POINTER is not imported
	b.mod:9:12: w: arrays are not imported
ca1/c.mod	refused
	c.mod:1:1: POINTER is not imported
	c.mod:5:2: PARAMETER ek has no value
ca1/d.mod	notes
	d.mod:4:1: CONSERVE dropped
ca1/e.mod	refused
	e.mod:7:2: PARAMETER gk has no value

hay: 2 files: 1 clean, 0 with notes, 0 failing the check, 1 refused
ca1: 3 files: 0 clean, 1 with notes, 0 failing the check, 2 refused
all: 5 files: 1 clean, 1 with notes, 0 failing the check, 3 refused
   2  PARAMETER NAME has no value
   2  POINTER is not imported
   1  arrays are not imported
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}

	b.Reset()
	Print(&b, rows[:1])
	if want := "hay/a.mod\tclean\n\n1 files: 1 clean, 0 with notes, 0 failing the check, 0 refused\n"; b.String() != want {
		t.Errorf("one directory: got %q, want %q", b.String(), want)
	}
}

// TestPoolReadsCao: a calcium pool whose equation reads cao gets C_o from the importer (NEURON's
// cao0_ca_ion, 2 mM); the survey's group gives the pool's entry its E and no second C_o (a
// duplicate key the spec's reader refuses), so the file is clean.
func TestPoolReadsCao(t *testing.T) {
	src, err := os.ReadFile("../../nmodl/testdata/cad.mod")
	if err != nil {
		t.Fatal(err)
	}
	mod := strings.Replace(string(src), "READ ica, cai WRITE cai", "READ ica, cai, cao WRITE cai", 1)
	mod = strings.Replace(mod, "(cainf - cai)/taur", "(cainf*cao/(2 (mM)) - cai)/taur", 1)
	if mod == string(src) {
		t.Fatal("cad.mod changed: the test's edits no longer apply")
	}
	got := Classify("cadao.mod", []byte(mod))
	if got.Class != Clean || len(got.Reasons) != 0 {
		t.Errorf("got %s %q, want clean", got.Class, got.Reasons)
	}
}
