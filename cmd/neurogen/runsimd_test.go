package main

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/internal/progbuild"
)

// TestRunSIMD: neurogen run -simd builds the four-lane program (GOEXPERIMENT=simd) and gives
// the spikes of the plain program bit for bit, on 9 neurons (two vectors and one left to the
// scalar loop); -float32 keeps them within 2e-3 ms with none gained or lost; each summary names
// its variant; -simd with a method that has no four-lane form says so.
func TestRunSIMD(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := t.TempDir()
	t.Chdir(dir)
	copySpec(t, "hh52.yaml")
	runs := map[string]map[int][]float64{}
	for _, flags := range []string{"", "-simd", "-float32"} {
		args := []string{"run", "hh52.yaml", "-n", "9", "-t", "300ms", "-set", "I_ext=linspace(2uA/cm2, 30uA/cm2)", "-spikes", "s.csv"}
		if flags != "" {
			args = append(args, flags)
		}
		code, stdout, stderr := neurogen(t, nil, args...)
		if code != exitOK {
			t.Fatalf("neurogen %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		runs[flags] = readSpikes(t, "s.csv")
		// The summary says which variant ran.
		head := map[string]string{"": "HH52 (exp_auto): 9 neurons", "-simd": "HH52 (exp_auto, simd): 9 neurons", "-float32": "HH52 (exp_auto, float32): 9 neurons"}[flags]
		if !strings.HasPrefix(stdout, head) {
			t.Errorf("neurogen %s: the summary does not begin %q:\n%s", strings.Join(args, " "), head, stdout)
		}
	}
	plain, total := runs[""], 0
	for i, ts := range plain {
		total += len(ts)
		for name, r := range map[string]map[int][]float64{"-simd": runs["-simd"], "-float32": runs["-float32"]} {
			if len(r[i]) != len(ts) {
				t.Fatalf("%s: neuron %d has %d spikes, %d without", name, i, len(r[i]), len(ts))
			}
			for k := range ts {
				d := math.Abs(r[i][k] - ts[k])
				if name == "-simd" && d != 0 || d > 2e-3 {
					t.Errorf("%s: neuron %d, spike %d at %v, %v without", name, i, k, r[i][k], ts[k])
				}
			}
		}
	}
	if total < 20 {
		t.Errorf("%d spikes: too few to compare", total)
	}
	// The program has the four-lane file and was built with the experiment.
	if code, _, stderr := neurogen(t, nil, "run", "hh52.yaml", "-simd", "-keep", "k"); code != exitOK {
		t.Fatalf("run -simd -keep: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join("k", "model", "hh52_x4.go")); err != nil {
		t.Errorf("the -simd program has no four-lane file: %v", err)
	}
	info := gomodtest.Run(t, ".", nil, "version", "-m", filepath.Join("k", "bin", progbuild.ExeName("hh52")))
	if !strings.Contains(info, "GOEXPERIMENT=simd") {
		t.Errorf("the -simd program was not built with GOEXPERIMENT=simd:\n%s", info)
	}
	// neurogen build takes the -float32 program from the cache; it and its summary name the
	// variant.
	code, stdout, stderr := neurogen(t, nil, "build", "hh52.yaml", "-float32", "-o", "hhf")
	if want := "wrote hhf, the HH52 model (exp_auto, float32); hhf -h lists its flags\n"; code != exitOK || stdout != want {
		t.Errorf("build -float32: exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, want)
	}
	out, err := exec.Command("./hhf", "-t", "1ms").CombinedOutput()
	if want := "HH52 (exp_auto, float32): 1 neuron, 1 ms in 40 steps of 0.025 ms\n"; err != nil || !strings.HasPrefix(string(out), want) {
		t.Errorf("hhf -t 1ms: %v, output %q; want it to begin %q", err, out, want)
	}
	code, _, stderr = neurogen(t, nil, "run", "hh52.yaml", "-simd", "-method", "rk4")
	if code != exitError || !strings.Contains(stderr, "SIMD code is generated for the exp_auto and staggered methods, not rk4") {
		t.Errorf("run -simd -method rk4: exit %d, stderr %q", code, stderr)
	}
}
