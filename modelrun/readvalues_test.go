package modelrun_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
)

// writeNPY writes values as a one-dimensional float64 .npy file.
func writeNPY(t *testing.T, path string, values []float64) {
	t.Helper()
	var b bytes.Buffer
	if err := runtime.EncodeNPY(&b, &runtime.Array{Shape: []int{len(values)}, F64: values}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
}

// TestReadValues: @FILE values are read from text and .npy files; a value that is not finite
// is refused with its file and line (or element), and so are files of the wrong length, and
// files far longer than the values could take, without reading them whole.
func TestReadValues(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := file("good.csv", "I_ext\n1, 2.5\n-4e1\n")
	if got, err := modelrun.ReadValues(good, 3); err != nil || !slices3(got, 1, 2.5, -40) {
		t.Errorf("ReadValues(good.csv) = %v, %v", got, err)
	}
	npy := filepath.Join(dir, "v.npy")
	writeNPY(t, npy, []float64{0.5, 7})
	if got, err := modelrun.ReadValues(npy, 2); err != nil || len(got) != 2 || got[0] != 0.5 || got[1] != 7 {
		t.Errorf("ReadValues(v.npy) = %v, %v", got, err)
	}
	nanNPY := filepath.Join(dir, "nan.npy")
	writeNPY(t, nanNPY, []float64{1, math.Inf(-1), 3})
	for _, c := range []struct {
		path string
		n    int
		msg  string
	}{
		{file("nan.csv", "I_ext\n1\n2\nNaN\n"), 3, "nan.csv:4: value 3 is NaN, not a finite number"},
		{file("inf.txt", "1 +Inf 2"), 3, "inf.txt:1: value 2 is +Inf, not a finite number"},
		{file("inf2.txt", "1\n2\n-inf\n"), 3, "inf2.txt:3: value 3 is -Inf, not a finite number"},
		{file("big.txt", "1\n1e999\n"), 2, `big.txt:2: "1e999" is not a number`},
		{nanNPY, 3, "nan.npy: element 1 is -Inf, not a finite number"},
		{file("few.csv", "1\n2\n"), 3, "few.csv holds 2 values for 3 neurons"},
		{file("many.csv", "1\n2\n3\n4\n"), 3, "many.csv:4: more than 3 values for 3 neurons"},
		{file("fake.npy", "1,2,3"), 3, "fake.npy: not a .npy file"},
		{file("long.txt", "1"+strings.Repeat(" ", 200_000)+"\n2\n"), 2, "long.txt: longer than 65664 bytes, more than 2 values take"},
		{file("line.txt", strings.Repeat("7", 2<<20)), 40_000, "line.txt: a line is longer than 1048576 bytes"},
	} {
		_, err := modelrun.ReadValues(c.path, c.n)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ReadValues(%s, %d): %v; want %q", filepath.Base(c.path), c.n, err, c.msg)
		}
	}
	// An endless file fails at once, text or .npy.
	if _, err := os.Stat("/dev/zero"); err == nil {
		link := filepath.Join(dir, "zero.npy")
		os.Symlink("/dev/zero", link)
		for _, p := range []string{"/dev/zero", link} {
			start := time.Now()
			_, err := modelrun.ReadValues(p, 1000)
			if err == nil || time.Since(start) > 5*time.Second {
				t.Errorf("ReadValues(%s): %v after %v", p, err, time.Since(start))
			}
		}
	}
}

func slices3(got []float64, a, b, c float64) bool {
	return len(got) == 3 && got[0] == a && got[1] == b && got[2] == c
}

// TestMainFileValues: the built program refuses NaN and Inf in -I_ext @FILE and an endless
// file, with exit status 2.
func TestMainFileValues(t *testing.T) {
	t.Chdir(t.TempDir())
	os.WriteFile("nan.txt", []byte("1\nnan\n"), 0o666)
	code, out, errs := cli("-n", "2", "-t", "1ms", "-I_ext", "@nan.txt")
	if code != modelrun.ExitUsage || out != "" || errs != "hh: -I_ext @nan.txt: nan.txt:2: value 2 is NaN, not a finite number\n" {
		t.Errorf("hh -I_ext @nan.txt: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		code, _, errs := cli("-n", "2", "-t", "1ms", "-I_ext", "@/dev/zero")
		if code != modelrun.ExitUsage || !strings.Contains(errs, "/dev/zero: longer than 65664 bytes, more than 2 values take") {
			t.Errorf("hh -I_ext @/dev/zero: exit %d, stderr %q", code, errs)
		}
	}
}
