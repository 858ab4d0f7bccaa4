package agent

import "golang.org/x/sys/unix"

// LockMemory keeps the process's memory out of swap and out of core
// dumps, and other processes of the same user from reading it through
// the debugger interface. It reports whether the memory is locked: the
// system refuses when the user's limit (ulimit -l) is lower than what a
// Go program maps.
func LockMemory() bool {
	unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
	// Pages are locked as they are first used (MCL_ONFAULT, Linux 4.4),
	// not all at once: a Go program maps far more than it touches.
	if unix.Mlockall(unix.MCL_CURRENT|unix.MCL_FUTURE|unix.MCL_ONFAULT) == nil {
		return true
	}
	return unix.Mlockall(unix.MCL_CURRENT|unix.MCL_FUTURE) == nil
}
