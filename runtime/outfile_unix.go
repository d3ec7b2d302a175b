//go:build unix

package runtime

import (
	"errors"
	"syscall"
)

// canTellProcesses says whether processGone can tell a running process from a gone one.
const canTellProcesses = true

// processGone reports whether no process has the id pid.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// writableDir and writableFile report whether this process may create files in dir, and write
// the file path (access(2)); they are variables so that tests can pretend.
var (
	writableDir  = func(dir string) bool { return syscall.Access(dir, 0x2|0x1) == nil } // W_OK|X_OK
	writableFile = func(path string) bool { return syscall.Access(path, 0x2) == nil }   // W_OK
)
