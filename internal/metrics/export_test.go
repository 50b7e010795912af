package metrics

import "time"

// SetAgeTimeout sets the AgeFunc timeout for a test and returns the undo.
func SetAgeTimeout(d time.Duration) (undo func()) {
	old := ageTimeout
	ageTimeout = d
	return func() { ageTimeout = old }
}
