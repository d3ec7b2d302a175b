package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportNMODL: import writes a channel spec per current of NEURON's hh.mod, prints their
// paths and notes what it dropped, and an ion's entry for a calcium pool (cad.mod); a file
// with refused constructs gives their errors, exit status 1 and no file.
func TestImportNMODL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "specs")
	hh := filepath.Join("..", "..", "nmodl", "testdata", "hh.mod")
	code, stdout, stderr := neurogen(t, nil, "import", hh, "-o", dir)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var want string
	for _, ch := range []string{"hh_ik", "hh_il", "hh_ina"} {
		want += "wrote " + filepath.Join(dir, ch+".yaml") + "\n"
	}
	if stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if w := "note: " + hh + ":82:2: TABLE dropped"; !strings.Contains(stderr, w) {
		t.Errorf("stderr %q lacks %q", stderr, w)
	}
	b, err := os.ReadFile(filepath.Join(dir, "hh_il.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"channel: hh_il\n", "gl: {value: 0.0003 S/cm2, doc: \"NEURON's range <0, 1e+09>\"}\n", "el: {value: -54.3 mV}\n",
		`current: "-(gl / (S/cm2) * (V / mV - el / mV) * (mA/cm2))"`} {
		if !strings.Contains(string(b), l) {
			t.Errorf("hh_il.yaml lacks %q:\n%s", l, b)
		}
	}

	// -q: the same files, and nothing printed.
	quiet := filepath.Join(t.TempDir(), "quiet")
	code, stdout, stderr = neurogen(t, nil, "import", "-q", hh, "-o", quiet)
	if code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("import -q: exit %d, stdout %q, stderr %q; want 0 and nothing printed", code, stdout, stderr)
	}
	if q, err := os.ReadFile(filepath.Join(quiet, "hh_il.yaml")); err != nil || string(q) != string(b) {
		t.Errorf("import -q wrote another hh_il.yaml (%v):\n%s", err, q)
	}

	// A calcium pool: an ion file, cad.yaml, that a group spec's ion Ca takes with use:.
	cad := filepath.Join("..", "..", "nmodl", "testdata", "cad.mod")
	code, stdout, stderr = neurogen(t, nil, "import", cad, "-o", dir)
	if want := "wrote " + filepath.Join(dir, "cad.yaml") + "\n"; code != exitOK || stdout != want ||
		!strings.Contains(stderr, "note: "+cad+":53:2: cai' = ...: the dynamics of ion Ca (dCa_i/dt), in cad.yaml\n") {
		t.Errorf("exit %d, stdout %q (want %q), stderr %q", code, stdout, want, stderr)
	}
	b, err = os.ReadFile(filepath.Join(dir, "cad.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"\nneurogen: 1\nion: Ca\n", "\nC_i: 0.0001 mM", "\ntaur: {value: 200 ms}\n", "\ndynamics: "} {
		if !strings.Contains(string(b), l) {
			t.Errorf("cad.yaml lacks %q:\n%s", l, b)
		}
	}

	// A synaptic POINT_PROCESS is written as a receptor file.
	syn := filepath.Join("..", "..", "nmodl", "importer", "testdata", "expsyn.mod")
	code, stdout, stderr = neurogen(t, nil, "import", syn, "-o", dir)
	if want := "wrote " + filepath.Join(dir, "ExpSyn.yaml") + "\n"; code != 0 || stdout != want ||
		!strings.Contains(stderr, "note: "+syn+":12:2: POINT_PROCESS ExpSyn: a receptor, in ExpSyn.yaml\n") {
		t.Errorf("exit %d, stdout %q (want %q), stderr %q", code, stdout, want, stderr)
	}
	b, err = os.ReadFile(filepath.Join(dir, "ExpSyn.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"\nneurogen: 1\nreceptor: ExpSyn\n", "\ntau: {value: 0.1 ms", "\n  g: {deriv: ", "\nevent: \"g += w\"\n"} {
		if !strings.Contains(string(b), l) {
			t.Errorf("ExpSyn.yaml lacks %q:\n%s", l, b)
		}
	}

	bad := filepath.Join("..", "..", "nmodl", "importer", "testdata", "refused.mod")
	out := t.TempDir()
	code, stdout, stderr = neurogen(t, nil, "import", bad, "-o", out)
	if code != exitError || stdout != "" || !strings.HasPrefix(stderr, bad+":3:2: ARTIFICIAL_CELL is not imported") || strings.Count(stderr, "\n") != 10 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if files, _ := os.ReadDir(out); len(files) != 0 {
		t.Errorf("wrote %d files for a refused mechanism", len(files))
	}
}
