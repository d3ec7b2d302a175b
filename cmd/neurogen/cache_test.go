package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// TestMain gives the tests a program cache of their own, so that they never write into the
// user's cache, and empties its programs so that they find no program of an earlier test run.
// Tests of the cache itself set NEUROGEN_CACHE to a directory of their own. The cache is in the
// same place for every run of the tests of this checkout (named after its path), and so is its
// build directory, where programs are built: the go build cache serves the runtime's and the
// models' packages that an earlier run compiled, and only the programs are linked again. This
// holds for the neurogen processes that tests start too (they inherit NEUROGEN_CACHE).
func TestMain(m *testing.M) {
	wd, _ := os.Getwd()
	h := sha256.Sum256([]byte(wd))
	dir := filepath.Join(os.TempDir(), "neurogen-test-cache-"+hex.EncodeToString(h[:6]))
	programs := filepath.Join(dir, "programs")
	if err := os.RemoveAll(programs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(cacheEnv, dir)
	code := m.Run()
	os.RemoveAll(programs)
	os.Exit(code)
}

// runBuilds runs neurogen in-process, fails the test unless it succeeds, and checks that it
// called go build want times; it returns the standard output.
func runBuilds(t *testing.T, want int64, args ...string) string {
	t.Helper()
	before := programBuilds.Load()
	code, stdout, stderr := neurogen(t, nil, args...)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	if got := programBuilds.Load() - before; got != want {
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
		if isCacheKey(d.Name()) {
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
	data, err := os.ReadFile(filepath.Join(entry, sumFile))
	if err != nil {
		t.Fatal(err)
	}
	want := fileSum(filepath.Join(entry, exeName(pkg)))
	if string(data) != want+"  "+exeName(pkg)+"\n" {
		t.Errorf("%s: the sum file %q does not hold the program's sum %s", entry, data, want)
	}
	return want
}

// TestRunCache checks that a second run of the same model does not build, whatever its
// values, and gives the same output; that another method or another spec builds again.
func TestRunCache(t *testing.T) {
	gomodtest.NeedGo(t)
	cache := gomodtest.StableDir(t) // the same builds in every test run: the go build cache serves them
	t.Setenv(cacheEnv, cache)
	t.Chdir(t.TempDir())
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
	for _, f := range []string{"go.mod", "main.go", "model/hh52.go", "neurogen/runtime/group.go", "config.json"} {
		if _, err := os.Stat(filepath.Join("kept", f)); err != nil {
			t.Errorf("the kept module lacks %s: %v", f, err)
		}
	}
	if got := fileSum(filepath.Join("kept", "bin", exeName("hh52"))); got != sum {
		t.Errorf("-keep's program has sum %q, want the cached program's %s", got, sum)
	}
	// Built in the -keep directory, the program records other paths than the cached one (no
	// -trimpath: see cache.go), so it is other bytes, but the same program.
	kept := runBuilds(t, 1, append(args, "-keep", "kept", "-rebuild", "-spikes", "k.csv")...)
	if got := fileSum(filepath.Join("kept", "bin", exeName("hh52"))); got == "" {
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
	cache := gomodtest.StableDir(t) // the same builds in every test run: the go build cache serves them
	t.Setenv(cacheEnv, cache)
	args := []string{"run", hh52(t), "-t", "20ms", "-set", "I_ext=10uA/cm2"}
	want := timings.ReplaceAllString(runBuilds(t, 1, args...), "")
	keys := cacheEntries(t, cache)
	if len(keys) != 1 {
		t.Fatalf("the cache holds %d entries, want 1", len(keys))
	}
	entry := filepath.Join(cache, "programs", keys[0])
	bin := filepath.Join(entry, exeName("hh52"))
	sum := readSum(t, entry, "hh52")

	// The entry as built, to put back after a damage that lookup alone is shown to catch.
	pristine := map[string][]byte{}
	for _, f := range []string{exeName("hh52"), sumFile, "info"} {
		pristine[f] = mustRead(t, filepath.Join(entry, f))
	}
	c := &programCache{dir: filepath.Join(cache, "programs")}

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
		{"a missing sum", func() error { return os.Remove(filepath.Join(entry, sumFile)) }, false},
		{"a sum of other bytes", func() error {
			return os.WriteFile(filepath.Join(entry, sumFile), []byte(strings.Repeat("0", 64)+"  hh52\n"), 0o666)
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
			if got, ok := c.lookup(keys[0], "hh52"); ok {
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
// one directory, the same in every test run, so that the go build cache serves its packages and
// each build costs only its link.
func TestRunCacheOff(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Setenv(cacheEnv, "off")
	keep := gomodtest.StableDir(t)
	runBuilds(t, 1, "run", hh52(t), "-t", "1ms", "-keep", keep)
	runBuilds(t, 1, "run", hh52(t), "-t", "1ms", "-keep", keep)
}

// TestCacheLocation checks where the cache is: $NEUROGEN_CACHE, made absolute, or the user's
// cache directory.
func TestCacheLocation(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, tc := range []struct{ env, want string }{
		{filepath.Join(dir, "c"), filepath.Join(dir, "c", "programs")},
		{"rel", filepath.Join(dir, "rel", "programs")},
	} {
		t.Setenv(cacheEnv, tc.env)
		c, err := openProgramCache()
		if err != nil || c == nil || c.dir != tc.want {
			t.Errorf("NEUROGEN_CACHE=%s: cache %+v, %v; want in %s", tc.env, c, err, tc.want)
		}
	}
	t.Setenv(cacheEnv, "off")
	if c, err := openProgramCache(); c != nil || err != nil {
		t.Errorf("NEUROGEN_CACHE=off: cache %+v, %v; want none and no error", c, err)
	}

	t.Setenv(cacheEnv, "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "xdg"))
	t.Setenv("LocalAppData", filepath.Join(home, "local"))
	user, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	c, err := openProgramCache()
	if want := filepath.Join(user, "neurogen", "programs"); err != nil || c == nil || c.dir != want {
		t.Errorf("NEUROGEN_CACHE unset: cache %+v, %v; want in %s", c, err, want)
	}
	if !strings.HasPrefix(user, home) {
		t.Errorf("the user's cache directory %s is not under HOME %s", user, home)
	}
}

// TestCacheKey checks that the key changes with every input, and only with the inputs.
func TestCacheKey(t *testing.T) {
	tc := []string{"GOVERSION=go1.26.0", "GOOS=linux"}
	files := map[string][]byte{"go.mod": []byte("module m\n"), "main.go": []byte("package main\n"), "a": []byte("xy"), "b": nil}
	key := cacheKey(tc, files)
	if !isCacheKey(key) {
		t.Fatalf("cacheKey = %q, not 64 hex digits", key)
	}
	for range 10 {
		if k := cacheKey(slices.Clone(tc), maps.Clone(files)); k != key {
			t.Fatalf("cacheKey of the same inputs: %s, then %s", key, k)
		}
	}
	seen := map[string]string{key: "the inputs"}
	differ := func(what string, tc []string, files map[string][]byte) {
		t.Helper()
		k := cacheKey(tc, files)
		if prev, ok := seen[k]; ok {
			t.Errorf("%s: the same key as %s", what, prev)
		}
		seen[k] = what
	}
	with := func(name string, content []byte) map[string][]byte {
		m := maps.Clone(files)
		m[name] = content
		return m
	}
	differ("another Go", []string{"GOVERSION=go1.26.1", "GOOS=linux"}, files)
	differ("another GOOS", []string{"GOVERSION=go1.26.0", "GOOS=darwin"}, files)
	differ("an empty variable more", append(slices.Clone(tc), "GOEXPERIMENT="), files)
	differ("a changed byte", tc, with("main.go", []byte("package mair\n")))
	differ("a byte more", tc, with("main.go", []byte("package main\n\n")))
	differ("a file more", tc, with("c.go", nil))
	differ("a byte moved between files", tc, with("b", []byte("y")))
	m := maps.Clone(files)
	delete(m, "b")
	differ("a file less", tc, m)
	m = maps.Clone(files)
	m["c"] = m["b"]
	delete(m, "b")
	differ("a renamed file", tc, m)
}

// fakeEntry writes an entry for key whose program, prog, is content, as install lays it out
// (but without pruning).
func fakeEntry(t *testing.T, c *programCache, key, content string) {
	t.Helper()
	entry := filepath.Join(c.dir, key)
	writeFile(t, filepath.Join(entry, exeName("prog")), content)
	writeFile(t, filepath.Join(entry, sumFile), fileSum(filepath.Join(entry, exeName("prog")))+"  "+exeName("prog")+"\n")
}

// TestCachePrune checks that the cache keeps the entries used last, removes the temporary
// directories of crashed runs and leaves anything else alone.
func TestCachePrune(t *testing.T) {
	c := &programCache{dir: filepath.Join(t.TempDir(), "programs")}
	key := func(i int) string { return fmt.Sprintf("%064x", i) }
	now := time.Now()
	for i := range maxCacheEntries + 5 {
		fakeEntry(t, c, key(i), fmt.Sprint("program ", i))
		// Entry i was used i minutes ago.
		ago := now.Add(-time.Duration(i) * time.Minute)
		if err := os.Chtimes(filepath.Join(c.dir, key(i)), ago, ago); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(cacheEntries(t, filepath.Dir(c.dir))); n != maxCacheEntries+5 {
		t.Fatalf("%d entries before pruning, want %d", n, maxCacheEntries+5)
	}
	// Using the oldest entry makes it the newest.
	oldest := key(maxCacheEntries + 4)
	if bin, ok := c.lookup(oldest, "prog"); !ok || string(mustRead(t, bin)) != fmt.Sprint("program ", maxCacheEntries+4) {
		t.Fatalf("lookup of a stored entry: %q, %v", bin, ok)
	}
	for _, d := range []struct {
		name string
		age  time.Duration
	}{{".tmp-crashed", 2 * staleTemp}, {".tmp-running", 0}, {"not-a-key", 2 * staleTemp}} {
		p := filepath.Join(c.dir, d.name)
		if err := os.Mkdir(p, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-d.age), now.Add(-d.age)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(c.dir, "README"), "mine")

	c.prune(maxCacheEntries)
	for i := range maxCacheEntries + 5 {
		_, err := os.Stat(filepath.Join(c.dir, key(i)))
		// Entries 0 … 48 and the oldest, used last, stay.
		if keep := i < maxCacheEntries-1 || key(i) == oldest; keep != (err == nil) {
			t.Errorf("entry %d (used %d minutes ago): kept %v, want %v", i, i, err == nil, keep)
		}
	}
	for name, keep := range map[string]bool{".tmp-crashed": false, ".tmp-running": true, "not-a-key": true, "README": true} {
		if _, err := os.Stat(filepath.Join(c.dir, name)); keep != (err == nil) {
			t.Errorf("%s: kept %v, want %v", name, err == nil, keep)
		}
	}

	// Storing a program prunes: the new entry stays, the least recently used goes.
	src := filepath.Join(t.TempDir(), "prog")
	writeFile(t, src, "a new program")
	if err := c.install(key(1000), "prog", src, "test\n", false); err != nil {
		t.Fatal(err)
	}
	for i, keep := range map[int]bool{1000: true, 0: true, maxCacheEntries - 2: false} {
		if _, err := os.Stat(filepath.Join(c.dir, key(i))); keep != (err == nil) {
			t.Errorf("after install, entry %d: kept %v, want %v", i, err == nil, keep)
		}
	}
}

// TestCacheInstallConcurrent checks that runs storing the same program at once all succeed
// and leave one whole entry, and no temporary directory.
func TestCacheInstallConcurrent(t *testing.T) {
	c := &programCache{dir: filepath.Join(t.TempDir(), "programs")}
	src := filepath.Join(t.TempDir(), "prog")
	content := strings.Repeat("a program ", 100_000)
	writeFile(t, src, content)
	key := strings.Repeat("ab", 32)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = c.install(key, "prog", src, "test\n", i%2 == 0) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("install %d: %v", i, err)
		}
	}
	bin, ok := c.lookup(key, "prog")
	if !ok || string(mustRead(t, bin)) != content {
		t.Fatalf("after concurrent installs the entry is not whole (found: %v)", ok)
	}
	dirents, _ := os.ReadDir(c.dir)
	if len(dirents) != 1 {
		var names []string
		for _, d := range dirents {
			names = append(names, d.Name())
		}
		t.Errorf("the cache holds %v, want the entry only", names)
	}
}

// TestPruneBuilds: the build directory keeps the maxRuntimes runtimes used last, and removes
// the module directories and temporary directories of builds that crashed (older than
// staleTemp), but not those of builds in progress.
func TestPruneBuilds(t *testing.T) {
	root := t.TempDir()
	now := time.Now()
	mk := func(name string, age time.Duration) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Join(p, "sub"), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range maxRuntimes + 2 {
		mk(fmt.Sprintf("neurogen-%032d", i), time.Duration(i)*time.Minute) // 0 used last
	}
	key := strings.Repeat("a", 64)
	mk(key, 2*staleTemp)           // a crashed build
	mk(strings.Repeat("b", 64), 0) // a build in progress
	mk(".tmp-old", 2*staleTemp)    // a crashed runtime's staging
	mk(".tmp-new", 0)              // staging in progress
	mk("other", 10*staleTemp)      // not neurogen's
	(&programCache{dir: filepath.Join(t.TempDir(), "programs")}).pruneBuilds(root)
	var got []string
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{".tmp-new", strings.Repeat("b", 64)}
	for i := range maxRuntimes {
		want = append(want, fmt.Sprintf("neurogen-%032d", i))
	}
	want = append(want, "other")
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("after pruneBuilds the build directory holds\n%q\nwant\n%q", got, want)
	}
}
