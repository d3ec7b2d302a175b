package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// TestTutorialNMODL follows docs/tutorial/nmodl.md as a reader would, in a directory beside
// this checkout, with the neurogen that the first tutorial installs (go install, up to date
// after TestTutorial and TestReadme): it runs the page's sh blocks in order but the one that
// needs NEURON, writes rs.yaml from the page, and holds the page to what happened:
//   - import writes the three channel specs;
//   - the spec is examples/nmodlport/rs.yaml (whose cell examples/nmodlport holds to NEURON's
//     spikes), apart from that file's leading comment, and check reports it as the page shows;
//   - run and the built binary fire the spikes the page gives, 12, 34, 59 and 84, and without
//     the M current 36, 72, 101 and 125, and the binary writes spikes.csv.
func TestTutorialNMODL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a model program")
	}
	gomodtest.NeedGo(t)
	root := gomodtest.Root(t)
	page := readFile(t, filepath.Join(root, "docs", "tutorial", "nmodl.md"))
	dir := besideCheckout(t, "port")
	env := userEnv(t)
	shell(t, root, env, "go install ./cmd/neurogen")

	var outs []string // the standard output of each sh block run
	cwd := dir
	for _, f := range fences(t, page) {
		switch {
		case f.name == "needs NEURON" || f.name == "output of examples/nmodlport":
		case f.lang == "sh":
			var o string
			o, cwd = shellIn(t, cwd, env, f.text)
			outs = append(outs, o)
		case strings.HasPrefix(f.name, "file "):
			writeFile(t, filepath.Join(cwd, strings.TrimPrefix(f.name, "file ")), f.text)
		case f.name != "":
			t.Fatalf("docs/tutorial/nmodl.md:%d: unknown test mark %q", f.line, f.name)
		}
	}
	if want := filepath.Join(dir, "port"); cwd != want {
		t.Fatalf("the tutorial ends in %s, not in %s", cwd, want)
	}
	if len(outs) != 5 {
		t.Fatalf("%d sh blocks run, want 5 (copy, import, check, run, build)", len(outs))
	}

	if want := "wrote channels/nat.yaml\nwrote channels/kdr.yaml\nwrote channels/im.yaml\n"; outs[1] != want {
		t.Errorf("import printed %q, want %q", outs[1], want)
	}
	spec := readFile(t, filepath.Join(cwd, "rs.yaml"))
	file := readFile(t, filepath.Join(root, "examples", "nmodlport", "rs.yaml"))
	if file[len(leadingComment(file)):] != spec {
		t.Errorf("the page's rs.yaml is not examples/nmodlport/rs.yaml (apart from its leading comment):\n%s", spec)
	}
	if !strings.Contains(page, "```\n"+outs[2]+"```\n") {
		t.Errorf("check printed %q, which the page does not show", outs[2])
	}

	counts := func(out string) []int {
		var n []int
		for _, m := range regexp.MustCompile(`(?m)^ +\d +(\d+) +\d+ +[\d.]+$`).FindAllStringSubmatch(out, -1) {
			k, _ := strconv.Atoi(m[1])
			n = append(n, k)
		}
		return n
	}
	adapting, steady := []int{12, 34, 59, 84}, []int{36, 72, 101, 125}
	runs := strings.Split(outs[4], "PospischilRS (staggered)")
	if got := counts(outs[3]); !slices.Equal(got, adapting) {
		t.Errorf("neurogen run fired %v spikes, want %v:\n%s", got, adapting, outs[3])
	}
	if len(runs) != 3 || !slices.Equal(counts(runs[1]), adapting) || !slices.Equal(counts(runs[2]), steady) {
		t.Errorf("the built binary fired %v spikes and %v without the M current, want %v and %v:\n%s",
			counts(runs[min(1, len(runs)-1)]), counts(runs[len(runs)-1]), adapting, steady, outs[4])
	}
	for _, s := range []string{"They fire 12, 34, 59 and 84 spikes", "fires\n36, 72, 101 and 125 spikes"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page no longer says %q", s)
		}
	}
	if b, err := os.ReadFile(filepath.Join(cwd, "spikes.csv")); err != nil || strings.Count(string(b), "\n") != 1+12+34+59+84 {
		t.Errorf("spikes.csv: %v, %d lines; want a header and 189 spikes", err, strings.Count(string(b), "\n"))
	}
}
