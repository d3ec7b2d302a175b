package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTutorial holds docs/tutorial.md to what neurogen does with its spec
// (docs/tutorial/hh52m.yaml): the spec checks; the unit error the page shows is the one
// printed for the edit it describes; the page's Go field name exists in the generated package;
// and the run behaves as the page says: the M-current silences neuron 0 (15 uA/cm2) for more
// than 100 ms after its first spikes, makes neurons 1 to 3 fire less than HH52 at the same
// input, and lengthens neuron 1's intervals as it builds up.
func TestTutorial(t *testing.T) {
	root := filepath.Join("..", "..")
	page, err := os.ReadFile(filepath.Join(root, "docs", "tutorial.md"))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile(filepath.Join(root, "docs", "tutorial", "hh52m.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	hh52Spec, err := os.ReadFile(hh52(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	writeFile(t, "hh52m.yaml", string(spec))
	writeFile(t, "hh52.yaml", string(hh52Spec))
	if code, _, stderr := neurogen(t, nil, "check", "hh52m.yaml"); code != exitOK {
		t.Fatalf("neurogen check of the tutorial's spec: exit %d: %s", code, stderr)
	}

	// The error of section 3.
	want := regexp.MustCompile(`(?m)^hh52m\.yaml:\d+:\d+: .*$`).FindString(string(page))
	if want == "" {
		t.Fatal("the tutorial shows no error of hh52m.yaml")
	}
	bad := strings.Replace(string(spec), "tau: 400*ms / ", "tau: 400 / ", 1)
	if bad == string(spec) {
		t.Fatal("the tutorial's spec has no tau: 400*ms / … to break")
	}
	writeFile(t, "bad/hh52m.yaml", bad)
	t.Chdir("bad")
	code, _, stderr := neurogen(t, nil, "check", "hh52m.yaml")
	t.Chdir("..")
	if code != exitError || stderr != want+"\n" {
		t.Errorf("neurogen check of the spec without *ms: exit %d, stderr %q; the tutorial shows %q", code, stderr, want)
	}

	// The Go of section 6.
	if code, _, stderr := neurogen(t, nil, "gen", "hh52m.yaml", "-o", "hh52m"); code != exitOK {
		t.Fatalf("neurogen gen: %s", stderr)
	}
	src, err := os.ReadFile(filepath.Join("hh52m", "hh52m.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "g.Params.MGMax = 2") || !strings.Contains(string(src), "\tMGMax float64\n") {
		t.Error("the tutorial's g.Params.MGMax is not a field of the generated Params")
	}

	// The run of section 5, and HH52 beside it.
	spikes := map[string]map[int][]float64{}
	for _, m := range []string{"hh52m", "hh52"} {
		code, _, stderr := neurogen(t, nil, "run", m+".yaml", "-n", "4", "-t", "300ms", "-method", "staggered",
			"-set", "I_ext=linspace(15uA/cm2, 45uA/cm2)", "-spikes", m+".csv")
		if code != exitOK {
			t.Fatalf("neurogen run %s: exit %d: %s", m, code, stderr)
		}
		spikes[m] = readSpikes(t, m+".csv")
	}
	m, h := spikes["hh52m"], spikes["hh52"]
	longest := 0.0
	for k := 1; k < len(m[0]); k++ {
		longest = max(longest, m[0][k]-m[0][k-1])
	}
	if len(m[0]) < 2 || longest < 100 {
		t.Errorf("neuron 0 (15 uA/cm2) spikes at %v: want a silence of more than 100 ms between spikes", m[0])
	}
	for i := 1; i < 4; i++ {
		if len(m[i]) >= len(h[i]) {
			t.Errorf("neuron %d: %d spikes with the M-current, %d without: want fewer", i, len(m[i]), len(h[i]))
		}
	}
	s := m[1]
	if n := len(s); n < 5 || !(s[n-1]-s[n-2] > 1.03*(s[2]-s[1])) {
		t.Errorf("neuron 1 spikes at %v: want its last interval more than 3%% longer than its second", s)
	} else {
		t.Logf("neuron 1: %d spikes (HH52: %d), intervals from %.2f to %.2f ms", n, len(h[1]), s[2]-s[1], s[n-1]-s[n-2])
	}
}
