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
