package main

import (
	"bytes"
	"encoding/xml"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/internal/plotting"
	"github.com/neurogen/neurogen/runtime"
)

// checkPNG decodes the PNG at path and checks that it has the default size of a figure of so
// many panels and holds a drawing: at least minInk of its pixels (and at most half) differ from
// the white background, and the upper panel, where the traces are, is not uniform (its rows
// differ).
func checkPNG(t *testing.T, path string, panels int, minInk float64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	b := img.Bounds()
	if h := plotting.DefaultHeight + (panels-1)*plotting.PanelHeight; b.Dx() != plotting.DefaultWidth || b.Dy() != h {
		t.Fatalf("%s: %d×%d pixels, want %d×%d", path, b.Dx(), b.Dy(), plotting.DefaultWidth, h)
	}
	white := color.RGBAModel.Convert(color.White)
	ink := 0
	rows := map[string]bool{} // the distinct pixel rows of the upper panel's middle
	for y := b.Min.Y; y < b.Max.Y; y++ {
		var row strings.Builder
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if c != white {
				ink++
			}
			if y > b.Dy()/10 && y < b.Dy()/(panels+1) && x > b.Dx()/5 && x < b.Dx()*3/5 {
				row.Write([]byte{c.R, c.G, c.B})
			}
		}
		if row.Len() > 0 {
			rows[row.String()] = true
		}
	}
	if frac := float64(ink) / float64(b.Dx()*b.Dy()); frac < minInk || frac > 0.5 {
		t.Errorf("%s: %.4f of the pixels differ from the background; want %g … 0.5", path, frac, minInk)
	}
	if len(rows) < 20 {
		t.Errorf("%s: the trace panel has %d distinct rows of pixels; want a drawing (≥ 20)", path, len(rows))
	}
}

// svgText parses the SVG at path as XML and returns its number of path elements and its text.
func svgText(t *testing.T, path string) (paths int, text string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var b strings.Builder
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not XML: %v", path, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			if tok.Name.Local == "path" {
				paths++
			}
		case xml.CharData:
			b.Write(tok)
			b.WriteByte('\n')
		}
	}
	if root != "svg" {
		t.Fatalf("%s: root element %q, want svg", path, root)
	}
	return paths, b.String()
}

// countSpikes returns the number of spikes in a spikes CSV file.
func countSpikes(t *testing.T, path string) int {
	n := 0
	for _, ts := range readSpikes(t, path) {
		n += len(ts)
	}
	return n
}

var plotted = regexp.MustCompile(`(?m)^plotted ([^ ]+(?:, [^ ]+)*) of neurons? ([0-9, -]+)( \(the first \d+ of \d+ recorded\))? and (\d+) spikes? of (\d+) neurons? to (.*)$`)

// plottedLine finds the line of a figure in stdout and returns its variables, neurons, spikes,
// group size and file.
func plottedLine(t *testing.T, stdout string) (vars, neurons string, spikes, size int, file string) {
	t.Helper()
	m := plotted.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no line \"plotted …\" in:\n%s", stdout)
	}
	spikes, _ = strconv.Atoi(m[4])
	size, _ = strconv.Atoi(m[5])
	return m[1], m[2], spikes, size, m[6]
}

// TestRunPlot draws HH52 traces with neurogen run -plot and no recording asked for: the
// figure is a PNG of the default size with a drawing in it, of V of the first 8 neurons and
// every spike of the run, and the recording made for it is not left behind.
func TestRunPlot(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	stdout := runOK(t, "run", "hh52.yaml", "-n", "12", "-t", "100ms", "-set", "I_ext=linspace(0uA/cm2, 20uA/cm2)",
		"-spikes", "s.csv", "-plot", "a.png")
	vars, neurons, spikes, size, file := plottedLine(t, stdout)
	if vars != "V" || neurons != "0-7" || file != "a.png" || size != 12 {
		t.Errorf("plotted %s of neurons %q of %d to %q; want V of 0-7 of 12 to a.png", vars, neurons, size, file)
	}
	if want := countSpikes(t, "s.csv"); spikes != want || want == 0 {
		t.Errorf("plotted %d spikes; the run's spikes file has %d", spikes, want)
	}
	if strings.Contains(stdout, "recorded") {
		t.Errorf("the summary reports a recording that only fed the figure:\n%s", stdout)
	}
	checkPNG(t, "a.png", 1, 0.02)
	entries, _ := os.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"a.png", "hh52.yaml", "s.csv"}; !slices.Equal(names, want) {
		t.Errorf("files after the run: %v, want %v", names, want)
	}

	// The same run recorded to an NPZ file gives the same figure through neurogen plot, byte
	// for byte; the NPZ names the model, the group's size and the recorded neurons' input,
	// 20·i/11 uA/cm2 for neuron i, constant from the start.
	runOK(t, "run", "hh52.yaml", "-n", "12", "-t", "100ms", "-set", "I_ext=linspace(0uA/cm2, 20uA/cm2)",
		"-record", "V", "-neurons", "0-7", "-o", "r.npz")
	rec := readNPZ(t, "r.npz")
	if m := rec["model"]; m.Str == nil || *m.Str != "HH52" {
		t.Errorf("the recording's model: %v, want HH52", m.Str)
	}
	if n := rec["group_size"]; !slices.Equal(n.I64, []int64{12}) {
		t.Errorf("the recording's group_size: %v, want [12]", n.I64)
	}
	in, inT := rec["input"], rec["input_t"]
	if !slices.Equal(inT.F64, []float64{0}) || !slices.Equal(in.Shape, []int{1, 8}) {
		t.Fatalf("the recording's input_t %v and input of shape %v; want [0] and [1 8]", inT.F64, in.Shape)
	}
	for i, v := range in.F64 {
		if want := 20 * float64(i) / 11; math.Abs(v-want) > 1e-12 {
			t.Errorf("the recording's input of neuron %d: %g, want %g", i, v, want)
		}
	}
	stdout = runOK(t, "plot", "r.npz")
	if v2, n2, s2, z2, f2 := plottedLine(t, stdout); v2 != "V" || n2 != neurons || s2 != spikes || z2 != size || f2 != "r.png" {
		t.Errorf("neurogen plot r.npz: plotted %s of %q, %d spikes of %d to %q; want V of %q, %d of %d to r.png", v2, n2, s2, z2, f2, neurons, spikes, size)
	}
	if a, b := mustRead(t, "a.png"), mustRead(t, "r.png"); !bytes.Equal(a, b) {
		t.Error("neurogen plot of the run's recording draws another figure than run -plot")
	}
	// The legend gives each neuron's input.
	runOK(t, "plot", "r.npz", "-neurons", "3,7", "-o", "r.svg")
	_, text := svgText(t, "r.svg")
	for _, want := range []string{"neuron 3: I_ext 5.45 uA/cm2", "neuron 7: I_ext 12.7 uA/cm2"} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("the figure has no text %q:\n%s", want, text)
		}
	}
}

// TestRunPlotCSV draws, as SVG, the traces of the neurons of -neurons from a CSV recording
// that -plot adds V to, with the spikes from a temporary file: a panel for V and one for Na.m,
// each labelled, and the legend gives the neurons' input.
func TestRunPlotCSV(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	stdout := runOK(t, "run", "hh52.yaml", "-n", "6", "-t", "50ms", "-set", "I_ext=linspace(0uA/cm2, 20uA/cm2)",
		"-record", "Na.m", "-neurons", "2,5", "-every", "0.1ms", "-o", "r.csv", "-plot", "b.svg")
	vars, neurons, spikes, size, _ := plottedLine(t, stdout)
	if vars != "V, Na.m" || neurons != "2, 5" || size != 6 || spikes == 0 {
		t.Errorf("plotted %s of neurons %q and %d spikes of %d; want V, Na.m of 2, 5 and some spikes of 6", vars, neurons, spikes, size)
	}
	lines := strings.Split(string(mustRead(t, "r.csv")), "\n")
	if lines[0] != "t_ms,neuron,Na.m,V" {
		t.Errorf("the recording's header %q, want V added: t_ms,neuron,Na.m,V", lines[0])
	}
	if want := 2 * 501; len(lines) != want+2 { // header, records (t = 0 to 50 ms), and the final newline
		t.Errorf("%d lines in r.csv, want %d records", len(lines)-2, want)
	}
	paths, text := svgText(t, "b.svg")
	if paths < spikes+4 {
		t.Errorf("%d path elements, want at least one per spike (%d) and trace (2 in 2 panels)", paths, spikes)
	}
	for _, want := range []string{"HH52", "V (mV)", "Na.m", "t (ms)", "neuron 2: I_ext 8 uA/cm2", "neuron 5: I_ext 20 uA/cm2"} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("the figure has no text %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "neuron 3") {
		t.Error("the figure names neuron 3, which was not recorded")
	}
	if entries, _ := os.ReadDir("."); len(entries) != 3 {
		t.Errorf("files after the run: %v, want b.svg, hh52.yaml and r.csv", entries)
	}
}

// TestBinaryPlotStep records, with a built binary, two HH52 neurons driven by a pulse of 10
// uA/cm2 from 20 to 60 ms: the NPZ holds their input as it changes (0, 10, 0 from 0, 20 and 60
// ms), and the figure's legend says so.
func TestBinaryPlotStep(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	runOK(t, "build", "hh52.yaml", "-o", "hh52")
	if out, err := exec.Command("./hh52", "-n", "2", "-t", "100ms", "-I_ext", "step(20ms, 60ms, 10uA/cm2)",
		"-record", "V,K.n", "-o", "p.npz").CombinedOutput(); err != nil {
		t.Fatalf("hh52: %v\n%s", err, out)
	}
	rec := readNPZ(t, "p.npz")
	if in, inT := rec["input"], rec["input_t"]; !slices.Equal(inT.F64, []float64{0, 20, 60}) ||
		!slices.Equal(in.Shape, []int{3, 2}) || !slices.Equal(in.F64, []float64{0, 0, 10, 10, 0, 0}) {
		t.Errorf("the recording's input %v of shape %v from the times %v; want [0 0 10 10 0 0] of [3 2] from [0 20 60]", in.F64, in.Shape, inT.F64)
	}
	if stdout := runOK(t, "plot", "p.npz", "-o", "p.svg"); !strings.HasPrefix(stdout, "plotted V, K.n of neurons 0-1 and ") {
		t.Errorf("stdout %q, want V, K.n of neurons 0-1 plotted", stdout)
	}
	_, text := svgText(t, "p.svg")
	for _, want := range []string{"V (mV)", "K.n", "neuron 0: I_ext 10 uA/cm2 from 20 to 60 ms", "neuron 1: I_ext 10 uA/cm2 from 20 to 60 ms"} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("the figure has no text %q:\n%s", want, text)
		}
	}
}

// writeNPZ writes arrays as an NPZ file.
func writeNPZ(t *testing.T, path string, arrays []runtime.Array) {
	t.Helper()
	var b bytes.Buffer
	if err := runtime.WriteNPZ(&b, arrays); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
}

func str(s string) *string { return &s }

// recordingArrays is a recording of Na.m and V of neurons 1 and 3 of a group of 4, three
// records, with two spikes and the neurons' input, 2.5 and 60/7 uA/cm2, as neurogen run -record
// Na.m,V -neurons 1,3 -o FILE.npz writes it.
func recordingArrays() []runtime.Array {
	return []runtime.Array{
		{Name: "t", Shape: []int{3}, F64: []float64{0.1, 0.2, 0.3}},
		{Name: "step", Shape: []int{3}, I64: []int64{4, 8, 12}},
		{Name: "neurons", Shape: []int{2}, I64: []int64{1, 3}},
		{Name: "Na.m", Shape: []int{3, 2}, F64: []float64{0.05, 0.05, 0.1, 0.9, 0.02, 0.3}},
		{Name: "V", Shape: []int{3, 2}, F64: []float64{-65, -64, -60, 10, -70, -50}},
		{Name: "units", Shape: []int{}, Str: str("t ms\nNa.m 1\nV mV\n")},
		{Name: "every", Shape: []int{}, I64: []int64{4}},
		{Name: "dropped", Shape: []int{}, I64: []int64{0}},
		{Name: "model", Shape: []int{}, Str: str("Toy")},
		{Name: "group_size", Shape: []int{}, I64: []int64{4}},
		{Name: "spike_neuron", Shape: []int{2}, I64: []int64{3, 0}},
		{Name: "spike_time", Shape: []int{2}, F64: []float64{0.19, 0.25}},
		{Name: "input", Shape: []int{1, 2}, F64: []float64{2.5, 60.0 / 7}},
		{Name: "input_t", Shape: []int{1}, F64: []float64{0}},
	}
}

// TestPlotCommand draws a recording written here, not by a run: every variable, V first, a
// panel each; the neurons and variables chosen, the default output name, PNG and SVG.
func TestPlotCommand(t *testing.T) {
	t.Chdir(t.TempDir())
	writeNPZ(t, "r.npz", recordingArrays())
	stdout := runOK(t, "plot", "r.npz")
	if want := "plotted V, Na.m of neurons 1, 3 and 2 spikes of 4 neurons to r.png\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	checkPNG(t, "r.png", 2, 0.005) // axes, labels and two lines of three points in two panels
	stdout = runOK(t, "plot", "-neurons", "3", "r.npz", "-o", "f.SVG")
	if want := "plotted V, Na.m of neuron 3 and 2 spikes of 4 neurons to f.SVG\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	_, text := svgText(t, "f.SVG")
	for _, want := range []string{"Toy", "V (mV)", "Na.m", "neuron 3: I_ext 8.57 uA/cm2"} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("the SVG's text has no %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "neuron 1") || strings.Contains(text, "Na.m (") {
		t.Errorf("the SVG's text names neuron 1, or a unit of a gate:\n%s", text)
	}
	// V comes first: its panel is above Na.m's, above the raster.
	if h := labelHeights(t, "f.SVG", "V (mV)", "Na.m", "neuron"); !(h[0] > h[1] && h[1] > h[2]) {
		t.Errorf("the labels V (mV), Na.m and neuron at heights %v: want them top to bottom", h)
	}
	// -vars chooses the variables and their order.
	stdout = runOK(t, "plot", "r.npz", "-vars", "Na.m", "-o", "m.svg")
	if want := "plotted Na.m of neurons 1, 3 and 2 spikes of 4 neurons to m.svg\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if _, text := svgText(t, "m.svg"); strings.Contains(text, "V (mV)") || !strings.Contains(text, "Na.m\n") {
		t.Errorf("-vars Na.m: the SVG's text:\n%s", text)
	}
	// Without the spikes (a monitor's own NPZ), the raster is empty and the line says so;
	// without the input, the legend names the neurons alone.
	arrays := slices.DeleteFunc(recordingArrays(), func(a runtime.Array) bool {
		return strings.HasPrefix(a.Name, "spike_") || strings.HasPrefix(a.Name, "input")
	})
	writeNPZ(t, "nospikes.npz", arrays)
	if stdout := runOK(t, "plot", "nospikes.npz", "-o", "n.svg"); !strings.Contains(stdout, "and no spikes recorded to n.svg") {
		t.Errorf("stdout %q, want it to say that there are no spikes", stdout)
	}
	if _, text := svgText(t, "n.svg"); !strings.Contains(text, "neuron 1\n") || strings.Contains(text, "I_ext") {
		t.Errorf("without input, the legend:\n%s", text)
	}
	// Of 7 variables, the first 6 are drawn, and the line says so.
	writeNPZ(t, "seven.npz", sevenVars())
	if stdout, want := runOK(t, "plot", "seven.npz"), "plotted V, Na.m, x1, x2, x3, x4 (the first 6 of 7 recorded) of neurons 1, 3 and"; !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout %q, want %q…", stdout, want)
	}
	// A recording without V draws what it has.
	arrays = slices.DeleteFunc(recordingArrays(), func(a runtime.Array) bool { return a.Name == "V" })
	arrays[slices.IndexFunc(arrays, func(a runtime.Array) bool { return a.Name == "units" })].Str = str("t ms\nNa.m 1\n")
	writeNPZ(t, "nov.npz", arrays)
	if stdout := runOK(t, "plot", "nov.npz"); !strings.HasPrefix(stdout, "plotted Na.m of neurons 1, 3 and") {
		t.Errorf("stdout %q, want Na.m plotted", stdout)
	}
}

// sevenVars is recordingArrays with 5 more variables, x1 … x5.
func sevenVars() []runtime.Array {
	arrays := recordingArrays()
	units := "t ms\nNa.m 1\nV mV\n"
	for k := 1; k <= 5; k++ {
		name := "x" + strconv.Itoa(k)
		arrays = append(arrays, runtime.Array{Name: name, Shape: []int{3, 2}, F64: []float64{1, 2, 3, 4, 5, float64(k)}})
		units += name + " mM\n"
	}
	arrays[slices.IndexFunc(arrays, func(a runtime.Array) bool { return a.Name == "units" })].Str = &units
	return arrays
}

// labelHeights returns the heights above the figure's bottom of the vertical axes' labels that
// read texts, in order. gonum/plot's SVG draws the figure in a frame whose y grows upwards, and
// turns such a label a quarter turn (rotate(90)), so that its x attribute is its height.
func labelHeights(t *testing.T, path string, texts ...string) []float64 {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(mustRead(t, path)))
	hs := make([]float64, len(texts))
	found := make([]bool, len(texts))
	var stack []bool // for each open element: whether it or an ancestor is turned
	x := math.NaN()
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			turned := len(stack) > 0 && stack[len(stack)-1]
			x = math.NaN()
			for _, a := range tok.Attr {
				switch a.Name.Local {
				case "transform":
					turned = turned || strings.Contains(a.Value, "rotate(90)")
				case "x":
					x, _ = strconv.ParseFloat(a.Value, 64)
				}
			}
			stack = append(stack, turned)
			if !turned {
				x = math.NaN()
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if k := slices.Index(texts, string(tok)); k >= 0 && !found[k] && !math.IsNaN(x) {
				hs[k], found[k] = x, true
			}
		}
	}
	for k, ok := range found {
		if !ok {
			t.Fatalf("%s: no vertical label %q", path, texts[k])
		}
	}
	return hs
}

// TestInputText checks the legend's words for a neuron's input: a constant, a step from 0
// and back, a start from 0, and any other schedule.
func TestInputText(t *testing.T) {
	d := &recording{
		neurons: []int{0, 1, 2, 3},
		inputT:  []float64{0, 50, 150},
		inputs:  [][]float64{{8.571428, 0, 0, 1}, {8.571428, 10, 10, 2}, {8.571428, 0, 10, 3}},
	}
	for c, want := range []string{
		"I_ext 8.57 uA/cm2",
		"I_ext 10 uA/cm2 from 50 to 150 ms",
		"I_ext 10 uA/cm2 from 50 ms",
		"I_ext 1, 2 from 50 ms, 3 from 150 ms (uA/cm2)",
	} {
		if got := d.inputText(c); got != want {
			t.Errorf("neuron %d: %q, want %q", c, got, want)
		}
	}
	if got := (&recording{neurons: []int{0}}).inputText(0); got != "" {
		t.Errorf("no input known: %q, want nothing", got)
	}
}

// TestPlotErrors checks the errors of neurogen plot and of run -plot: unknown extensions,
// unreadable and non-NPZ files, NPZ files without V, neurons not recorded.
func TestPlotErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	writeNPZ(t, "r.npz", recordingArrays())
	withoutV := slices.DeleteFunc(recordingArrays(), func(a runtime.Array) bool { return a.Name == "V" })
	writeNPZ(t, "nov.npz", withoutV)
	writeNPZ(t, "seven.npz", sevenVars())
	novars := slices.DeleteFunc(recordingArrays(), func(a runtime.Array) bool { return len(a.Shape) == 2 || a.Name == "units" })
	writeNPZ(t, "novars.npz", novars)
	badShape := recordingArrays()
	badShape[4].Shape = []int{2, 3}
	writeNPZ(t, "shape.npz", badShape)
	writeNPZ(t, "state.npz", []runtime.Array{{Name: "__meta__", Shape: []int{}, Str: str(`{"format":"neurogen-state"}`)},
		{Name: "group.V", Shape: []int{1}, F64: []float64{-65}}})
	writeNPZ(t, "other.npz", []runtime.Array{{Name: "x", Shape: []int{1}, F64: []float64{1}}})
	writeFile(t, "fake.npz", "not a zip file")
	if err := os.Mkdir("dir.npz", 0o777); err != nil {
		t.Fatal(err)
	}
	const usage = "run 'neurogen plot -h' for usage\n"
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"plot"}, exitUsage, "neurogen plot: missing FILE.npz\n" + usage},
		{[]string{"plot", "r.npz", "s.npz"}, exitUsage, `neurogen plot: unexpected argument "s.npz" (one FILE.npz at a time)` + "\n" + usage},
		{[]string{"plot", "r.npz", "-o", "r.pdf"}, exitUsage, "neurogen plot: -o r.pdf: name the figure FILE.png or FILE.svg: the extension picks the format\n" + usage},
		{[]string{"plot", "r.npz", "-o", "./r.npz"}, exitUsage, "neurogen plot: -o ./r.npz: name the figure FILE.png or FILE.svg: the extension picks the format\n" + usage},
		{[]string{"plot", "f.png"}, exitUsage, "neurogen plot: f.png: the figure would replace the recording: name it with -o\n" + usage},
		{[]string{"plot", "f.png", "-o", "./f.png"}, exitUsage, "neurogen plot: -o ./f.png names the recording itself\n" + usage},
		{[]string{"plot", "-"}, exitUsage, "neurogen plot: plot reads a recording from a file, not the standard input\n" + usage},
		{[]string{"plot", "r.npz", "-neurons", "1,2"}, exitUsage, "neurogen plot: -neurons 1,2: neuron 2 is not in r.npz, which records 2 neurons 1, 3\n" + usage},
		{[]string{"plot", "r.npz", "-neurons", "x"}, exitUsage, `neurogen plot: invalid value "x" for flag -neurons: "x" is neither an index nor a range: want all, or indices and ranges such as 0,3,10-19` + "\n" + usage},
		{[]string{"plot", "missing.npz"}, exitError, "neurogen plot: open missing.npz: no such file or directory\n"},
		{[]string{"plot", "dir.npz"}, exitError, "neurogen plot: dir.npz is a directory, not a recording\n"},
		{[]string{"plot", "fake.npz"}, exitError, "neurogen plot: fake.npz: not a readable NPZ (zip) file: zip: not a valid zip file\n"},
		{[]string{"plot", "r.npz", "-vars", "Na.h"}, exitUsage, "neurogen plot: -vars Na.h: r.npz does not record `Na.h` (did you mean `Na.m`?)\n" + usage},
		{[]string{"plot", "r.npz", "-vars", "V,M.p"}, exitUsage, "neurogen plot: -vars V,M.p: r.npz does not record `M.p`: it records V, Na.m\n" + usage},
		{[]string{"plot", "seven.npz", "-vars", "x1,x2,x3,x4,x5,V,Na.m"}, exitUsage, "neurogen plot: -vars x1,x2,x3,x4,x5,V,Na.m: 7 variables, and a figure draws at most 6\n" + usage},
		{[]string{"plot", "r.npz", "-vars", "V,V"}, exitUsage, "neurogen plot: invalid value \"V,V\" for flag -vars: `V` is listed twice\n" + usage},
		{[]string{"plot", "nov.npz"}, exitError, "neurogen plot: nov.npz: units lists V, which the file does not hold\n"},
		{[]string{"plot", "novars.npz"}, exitError, "neurogen plot: novars.npz: the recording holds no variable: plot draws recorded variables, as neurogen run SPEC -record V -o FILE.npz records it\n"},
		{[]string{"plot", "shape.npz"}, exitError, "neurogen plot: shape.npz: V is not a float64 array of shape [3, 2] (records, neurons)\n"},
		{[]string{"plot", "state.npz"}, exitError, "neurogen plot: state.npz: a state file (of neurogen run -save), not a recording: plot draws a recording, as neurogen run SPEC -record V -o FILE.npz records it\n"},
		{[]string{"plot", "other.npz"}, exitError, "neurogen plot: other.npz: no arrays t and neurons: not a recording of neurogen run (neurogen run SPEC -record V -o FILE.npz records it)\n"},
		{[]string{"plot", "r.npz", "-o", "nodir/f.png"}, exitError, "neurogen plot: cannot write nodir/f.png: no such file or directory\n"},

		{[]string{"run", "hh52.yaml", "-plot", "a.jpg"}, exitUsage, "neurogen run: -plot a.jpg: name the figure FILE.png or FILE.svg: the extension picks the format\nrun 'neurogen run -h' for usage\n"},
		{[]string{"run", "hh52.yaml", "-plot", "a.png", "-save", "./a.png"}, exitUsage, "neurogen run: -plot a.png and -save ./a.png name the same file\nrun 'neurogen run -h' for usage\n"},
		{[]string{"run", "hh52.yaml", "-plot", "a.svg", "-spikes", "./a.svg"}, exitUsage, "neurogen run: -plot a.svg and -spikes ./a.svg name the same file\nrun 'neurogen run -h' for usage\n"},
		{[]string{"run", "hh52.yaml", "-plot", "a.png", "-record", "Na.m"}, exitUsage, "neurogen run: -record Na.m: missing -o FILE.npz or FILE.csv, the file to write the recording into\nrun 'neurogen run -h' for usage\n"},
		{[]string{"run", "hh52.yaml", "-plot", "a.png", "-n", "4", "-neurons", "2-5"}, exitUsage, "neurogen run: -neurons 2-5: neuron 5 is out of range: the group has neurons 0 to 3\nrun 'neurogen run -h' for usage\n"},
		{[]string{"run", "hh52.yaml", "-plot", "a.png", "-o", "v.npz", "-n", "1000"}, exitUsage, "neurogen run: -record V (for -plot): the group has 1000 neurons: say which to record with -neurons (all, or indices and ranges such as 0-99)\nrun 'neurogen run -h' for usage\n"},
	} {
		code, stdout, stderr := neurogen(t, nil, tc.args...)
		if code != tc.code || stdout != "" || stderr != tc.stderr {
			t.Errorf("neurogen %s:\nexit %d, stdout %q, stderr %q\nwant exit %d, stderr %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.code, tc.stderr)
		}
	}
	entries, _ := os.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"dir.npz", "fake.npz", "hh52.yaml", "nov.npz", "novars.npz", "other.npz", "r.npz", "seven.npz", "shape.npz", "state.npz"}; !slices.Equal(names, want) {
		t.Errorf("files after the failures: %v, want %v", names, want)
	}
}
