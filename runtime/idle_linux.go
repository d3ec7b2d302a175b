//go:build linux

package runtime

import "syscall"

// osYield gives the thread's CPU to another thread that is ready to run, if any (sched_yield):
// a spinning worker must not keep the CPU from the one it waits for when there are more
// threads than CPUs. It returns at once on an idle machine.
func osYield() { syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }
