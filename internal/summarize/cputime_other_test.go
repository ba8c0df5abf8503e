//go:build !linux

package summarize

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
