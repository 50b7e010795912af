package kyc

import "time"

// parseDate reads a date of the basic info (DateLayout) as midnight UTC.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, s)
	return t, err == nil
}

// day returns the calendar day of t in UTC, at midnight. Every rule
// compares whole days in UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// atLeast reports whether someone born on dob is at least years old on
// today. A person born on 29 February becomes a year older on 1 March in
// common years.
func atLeast(dob, today time.Time, years int) bool {
	return !dob.AddDate(years, 0, 0).After(today)
}

// yymmdd formats a date the way the MRZ does.
func yymmdd(t time.Time) string { return t.Format("060102") }
