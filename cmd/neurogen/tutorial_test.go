package main

import (
	"bytes"
	"fmt"
	"go/format"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/runtime"
)

// TestTutorial follows docs/tutorial.md as a reader would, in a directory beside this
// checkout: it runs every sh block of the page in order, as it is written (without the clone
// of step 1: the checkout is already there), makes the edit of step 3 from the page's own
// lines, and writes step 6's main.go from the page. Then it holds the page's text to what
// happened:
//   - step 1 installs a neurogen that prints its version;
//   - the spec step 3 makes is docs/tutorial/hh52m.yaml (the file the page links to and the
//     figure is drawn from), apart from its leading comment;
//   - breaking its tau as the page says gives exactly the error the page shows;
//   - the one-line stock channel gives the same spikes, to the page's tolerance;
//   - show computes the M gate's inf as the sodium h gate's beta, as step 4 says;
//   - step 5 writes the figure and the recording, and the run behaves as the page says: the
//     M-current silences neuron 0 (15 uA/cm2) for more than 100 ms after its first spikes,
//     makes neurons 1 to 3 fire less than HH52 at the same input, and lengthens neuron 1's
//     intervals as it builds up;
//   - step 6's program prints the spike count of the same group run by neurogen run.
func TestTutorial(t *testing.T) {
	gomodtest.NeedGo(t)
	root := gomodtest.Root(t)
	page := readFile(t, filepath.Join(root, "docs", "tutorial.md"))
	dir := besideCheckout(t, "tutorial")
	env := userEnv(t)

	// Follow the page.
	out := map[int]string{} // the standard output of the sh blocks of each step
	var channel string      // the lines of the channel M that step 3 adds
	cwd := dir
	for _, f := range fences(t, page) {
		switch {
		case f.lang == "sh":
			script := f.text
			if strings.Contains(script, cloneLine) {
				script = withoutClone(t, script)
			}
			var o string
			o, cwd = shellIn(t, cwd, env, script)
			out[f.step] += o
		case f.name == "edit hh52m.yaml":
			path := filepath.Join(cwd, "hh52m.yaml")
			var spec string
			spec, channel = editSpec(t, readFile(t, path), f.text)
			writeFile(t, path, spec)
		case strings.HasPrefix(f.name, "file "):
			name := strings.TrimPrefix(f.name, "file ")
			if src, err := format.Source([]byte(f.text)); strings.HasSuffix(name, ".go") && (err != nil || string(src) != f.text) {
				t.Errorf("docs/tutorial.md:%d: %s is not gofmt-formatted (%v)", f.line, name, err)
			}
			writeFile(t, filepath.Join(cwd, name), f.text)
		case f.name != "" && f.name != "stock M":
			t.Fatalf("docs/tutorial.md:%d: unknown test mark %q", f.line, f.name)
		}
	}
	work := filepath.Join(dir, "tutorial")
	if cwd != work {
		t.Fatalf("the tutorial ends in %s, not in %s", cwd, work)
	}
	if channel == "" {
		t.Fatal("the tutorial has no edit marked <!-- test: edit hh52m.yaml -->")
	}

	// Step 1.
	version := regexp.MustCompile(`^neurogen \S+\nruntime API ` + strconv.Itoa(runtime.APIVersion) + `\nbuilt with go\S*\n$`)
	if !version.MatchString(out[1]) {
		t.Errorf("step 1 printed %q, want neurogen version's three lines", out[1])
	}
	if !strings.Contains(out[2], "HH52 (exp_auto): 4 neurons, 300 ms") {
		t.Errorf("step 2 printed no summary of 4 HH52 neurons:\n%s", out[2])
	}

	// Step 3: the reader's spec is the page's file.
	spec := readFile(t, filepath.Join(work, "hh52m.yaml"))
	file := readFile(t, filepath.Join(root, "docs", "tutorial", "hh52m.yaml"))
	if a, b := leadingComment(spec), leadingComment(file); strings.Count(a, "\n") != strings.Count(b, "\n") || spec[len(a):] != file[len(b):] {
		t.Errorf("step 3 makes a spec that is not docs/tutorial/hh52m.yaml (apart from a comment of as many lines):\n%s", spec)
	}

	// Step 3's error, for the edit the page describes.
	shown := regexp.MustCompile("(?m)^```\n\\$ (neurogen check hh52m\\.yaml)\n(.*\n)```$").FindStringSubmatch(page)
	if shown == nil {
		t.Fatal("the tutorial shows no `$ neurogen check hh52m.yaml` and its output")
	}
	if !strings.Contains(page, "`tau: 400 / (...)`, forgetting the `*ms`") {
		t.Fatal("the tutorial no longer says which slip gives its error")
	}
	bad := strings.Replace(spec, "tau: 400*ms / (", "tau: 400 / (", 1)
	if bad == spec {
		t.Fatal("the tutorial's spec has no tau: 400*ms / (…) to break")
	}
	writeFile(t, filepath.Join(work, "bad", "hh52m.yaml"), bad)
	cmd := exec.Command("bash", "-c", shown[1])
	cmd.Dir, cmd.Env = filepath.Join(work, "bad"), env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != exitError || stderr.String() != shown[2] {
		t.Errorf("%s with tau: 400 / (…): %v, stderr %q; the tutorial shows %q", shown[1], err, stderr.String(), shown[2])
	}

	// Step 3's stock channel: the same spikes as the channel written out, and HH52's beside them
	// for step 5.
	stock := markedBlock(t, page, "stock M")
	if !strings.Contains(spec, channel) {
		t.Fatal("the spec lacks the channel of step 3")
	}
	writeFile(t, filepath.Join(work, "stock", "hh52m.yaml"), strings.Replace(spec, channel, stock, 1))
	spikes := map[string]map[int][]float64{}
	for _, m := range []string{"hh52m.yaml", "stock/hh52m.yaml", "hh52.yaml"} {
		csv := filepath.Join(work, strings.ReplaceAll(m, "/", "-")+".csv")
		code, _, stderr := neurogen(t, nil, "run", filepath.Join(work, m), "-n", "4", "-t", "300ms",
			"-set", "I_ext=linspace(15uA/cm2, 45uA/cm2)", "-spikes", csv)
		if code != exitOK {
			t.Fatalf("neurogen run %s: exit %d: %s", m, code, stderr)
		}
		spikes[m] = readSpikes(t, csv)
	}
	if !strings.Contains(page, "their times agree to 1e-10 ms") {
		t.Error("the tutorial no longer says how closely the stock channel's spikes agree")
	}
	m, s, h := spikes["hh52m.yaml"], spikes["stock/hh52m.yaml"], spikes["hh52.yaml"]
	for i := range 4 {
		if len(m[i]) != len(s[i]) {
			t.Errorf("neuron %d: %d spikes with the channel written out, %d with IKNI_Ya1989", i, len(m[i]), len(s[i]))
			continue
		}
		for k := range m[i] {
			if d := math.Abs(m[i][k] - s[i][k]); !(d <= 1e-10) {
				t.Errorf("neuron %d, spike %d: at %v ms with the channel written out, %v ms with IKNI_Ya1989", i, k, m[i][k], s[i][k])
			}
		}
	}

	// Step 4.
	if !strings.Contains(page, "`M_p_inf [1] = Na_h_beta`") || !strings.Contains(out[4], "\n  M_p_inf [1] = Na_h_beta\n") {
		t.Errorf("step 4: the page says show computes M_p_inf as Na_h_beta; show printed:\n%s", out[4])
	}

	// Step 5.
	if png, err := os.ReadFile(filepath.Join(work, "hh52m.png")); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("step 5 wrote no PNG hh52m.png (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(work, "hh52m.npz")); err != nil {
		t.Errorf("step 5 wrote no recording: %v", err)
	}
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
	if s, n := m[1], len(m[1]); n < 5 || !(s[n-1]-s[n-2] > 1.03*(s[2]-s[1])) {
		t.Errorf("neuron 1 spikes at %v: want its last interval more than 3%% longer than its second", s)
	} else {
		t.Logf("neuron 1: %d spikes (HH52: %d), intervals from %.2f to %.2f ms", n, len(h[1]), s[2]-s[1], s[n-1]-s[n-2])
	}

	// Step 6: the program's group, run by neurogen run.
	csv := filepath.Join(work, "step6.csv")
	if code, _, stderr := neurogen(t, nil, "run", filepath.Join(work, "hh52m.yaml"), "-n", "1000", "-t", "300ms",
		"-set", "I_ext=linspace(15uA/cm2, 45uA/cm2)", "-set", "M.g_max=2mS/cm2", "-spikes", csv); code != exitOK {
		t.Fatalf("neurogen run of step 6's group: exit %d: %s", code, stderr)
	}
	n := 0
	for _, times := range readSpikes(t, csv) {
		n += len(times)
	}
	if want := fmt.Sprintf("%d spikes\n", n); out[6] != want {
		t.Errorf("step 6's program printed %q; neurogen run of its group gives %q", out[6], want)
	}
}

// editSpec makes in spec the edit of the tutorial's step 3, whose lines are edit: the model
// line, "...", the lines of a channel, "...". It replaces the spec's model line by the first
// and puts the channel before the channel L, and returns the result and the channel's lines.
func editSpec(t *testing.T, spec, edit string) (edited, channel string) {
	t.Helper()
	parts := strings.Split(edit, "...\n")
	if len(parts) != 3 || parts[2] != "" || !regexp.MustCompile(`^model: \w+\n$`).MatchString(parts[0]) ||
		!strings.HasPrefix(parts[1], "  M:\n") {
		t.Fatalf("the edit of step 3 is not a model line, ..., a channel M, ...:\n%s", edit)
	}
	model := regexp.MustCompile(`(?m)^model: \w+\n`)
	if len(model.FindAllString(spec, -1)) != 1 || strings.Count(spec, "\n  L:\n") != 1 {
		t.Fatalf("the spec of step 3 has not one model line and one channel L:\n%s", spec)
	}
	spec = model.ReplaceAllLiteralString(spec, parts[0])
	return strings.Replace(spec, "\n  L:\n", "\n"+parts[1]+"  L:\n", 1), parts[1]
}

// leadingComment returns the comment lines at the start of a YAML file.
func leadingComment(s string) string {
	n := 0
	for strings.HasPrefix(s[n:], "#") {
		end := strings.IndexByte(s[n:], '\n')
		if end < 0 {
			return s
		}
		n += end + 1
	}
	return s[:n]
}
