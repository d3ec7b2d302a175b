package progbuild

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
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

// cacheEntries returns the keys of the entries of the cache in dir.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	dirents, err := os.ReadDir(filepath.Join(dir, "programs"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range dirents {
		if IsKey(d.Name()) {
			keys = append(keys, d.Name())
		} else {
			t.Errorf("the cache holds %s, which is not an entry", d.Name())
		}
	}
	return keys
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
		t.Setenv(CacheEnv, tc.env)
		c, err := OpenCache()
		if err != nil || c == nil || c.dir != tc.want {
			t.Errorf("NEUROGEN_CACHE=%s: cache %+v, %v; want in %s", tc.env, c, err, tc.want)
		}
	}
	t.Setenv(CacheEnv, "off")
	if c, err := OpenCache(); c != nil || err != nil {
		t.Errorf("NEUROGEN_CACHE=off: cache %+v, %v; want none and no error", c, err)
	}

	t.Setenv(CacheEnv, "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "xdg"))
	t.Setenv("LocalAppData", filepath.Join(home, "local"))
	user, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	c, err := OpenCache()
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
	if !IsKey(key) {
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
func fakeEntry(t *testing.T, c *Cache, key, content string) {
	t.Helper()
	entry := filepath.Join(c.dir, key)
	writeFile(t, filepath.Join(entry, ExeName("prog")), content)
	writeFile(t, filepath.Join(entry, SumFile), FileSum(filepath.Join(entry, ExeName("prog")))+"  "+ExeName("prog")+"\n")
}

// TestCachePrune checks that the cache keeps the entries used last, removes the temporary
// directories of crashed runs and leaves anything else alone.
func TestCachePrune(t *testing.T) {
	c := &Cache{dir: filepath.Join(t.TempDir(), "programs")}
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
	if bin, ok := c.Lookup(oldest, "prog"); !ok || string(mustRead(t, bin)) != fmt.Sprint("program ", maxCacheEntries+4) {
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
	c := &Cache{dir: filepath.Join(t.TempDir(), "programs")}
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
	bin, ok := c.Lookup(key, "prog")
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
	(&Cache{dir: filepath.Join(t.TempDir(), "programs")}).pruneBuilds(root)
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
