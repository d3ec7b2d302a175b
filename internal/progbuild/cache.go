package progbuild

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"time"
)

// The program cache keeps the model programs that neurogen run builds, so that a later run of
// the same model starts at once instead of calling `go build` again:
//
//	$NEUROGEN_CACHE/programs/KEY/PKG       the program (PKG.exe on Windows)
//	$NEUROGEN_CACHE/programs/KEY/sha256    its SHA-256, as sha256sum writes it
//	$NEUROGEN_CACHE/programs/KEY/info      what it was built from, for a person to read
//
// KEY is the SHA-256 of everything the program depends on (see cacheKey): the exact bytes of
// every file of its module (go.mod, main.go, variant.go, the generated package, the runtime's
// source), the go command's toolchain settings and the cache's format. The values of a run are not in
// the module (they travel in config.json), and the generated package does not name the spec
// file (see SpecName), so neither changes the key.
//
// A program is built where its path depends on its key alone, beside the entries:
//
//	$NEUROGEN_CACHE/build/KEY/               the module, less the runtime; removed after the build
//	$NEUROGEN_CACHE/build/neurogen-RUNTIME/  the runtime's module, shared by every model
//
// RUNTIME is the SHA-256 of the runtime's and units' source. The go command's build cache is
// keyed by the directories of what it compiles as well as by their bytes, so these fixed
// places let it keep the compiled runtime for every later model, and the standard library
// compiled once for the go command's own builds (neurogen's included) serves the programs too:
// no -trimpath, whose rewritten paths would need a second copy of the standard library. The
// same key, built in the same place, gives the same bytes. A run that finds KEY's directory
// taken by another build (or -keep, or NEUROGEN_CACHE=off) builds in a directory of its own
// instead, which costs only the runtime's compilation.
//
// An entry is installed whole or not at all: the program and its sum are written into a
// temporary directory beside the entries, which is then renamed to KEY. A program whose bytes
// do not match its sum (a truncated copy, a damaged disk) is removed and built again. Each use
// sets the entry's modification time; once more than maxCacheEntries entries are stored, the
// least recently used go.

// cacheFormat is the version of the cache's layout, of its key and of the go build command
// line of goBuild: a change to any of them changes it.
const cacheFormat = "neurogen run program cache 2"

// maxCacheEntries bounds the entries kept in the cache: about 4.5 MB each for HH52.
const maxCacheEntries = 50

// staleTemp is the age after which a temporary directory in the cache, left by a run that
// crashed or was killed, is removed.
const staleTemp = time.Hour

// CacheEnv is the environment variable that names the cache's directory, or turns it off.
const CacheEnv = "NEUROGEN_CACHE"

// toolchainVars are the variables of `go env` that can change the program that `go build`
// makes from the same files: the toolchain's version (a devel toolchain's names its commit)
// and its GOROOT (another installation may hold another standard library), the target and its
// architecture levels, experiments, flags (buildEnv's included), cgo and the FIPS module.
var toolchainVars = []string{
	"GOVERSION", "GOROOT", "GOOS", "GOARCH",
	"GO386", "GOAMD64", "GOARM", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
	"GOEXPERIMENT", "GOFLAGS", "CGO_ENABLED", "GOFIPS140",
}

// Cache is a directory of model programs by key. A nil *Cache caches nothing.
type Cache struct {
	dir string // the directory of the entries, $NEUROGEN_CACHE/programs
}

// OpenCache returns the program cache named by $NEUROGEN_CACHE, or in the user's cache
// directory (os.UserCacheDir()/neurogen) when it is unset or empty. NEUROGEN_CACHE=off turns
// the cache off: it returns nil and no error. It returns nil and an error when there is no
// directory for the cache. Nothing is created until a program is stored.
func OpenCache() (*Cache, error) {
	root := os.Getenv(CacheEnv)
	switch root {
	case "off":
		return nil, nil
	case "":
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("no directory for the program cache (%w); set %s to one, or to off", err, CacheEnv)
		}
		root = filepath.Join(dir, "neurogen")
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	return &Cache{dir: filepath.Join(root, "programs")}, nil
}

// toolchain returns the settings of the go command goCmd that the program depends on, as
// lines NAME=VALUE in the order of toolchainVars, under the environment of the build.
func toolchain(ctx context.Context, goCmd string, simd bool) ([]string, error) {
	cmd := exec.CommandContext(ctx, goCmd, append([]string{"env", "-json"}, toolchainVars...)...)
	cmd.Env = buildEnv(simd)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return nil, ErrInterrupted
	}
	var vars map[string]string
	if err == nil {
		err = json.Unmarshal(out, &vars)
	}
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = fmt.Errorf("%w: %s", err, msg)
		}
		return nil, fmt.Errorf("asking the go command about its toolchain (go env): %w", err)
	}
	lines := make([]string, len(toolchainVars))
	for i, name := range toolchainVars {
		lines[i] = name + "=" + vars[name]
	}
	return lines, nil
}

// cacheKey returns the key of the program built from files (by slash-separated path) with a
// toolchain: the hex SHA-256 of the cache's format, the toolchain's lines and each file's
// path, length and bytes, in the order of the paths. Quoting and lengths keep the encoding
// unambiguous: no two inputs hash the same text.
func cacheKey(toolchain []string, files map[string][]byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%q\n", cacheFormat)
	for _, line := range toolchain {
		fmt.Fprintf(h, "env %q\n", line)
	}
	for _, name := range sortedKeys(files) {
		fmt.Fprintf(h, "file %q %d\n", name, len(files[name]))
		h.Write(files[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ExeName is the file name of the program of package pkg.
func ExeName(pkg string) string {
	if goruntime.GOOS == "windows" {
		return pkg + ".exe"
	}
	return pkg
}

// SumFile is the name of the file that holds the program's SHA-256 in an entry.
const SumFile = "sha256"

// IsKey reports whether name is a key: 64 lower-case hex digits.
func IsKey(name string) bool {
	if len(name) != 2*sha256.Size {
		return false
	}
	for _, c := range name {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Lookup returns the path of the cached program of package pkg under key, after checking its
// bytes against its sum, and marks the entry used. An entry that fails the check is removed.
func (c *Cache) Lookup(key, pkg string) (string, bool) {
	entry := filepath.Join(c.dir, key)
	bin := filepath.Join(entry, ExeName(pkg))
	sum, err := os.ReadFile(filepath.Join(entry, SumFile))
	if errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(entry); errors.Is(err, fs.ErrNotExist) {
			return "", false // not cached
		}
	}
	fields := strings.Fields(string(sum))
	if err != nil || len(fields) != 2 || fields[1] != ExeName(pkg) || FileSum(bin) != fields[0] {
		c.discard(entry)
		return "", false
	}
	now := time.Now()
	os.Chtimes(entry, now, now) // for the least-recently-used order; a failure costs nothing now
	return bin, true
}

// FileSum returns the hex SHA-256 of the file at path, or "" when it cannot be read.
func FileSum(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// install stores the program bin of package pkg under key, with info, the text of the entry's
// info file. An entry already there is kept (a concurrent run stored the same program),
// unless replace is set (-rebuild). Then it removes the least recently used entries beyond
// maxCacheEntries.
func (c *Cache) install(key, pkg, bin, info string, replace bool) error {
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(c.dir, ".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // nothing left to remove once renamed
	sum, err := copyProgram(bin, filepath.Join(tmp, ExeName(pkg)))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, SumFile), fmt.Appendf(nil, "%s  %s\n", sum, ExeName(pkg)), 0o666); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "info"), []byte(info), 0o666); err != nil {
		return err
	}
	entry := filepath.Join(c.dir, key)
	if replace {
		c.discard(entry)
	}
	for try := 1; ; try++ {
		err := os.Rename(tmp, entry)
		if err == nil {
			break
		}
		// Another run stored the program first, unless the entry in the way is damaged,
		// which Lookup removes for the next try.
		if _, ok := c.Lookup(key, pkg); ok {
			break
		}
		if try == 3 {
			return err
		}
	}
	c.prune(maxCacheEntries)
	return nil
}

// copyProgram copies the program src to dst, executable, and returns the hex SHA-256 of the
// bytes written.
func copyProgram(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o777)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// discard removes an entry: it renames it out of the way first, so that no run sees it half
// removed.
func (c *Cache) discard(entry string) {
	aside := filepath.Join(c.dir, fmt.Sprintf(".tmp-discard-%d-%d", os.Getpid(), time.Now().UnixNano()))
	if os.Rename(entry, aside) == nil {
		os.RemoveAll(aside)
	}
}

// prune removes the least recently used entries beyond keep, and temporary directories older
// than staleTemp. It leaves anything else in the directory alone.
func (c *Cache) prune(keep int) {
	pruneDir(c.dir, keep, func(name string) bool { return strings.HasPrefix(name, ".tmp-") }, IsKey, c.discard)
}

// pruneDir removes the directories of dir that are stale (by name) and older than staleTemp,
// and of those that are kept (by name), all but the keep used last, by modification time. It
// removes a directory with remove, and leaves anything else alone.
func pruneDir(dir string, keep int, stale, kept func(name string) bool, remove func(path string)) {
	dirents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type entry struct {
		name string
		used time.Time
	}
	var entries []entry
	for _, d := range dirents {
		info, err := d.Info()
		if err != nil || !d.IsDir() {
			continue
		}
		switch name := d.Name(); {
		case stale(name):
			if time.Since(info.ModTime()) > staleTemp {
				os.RemoveAll(filepath.Join(dir, name))
			}
		case kept(name):
			entries = append(entries, entry{name, info.ModTime()})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return b.used.Compare(a.used) })
	for _, e := range entries[min(keep, len(entries)):] {
		remove(filepath.Join(dir, e.name))
	}
}

// buildRoot is the directory in which programs are built: build beside programs.
func (c *Cache) buildRoot() string { return filepath.Join(filepath.Dir(c.dir), "build") }

// stage writes the module of files (by slash-separated path) for a build under key into
// build/KEY, with the runtime's files in the shared build/neurogen-RUNTIME, and returns the
// module's directory and a function that removes it. It returns ok false when it cannot:
// another build holds build/KEY, or the disk refuses; the caller then builds elsewhere.
func (c *Cache) stage(key string, files map[string][]byte) (dir string, release func(), ok bool) {
	root := c.buildRoot()
	if err := os.MkdirAll(root, 0o777); err != nil {
		return "", nil, false
	}
	c.pruneBuilds(root)
	rt := map[string][]byte{}
	mod := map[string][]byte{}
	for name, b := range files {
		if rest, ok := strings.CutPrefix(name, runtimePrefix); ok {
			rt[rest] = b
		} else {
			mod[name] = b
		}
	}
	rtName := "neurogen-" + cacheKey(nil, rt)[:32]
	goMod := string(mod["go.mod"])
	local := "=> ./" + strings.TrimSuffix(runtimePrefix, "/") + "\n"
	if !strings.Contains(goMod, local) {
		return "", nil, false // a go.mod of another shape: build it as it is
	}
	mod["go.mod"] = []byte(strings.Replace(goMod, local, "=> ../"+rtName+"\n", 1))
	if !c.stageRuntime(root, rtName, rt) {
		return "", nil, false
	}
	dir = filepath.Join(root, key)
	if err := os.Mkdir(dir, 0o777); err != nil {
		return "", nil, false // another run is building the same program, or a crashed one left it
	}
	release = func() { os.RemoveAll(dir) }
	if err := writeFiles(dir, mod); err != nil {
		release()
		return "", nil, false
	}
	return dir, release, true
}

// stageRuntime makes root/name hold exactly the runtime's files rt, unless it already does:
// they are written into a temporary directory that is renamed into place, so that a build
// never sees half of them. A directory there with other contents (damaged) is replaced.
func (c *Cache) stageRuntime(root, name string, rt map[string][]byte) bool {
	dir := filepath.Join(root, name)
	for try := 0; try < 3; try++ {
		if sameFiles(dir, rt) {
			now := time.Now()
			os.Chtimes(dir, now, now) // for pruneBuilds
			return true
		}
		if _, err := os.Stat(dir); err == nil {
			aside := filepath.Join(root, fmt.Sprintf(".tmp-discard-%d-%d", os.Getpid(), time.Now().UnixNano()))
			if os.Rename(dir, aside) == nil {
				os.RemoveAll(aside)
			}
		}
		tmp, err := os.MkdirTemp(root, ".tmp-")
		if err != nil {
			return false
		}
		if err := writeFiles(tmp, rt); err != nil {
			os.RemoveAll(tmp)
			return false
		}
		if os.Rename(tmp, dir) != nil {
			os.RemoveAll(tmp) // another run put it there first: check it on the next try
		}
	}
	return false
}

// sameFiles reports whether dir holds files (by slash-separated path) with exactly their bytes,
// and no other file.
func sameFiles(dir string, files map[string][]byte) bool {
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		want, ok := files[filepath.ToSlash(rel)]
		if !ok {
			return fs.ErrExist
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			return fs.ErrInvalid
		}
		n++
		return nil
	})
	return err == nil && n == len(files)
}

// maxRuntimes bounds the runtimes kept in build/: each neurogen version has its own.
const maxRuntimes = 4

// pruneBuilds removes from root the build directories of runs that crashed or were killed
// (older than staleTemp), and the runtimes beyond the maxRuntimes used last.
func (c *Cache) pruneBuilds(root string) {
	stale := func(name string) bool { return strings.HasPrefix(name, ".tmp-") || IsKey(name) }
	runtime := func(name string) bool { return strings.HasPrefix(name, "neurogen-") }
	pruneDir(root, maxRuntimes, stale, runtime, func(path string) { os.RemoveAll(path) })
}
