package main

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// spikingRun is a run of HH52 of 300 ms, 12000 steps: 100 neurons with inputs from 0 to
// 20 uA/cm2, some silent, some spiking once, most regularly, every spike written to spikes.
func spikingRun(spec, spikes string) []string {
	return []string{"run", spec, "-n", "100", "-t", "300ms", "-set", "I_ext=linspace(0uA/cm2, 20uA/cm2)", "-spikes", spikes}
}

// TestRunSummarySpikes checks the totals of the summary, the mean rate and the CV of the
// interspike intervals, against the spikes file of the same run.
func TestRunSummarySpikes(t *testing.T) {
	gomodtest.NeedGo(t)
	dir := t.TempDir()
	spikes := filepath.Join(dir, "spikes.csv")
	code, stdout, stderr := neurogen(t, nil, spikingRun(hh52(t), spikes)...)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen run: exit %d, stderr:\n%s", code, stderr)
	}
	active, regular := checkSummarySpikes(t, stdout, spikes, 100, 300)
	if regular < 10 || regular == active || active == 100 {
		t.Errorf("%d neurons spike, %d of them 3 times or more: the run should have silent neurons, "+
			"neurons with fewer than 3 spikes and many regular ones", active, regular)
	}

	// One neuron at 10 uA/cm2: a spike after about 2 ms, then one every 14 ms or so; in 10 ms
	// one spike, no CV; in 50 ms four, and the CV of that neuron.
	for _, tc := range []struct {
		t        string
		duration float64
		regular  int
	}{{"10ms", 10, 0}, {"50ms", 50, 1}} {
		code, stdout, stderr := neurogen(t, nil, "run", hh52(t), "-t", tc.t, "-set", "I_ext=10uA/cm2", "-spikes", spikes)
		if code != exitOK || stderr != "" {
			t.Fatalf("neurogen run -t %s: exit %d, stderr:\n%s", tc.t, code, stderr)
		}
		if _, regular := checkSummarySpikes(t, stdout, spikes, 1, tc.duration); regular != tc.regular {
			t.Errorf("-t %s: %d neurons with 3 spikes or more, want %d", tc.t, regular, tc.regular)
		}
	}
}

// spikeTimes reads a spikes CSV file: the spike times of each neuron, in increasing order. The
// file is in the order of the steps; within a step, in the order of the neurons, whose
// interpolated times within the step may be in any order.
func spikeTimes(t *testing.T, path string) map[int][]float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if lines[0] != "neuron,time_ms" {
		t.Fatalf("%s: no header neuron,time_ms", path)
	}
	spikes := map[int][]float64{}
	for _, line := range lines[1:] {
		a, b, _ := strings.Cut(line, ",")
		i, err1 := strconv.Atoi(a)
		tm, err2 := strconv.ParseFloat(b, 64)
		if err1 != nil || err2 != nil || len(spikes[i]) > 0 && tm <= spikes[i][len(spikes[i])-1] {
			t.Fatalf("%s: bad line %q (each neuron's spikes in time order)", path, line)
		}
		spikes[i] = append(spikes[i], tm)
	}
	return spikes
}

// cvLine matches the summary's totals and its CV of interspike intervals.
var cvLine = regexp.MustCompile(`\ntotal: (\d+) spikes, .*\nCV of interspike intervals: (?:(\S+) \((?:mean over the (\d+) neurons|of the (one) neuron) with 3 or more spikes\)|- \(no neuron has 3 or more spikes\))\n`)

// checkSummarySpikes checks the summary's totals of a run of n neurons for duration ms against
// its spikes file: the spike count, the mean rate and the mean CV of the interspike intervals
// over the neurons with 3 spikes or more (each neuron's CV the population standard deviation
// of its intervals over their mean). It returns the number of neurons that spike, and of those
// with 3 spikes or more.
func checkSummarySpikes(t *testing.T, summary, spikesPath string, n int, duration float64) (active, regular int) {
	t.Helper()
	t.Logf("summary:\n%s", summary)
	spikes := spikeTimes(t, spikesPath)
	total, cvSum := 0, 0.0
	for _, times := range spikes {
		total += len(times)
		if len(times) < 3 {
			continue
		}
		isi := make([]float64, len(times)-1)
		for k := range isi {
			isi[k] = times[k+1] - times[k]
		}
		mean, sd := stat.PopMeanStdDev(isi, nil)
		cvSum += sd / mean
		regular++
	}
	if total == 0 {
		t.Fatalf("the run has no spikes, and the summary no CV")
	}

	m := cvLine.FindStringSubmatch(summary)
	if m == nil {
		t.Fatalf("the summary has no totals with the CV of interspike intervals")
	}
	if m[1] != strconv.Itoa(total) {
		t.Errorf("the summary's total is %s spikes, the file has %d", m[1], total)
	}
	rate := regexp.MustCompile(`, mean rate (\S+) Hz\n`).FindStringSubmatch(summary)
	if rate == nil {
		t.Fatalf("the summary has no mean rate")
	}
	checkPrinted(t, "mean rate", rate[1], float64(total)/float64(n)/(duration/1000))
	switch over := m[3] + strings.Replace(m[4], "one", "1", 1); {
	case regular == 0 && m[2] != "":
		t.Errorf("the summary has a CV of %s; no neuron has 3 spikes", m[2])
	case regular > 0 && over != strconv.Itoa(regular):
		t.Errorf("the summary's CV is over %q neurons, the file has %d with 3 spikes or more", over, regular)
	case regular > 0:
		checkPrinted(t, "CV", m[2], cvSum/float64(regular))
	}
	return len(spikes), regular
}

// checkPrinted checks a number that the summary prints with 4 significant digits against
// want: within half a unit of the 4th digit.
func checkPrinted(t *testing.T, name, text string, want float64) {
	t.Helper()
	got, err := strconv.ParseFloat(text, 64)
	tol := 0.5001 * math.Pow(10, math.Floor(math.Log10(math.Abs(want)))-3)
	if err != nil || math.Abs(got-want) > tol {
		t.Errorf("the summary's %s is %s; from the spikes file %.6g (± %.2g)", name, text, want, tol)
	}
}
