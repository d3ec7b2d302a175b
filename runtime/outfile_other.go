//go:build !unix

package runtime

// canTellProcesses says whether processGone can tell a running process from a gone one: here it
// cannot, and leftovers are told by their age alone.
const canTellProcesses = false

// processGone reports whether no process has the id pid: here it never knows.
func processGone(pid int) bool { return false }

// writableDir and writableFile would tell whether a directory and a file are writable: here
// every directory counts as writable, so outputs are always written through a temporary file.
var (
	writableDir  = func(dir string) bool { return true }
	writableFile = func(path string) bool { return true }
)
