//go:build !linux

package runtime

import goruntime "runtime"

// osYield lets other goroutines run; elsewhere than on Linux it does not call the system to
// yield the thread's CPU.
func osYield() { goruntime.Gosched() }
