package alert

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used (user and system), for
// benchmarks that compare two ways on a machine other processes share.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
