package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/internal/progbuild"
)

// TestMain gives the tests a program cache of their own, so that they never write into the
// user's cache. Tests of the cache itself set NEUROGEN_CACHE to a directory of their own, empty,
// and so build every time. The cache is in the same place for every run of the tests of this
// checkout (named after its path), and so is its build directory, where programs are built: the
// go build cache serves the runtime's and the models' packages that an earlier run compiled.
// The programs stay from one test run to the next, as the go build cache's packages do, for the
// same reason: a program's key is the hash of everything it is built from (the tests of the
// cache hold it to that), so an unchanged model finds the program an earlier run linked (about
// 0.45 CPU s each, two dozen programs), and a changed one, or a changed runtime or toolchain, is
// built again. At the end the programs that this run did not use are removed, so that the
// cache holds only the current ones. This holds for the neurogen processes that tests start
// too (they inherit NEUROGEN_CACHE).
func TestMain(m *testing.M) {
	wd, _ := os.Getwd()
	h := sha256.Sum256([]byte(wd))
	dir := filepath.Join(os.TempDir(), "neurogen-test-cache-"+hex.EncodeToString(h[:6]))
	os.Setenv(progbuild.CacheEnv, dir)
	start := time.Now()
	code := m.Run()
	removeUnused(filepath.Join(dir, "programs"), start)
	os.Exit(code)
}

// removeUnused removes the entries of the program cache in dir that no run has used (looked up
// or installed, which set an entry's modification time) since start.
func removeUnused(dir string, start time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && progbuild.IsKey(e.Name()) && info.ModTime().Before(start) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// runBuilds runs neurogen in-process, fails the test unless it succeeds, and checks that it
// called go build want times; it returns the standard output.
func runBuilds(t *testing.T, want int64, args ...string) string {
	t.Helper()
	before := progbuild.Builds()
	code, stdout, stderr := neurogen(t, nil, args...)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	if got := progbuild.Builds() - before; got != want {
		t.Errorf("neurogen %s: %d builds, want %d", strings.Join(args, " "), got, want)
	}
	cached := strings.Contains(stdout, "; build cached (")
	if cached != (want == 0) {
		t.Errorf("neurogen %s: the summary says build cached: %v, want %v:\n%s", strings.Join(args, " "), cached, want == 0, stdout)
	}
	return stdout
}

// timings matches the summary's line of timings, the only one that differs between two runs
// of the same model with the same values.
var timings = regexp.MustCompile(`(?m)^simulation .*; build .*$`)

// cacheEntries returns the keys of the entries of the cache in dir.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	dirents, err := os.ReadDir(filepath.Join(dir, "programs"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range dirents {
		if progbuild.IsKey(d.Name()) {
			keys = append(keys, d.Name())
		} else {
			t.Errorf("the cache holds %s, which is not an entry", d.Name())
		}
	}
	return keys
}

// readSum returns the sum stored in an entry, and checks it against the program's bytes.
func readSum(t *testing.T, entry, pkg string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(entry, progbuild.SumFile))
	if err != nil {
		t.Fatal(err)
	}
	want := progbuild.FileSum(filepath.Join(entry, progbuild.ExeName(pkg)))
	if string(data) != want+"  "+progbuild.ExeName(pkg)+"\n" {
		t.Errorf("%s: the sum file %q does not hold the program's sum %s", entry, data, want)
	}
	return want
}

// TestRunCache checks that a second run of the same model does not build, whatever its
// values, and gives the same output; that another method or another spec builds again.
func TestRunCache(t *testing.T) {
	gomodtest.NeedGo(t)
	// The cache and the working directory (with -keep's) are at the same paths in every test
	// run, and in TestRunCacheCorrupt's and TestRunCacheOff's: the go build cache serves what
	// one of them compiled there to the others, and to later runs.
	cache := gomodtest.SharedDir(t, "cache")
	t.Setenv(progbuild.CacheEnv, cache)
	t.Chdir(gomodtest.SharedDir(t, "work"))
	copySpec(t, "hh52.yaml")
	args := []string{"run", "hh52.yaml", "-n", "3", "-t", "20ms", "-set", "I_ext=linspace(0uA/cm2, 20uA/cm2)"}

	first := runBuilds(t, 1, append(args, "-spikes", "a.csv")...)
	keys := cacheEntries(t, cache)
	if len(keys) != 1 {
		t.Fatalf("after one build the cache holds %d entries, want 1", len(keys))
	}
	entry := filepath.Join(cache, "programs", keys[0])
	sum := readSum(t, entry, "hh52")

	second := runBuilds(t, 0, append(args, "-spikes", "b.csv")...)
	if a, b := timings.ReplaceAllString(first, ""), timings.ReplaceAllString(second, ""); strings.ReplaceAll(a, "a.csv", "b.csv") != b {
		t.Errorf("the cached program's summary differs from the built one's:\n%s\nwant:\n%s", b, a)
	}
	a, _ := os.ReadFile("a.csv")
	b, _ := os.ReadFile("b.csv")
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("the cached program wrote other spikes (%d bytes) than the built one (%d bytes)", len(b), len(a))
	}

	// The values of a run are not in the program.
	for _, extra := range [][]string{
		{"-n", "5"}, {"-t", "5ms"}, {"-dt", "0.05ms"}, {"-seed", "3"}, {"-set", "Na.g_max=100mS/cm2"},
		{"-record", "V", "-o", "v.npz", "-every", "1ms"}, {"-save", "s.npz"},
	} {
		runBuilds(t, 0, append(args, extra...)...)
	}
	runBuilds(t, 0, "run", "hh52.yaml", "-resume", "s.npz", "-t", "1ms")
	// Nor is the spec's name or directory.
	writeFile(t, filepath.Join("elsewhere", "squid.yaml"), string(mustRead(t, "hh52.yaml")))
	runBuilds(t, 0, "run", filepath.Join("elsewhere", "squid.yaml"), "-t", "1ms")
	if n := len(cacheEntries(t, cache)); n != 1 {
		t.Errorf("runs of one model made %d entries, want 1", n)
	}

	// Another method is another program, then cached in its turn.
	runBuilds(t, 1, append(args, "-method", "rk4")...)
	runBuilds(t, 0, append(args, "-method", "rk4")...)
	// So is a changed spec.
	src := string(mustRead(t, "hh52.yaml"))
	changed := strings.Replace(src, "g_max: 120 mS/cm2", "g_max: 110 mS/cm2", 1)
	if changed == src {
		t.Fatal("hh52.yaml has no g_max: 120 mS/cm2")
	}
	writeFile(t, "hh52.yaml", changed)
	runBuilds(t, 1, args...)
	runBuilds(t, 0, args...)
	writeFile(t, "hh52.yaml", src)
	runBuilds(t, 0, args...)
	if n := len(cacheEntries(t, cache)); n != 3 {
		t.Errorf("the cache holds %d entries after runs of three programs, want 3", n)
	}

	// -rebuild builds, in another directory, the same bytes: the key holds everything the
	// program depends on.
	runBuilds(t, 1, append(args, "-rebuild")...)
	if got := readSum(t, entry, "hh52"); got != sum {
		t.Errorf("-rebuild made a program with sum %s, the cached one has %s", got, sum)
	}

	// -keep gets the module and a copy of the cached program; a relative -keep builds too.
	runBuilds(t, 0, append(args, "-keep", "kept")...)
	for _, f := range []string{"go.mod", "main.go", "variant.go", "model/hh52.go", "neurogen/runtime/group.go", "config.json"} {
		if _, err := os.Stat(filepath.Join("kept", f)); err != nil {
			t.Errorf("the kept module lacks %s: %v", f, err)
		}
	}
	if got := progbuild.FileSum(filepath.Join("kept", "bin", progbuild.ExeName("hh52"))); got != sum {
		t.Errorf("-keep's program has sum %q, want the cached program's %s", got, sum)
	}
	// Built in the -keep directory, the program records other paths than the cached one (no
	// -trimpath: see internal/progbuild/cache.go), so it is other bytes, but the same program.
	kept := runBuilds(t, 1, append(args, "-keep", "kept", "-rebuild", "-spikes", "k.csv")...)
	if got := progbuild.FileSum(filepath.Join("kept", "bin", progbuild.ExeName("hh52"))); got == "" {
		t.Errorf("-keep -rebuild left no program in kept/bin")
	}
	if a, k := timings.ReplaceAllString(first, ""), timings.ReplaceAllString(kept, ""); strings.ReplaceAll(a, "a.csv", "k.csv") != strings.Replace(k, "model program kept in kept\n", "", 1) {
		t.Errorf("the program built in a -keep directory summarised\n%s\nwant\n%s", k, a)
	}
	if k, _ := os.ReadFile("k.csv"); len(a) == 0 || !bytes.Equal(a, k) {
		t.Errorf("the program built in a -keep directory wrote other spikes (%d bytes) than the cached one (%d bytes)", len(k), len(a))
	}
	// The build directory is gone once the program is in the cache; the shared runtime stays.
	builds, _ := filepath.Glob(filepath.Join(cache, "build", "*"))
	if len(builds) != 1 || !strings.HasPrefix(filepath.Base(builds[0]), "neurogen-") {
		t.Errorf("the cache's build directory holds %q, want only the shared runtime", builds)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRunCacheCorrupt checks that a damaged entry is found, and the program built again: end
// to end for two damages, and for the others by the lookup that a run makes first.
func TestRunCacheCorrupt(t *testing.T) {
	gomodtest.NeedGo(t)
	cache := gomodtest.SharedDir(t, "cache") // TestRunCache's: the go build cache serves its builds
	t.Setenv(progbuild.CacheEnv, cache)
	args := []string{"run", hh52(t), "-t", "20ms", "-set", "I_ext=10uA/cm2"}
	want := timings.ReplaceAllString(runBuilds(t, 1, args...), "")
	keys := cacheEntries(t, cache)
	if len(keys) != 1 {
		t.Fatalf("the cache holds %d entries, want 1", len(keys))
	}
	entry := filepath.Join(cache, "programs", keys[0])
	bin := filepath.Join(entry, progbuild.ExeName("hh52"))
	sum := readSum(t, entry, "hh52")

	// The entry as built, to put back after a damage that lookup alone is shown to catch.
	pristine := map[string][]byte{}
	for _, f := range []string{progbuild.ExeName("hh52"), progbuild.SumFile, "info"} {
		pristine[f] = mustRead(t, filepath.Join(entry, f))
	}
	c, err := progbuild.OpenCache()
	if err != nil {
		t.Fatal(err)
	}

	for _, damage := range []struct {
		name  string
		do    func() error
		build bool // run neurogen, which must build again; else only look the entry up
	}{
		{"a truncated program", func() error { return os.Truncate(bin, 4096) }, false},
		{"an empty program", func() error { return os.Truncate(bin, 0) }, false},
		{"a changed byte", func() error {
			data, err := os.ReadFile(bin)
			if err != nil {
				return err
			}
			data[len(data)/2] ^= 1
			return os.WriteFile(bin, data, 0o777)
		}, true},
		{"a missing program", func() error { return os.Remove(bin) }, false},
		{"a missing sum", func() error { return os.Remove(filepath.Join(entry, progbuild.SumFile)) }, false},
		{"a sum of other bytes", func() error {
			return os.WriteFile(filepath.Join(entry, progbuild.SumFile), []byte(strings.Repeat("0", 64)+"  hh52\n"), 0o666)
		}, false},
		{"an empty entry", func() error {
			if err := os.RemoveAll(entry); err != nil {
				return err
			}
			return os.Mkdir(entry, 0o777)
		}, true},
	} {
		if err := damage.do(); err != nil {
			t.Fatal(err)
		}
		if !damage.build {
			// What a run does first: the lookup finds the damage and removes the entry.
			if got, ok := c.Lookup(keys[0], "hh52"); ok {
				t.Errorf("after %s the cache serves %s", damage.name, got)
			}
			if _, err := os.Stat(entry); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("after %s the damaged entry is still there (%v)", damage.name, err)
			}
			for f, b := range pristine {
				writeFile(t, filepath.Join(entry, f), string(b))
			}
			os.Chmod(bin, 0o777)
			continue
		}
		got := timings.ReplaceAllString(runBuilds(t, 1, args...), "")
		if got != want {
			t.Errorf("after %s: the summary\n%s\nwant\n%s", damage.name, got, want)
		}
		if got := readSum(t, entry, "hh52"); got != sum {
			t.Errorf("after %s the cache holds a program with sum %s, want %s", damage.name, got, sum)
		}
	}
	runBuilds(t, 0, args...)
}

// TestRunCacheOff checks NEUROGEN_CACHE=off: every run builds. The runs keep their module in
// one directory, the same in every test run and TestRunCache's -keep directory, so that the go
// build cache serves its packages and each build costs only its link.
func TestRunCacheOff(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Setenv(progbuild.CacheEnv, "off")
	keep := filepath.Join(gomodtest.SharedDir(t, "work"), "kept")
	runBuilds(t, 1, "run", hh52(t), "-t", "1ms", "-keep", keep)
	runBuilds(t, 1, "run", hh52(t), "-t", "1ms", "-keep", keep)
}
