package bot

// What only the tests read: the intake's counters.

// IntakeStats counts the updates handled and dropped.
type IntakeStats struct{ Handled, Dropped int64 }

// Stats returns the counters so far.
func (in *Intake) Stats() IntakeStats {
	return IntakeStats{Handled: in.handled.Load(), Dropped: in.dropped.Load()}
}
