package runtime

// Output files (state files, recordings, spike tables) are written whole or not at all, without
// clobbering what the output path names. The rules, for an output path P:
//   - A symlink is written through: the file it points to (following every link) gets the data,
//     and the link stays. A dangling link creates the file it points to.
//   - A regular file, or nothing, is written atomically: the data go into a temporary file
//     .NAME.tmp-PID-RANDOM beside the file, which is synced and renamed over it only when all of
//     it is written; on any failure the file that was there is left as it was. Where the file's
//     directory does not let a temporary file be made but the file itself is writable, the file
//     is written in place (truncated, then written and synced), which is not atomic.
//   - An existing file that is not regular (a device such as /dev/null, a FIFO) cannot be
//     replaced: it is opened and written in place, never renamed over. Write errors on it (a full
//     device) are reported as they come.
//   - A directory is refused.
//
// Before creating its temporary file, a write removes the temporary files that killed writes to
// the same file left: those named after that file whose process (the PID in the name) is gone,
// and those of the older form .NAME.tmp-RANDOM that are more than an hour old. Nothing else in
// the directory is touched.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"time"
)

// OutputTarget is where an output path's data go.
type OutputTarget struct {
	Path    string // the path as named
	File    string // the file that gets the data: Path with its symlinks resolved
	Special bool   // File exists and is not a regular file (a device, a FIFO): written in place
	Exists  bool   // File exists (a regular file that the write replaces, or a Special one)
	// InPlace reports that File is opened and written, not replaced: a Special file, or a regular
	// one whose directory is not writable while the file is (not atomic).
	InPlace bool
	// Perm is the permissions that Commit gives the new file: those of the file it replaces, or
	// 0644 for a new one. A caller may change it before Commit (an executable: 0755). A Special
	// file keeps its own.
	Perm fs.FileMode
}

// maxLinks is how many symlinks ResolveOutput follows before it gives up, as Linux does.
const maxLinks = 40

// ResolveOutput finds where data written to path go: it follows symlinks (a dangling one names the
// file to create) and refuses a directory.
func ResolveOutput(path string) (*OutputTarget, error) {
	file := path
	for links := 0; ; links++ {
		fi, err := os.Lstat(file)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return &OutputTarget{Path: path, File: file, Perm: 0o644}, nil
		case err != nil:
			return nil, err
		case fi.Mode()&fs.ModeSymlink != 0:
			if links == maxLinks {
				return nil, &fs.PathError{Op: "write", Path: path, Err: errors.New("too many levels of symbolic links")}
			}
			dest, err := os.Readlink(file)
			if err != nil {
				return nil, err
			}
			if !filepath.IsAbs(dest) {
				dest = filepath.Join(filepath.Dir(file), dest)
			}
			file = dest
		case fi.IsDir():
			if file != path {
				return nil, &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("is a link to the directory %s, not a file", file)}
			}
			return nil, &fs.PathError{Op: "write", Path: path, Err: errors.New("is a directory, not a file")}
		case fi.Mode().IsRegular():
			inPlace := !writableDir(filepath.Dir(file)) && writableFile(file)
			return &OutputTarget{Path: path, File: file, Exists: true, InPlace: inPlace, Perm: fi.Mode().Perm()}, nil
		default:
			return &OutputTarget{Path: path, File: file, Special: true, Exists: true, InPlace: true}, nil
		}
	}
}

// OutputFile is an output file being written: a temporary file that Commit renames over the
// target, or, for an InPlace target, the target itself.
type OutputFile struct {
	t    *OutputTarget
	f    *os.File
	tmp  string // the temporary file, or "" when the target is written in place
	done bool

	// fault, when not nil, is asked before each stage of Commit ("chmod", "sync", "close",
	// "rename", "syncdir") and makes that stage fail with its error: a seam for the tests.
	fault func(stage string) error
}

// CreateOutput resolves path (see ResolveOutput) and opens it for writing (see OutputTarget.Create).
func CreateOutput(path string) (*OutputFile, error) {
	t, err := ResolveOutput(path)
	if err != nil {
		return nil, err
	}
	return t.Create()
}

// Create opens the target for writing. For an InPlace target it opens the file itself,
// truncating it; otherwise it removes the leftovers of killed writes to the file and creates a
// temporary file beside it.
func (t *OutputTarget) Create() (*OutputFile, error) {
	if t.InPlace {
		f, err := os.OpenFile(t.File, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, err
		}
		return &OutputFile{t: t, f: f}, nil
	}
	dir, base := filepath.Split(t.File)
	if dir == "" {
		dir = "."
	}
	removeLeftovers(t.File)
	f, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) { // name the file asked for, not the temporary one
			err = &fs.PathError{Op: "create", Path: t.File, Err: pe.Err}
		}
		return nil, err
	}
	return &OutputFile{t: t, f: f, tmp: f.Name()}, nil
}

// tempPrefix is the start of the names of the temporary files for a file named base.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// staleAge is the age after which a temporary file whose writer cannot be told is a leftover.
const staleAge = time.Hour

// RemoveOutputLeftovers removes the temporary files that killed writes to file (through
// CreateOutput) left beside it: those whose process is gone, and those of the older form that
// are more than an hour old. OutputTarget.Create calls it; a program that handed file to another
// process to write calls it once that process has ended. It reports nothing: what it cannot
// remove stays.
func RemoveOutputLeftovers(file string) { removeLeftovers(file) }

// removeLeftovers is RemoveOutputLeftovers.
func removeLeftovers(file string) {
	dir, base := filepath.Split(file)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		pid, random, hasPID := strings.Cut(rest, "-")
		if !digits(pid) || hasPID && !digits(random) {
			continue // not a name this package makes
		}
		stale := false
		if hasPID {
			p, err := strconv.Atoi(pid)
			stale = err == nil && p != os.Getpid() && processGone(p)
		}
		if !stale {
			info, err := e.Info()
			stale = err == nil && time.Since(info.ModTime()) > staleAge && (!hasPID || !canTellProcesses)
		}
		if stale {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// digits reports whether s is a non-empty string of decimal digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Name returns the name of the file being written: the temporary file, or the target itself.
func (f *OutputFile) Name() string { return f.f.Name() }

// Target returns where the data go.
func (f *OutputFile) Target() *OutputTarget { return f.t }

// Write writes to the file.
func (f *OutputFile) Write(p []byte) (int, error) { return f.f.Write(p) }

// Close closes the file without committing it; the temporary file stays for Commit (which
// renames it by name) or Discard. Data written after Close, by another process, are committed
// all the same.
func (f *OutputFile) Close() error { return f.f.Close() }

// Commit finishes the file: a temporary file gets Perm, is synced, closed and renamed over the
// target, and the directory is synced; a target written in place is synced (unless Special)
// and closed. Errors from each stage are returned; before the rename, the target is
// left as it was. After the rename, an error says the file is in place.
func (f *OutputFile) Commit() error {
	if f.done {
		return errors.New("runtime: OutputFile.Commit after Commit or Discard")
	}
	f.done = true
	if f.tmp == "" {
		if !f.t.Special { // a device may not sync (/dev/null cannot)
			if err := f.stage("sync", f.f.Sync); err != nil {
				f.f.Close()
				return err
			}
		}
		return f.stage("close", f.f.Close)
	}
	renamed := false
	defer func() {
		if !renamed {
			f.f.Close() // a second Close only returns an error
			os.Remove(f.tmp)
		}
	}()
	for _, s := range []struct {
		stage string
		do    func() error
	}{
		{"chmod", func() error { return os.Chmod(f.tmp, f.t.Perm) }},
		{"sync", f.sync},
		{"close", f.closeOnce},
		{"rename", func() error { return os.Rename(f.tmp, f.t.File) }},
	} {
		if err := f.stage(s.stage, s.do); err != nil {
			return err
		}
	}
	renamed = true
	if err := f.stage("syncdir", func() error { return syncDir(filepath.Dir(f.t.File)) }); err != nil {
		return fmt.Errorf("the file is in place, but syncing its directory failed: %w", err)
	}
	return nil
}

// stage runs one stage of Commit, or fails it with the error Fault gives.
func (f *OutputFile) stage(name string, do func() error) error {
	if f.fault != nil {
		if err := f.fault(name); err != nil {
			if name == "syncdir" {
				return err
			}
			return fmt.Errorf("%s %s: %w", name, f.Name(), err)
		}
	}
	return do()
}

// sync syncs the temporary file: through the open file, or, when it was closed, by opening it.
func (f *OutputFile) sync() error {
	if err := f.f.Sync(); !errors.Is(err, os.ErrClosed) {
		return err
	}
	g, err := os.Open(f.tmp)
	if err != nil {
		return err
	}
	err = g.Sync()
	if cerr := g.Close(); err == nil {
		err = cerr
	}
	return err
}

// closeOnce closes the file unless Close did already.
func (f *OutputFile) closeOnce() error {
	if err := f.f.Close(); !errors.Is(err, os.ErrClosed) {
		return err
	}
	return nil
}

// Discard abandons the file: a temporary file is removed, and the target is as it was (a target
// written in place keeps what was written). It does nothing after Commit.
func (f *OutputFile) Discard() {
	if f.done {
		return
	}
	f.done = true
	f.f.Close()
	if f.tmp != "" {
		os.Remove(f.tmp)
	}
}

// syncDir syncs a directory, so that a rename in it is on disk. Windows cannot, and needs not.
func syncDir(dir string) error {
	if goruntime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
