package cnid

import "time"

// MaxIssueDays is the most days a card may be issued after it was
// applied for: the Resident Identity Card Law, article 11, gives the
// police 60 days from the application, extended by at most 30 in areas
// hard to reach.
const MaxIssueDays = 90

// ValidityYears returns the validity period, in years, that the Resident
// Identity Card Law (article 5) gives a card applied for on the day
// applied by a holder born on birth: 5 under the age of 16, 10 from 16 to
// 25, 20 from 26 to 45, and 0 (long-term, 长期) from 46.
func ValidityYears(birth, applied time.Time) int {
	switch age := Age(birth, applied); {
	case age < 16:
		return 5
	case age < 26:
		return 10
	case age < 46:
		return 20
	}
	return 0
}

// Age returns the age in whole years, on the day at, of a person born on
// birth (a 29 February birthday falls on 1 March in other years).
func Age(birth, at time.Time) int {
	age := at.Year() - birth.Year()
	if at.Month() < birth.Month() || at.Month() == birth.Month() && at.Day() < birth.Day() {
		age--
	}
	return age
}

// PeriodFitsAge reports whether a card issued on the day issue with a
// validity period of years (0 for long-term) may belong to a holder born
// on birth: whether the law gives that period on some day of the
// MaxIssueDays up to issue, when the card may have been applied for.
func PeriodFitsAge(birth, issue time.Time, years int) bool {
	// The period grows with the age: the window's two ends give every
	// period the days between them can.
	return ValidityYears(birth, issue) == years || ValidityYears(birth, issue.AddDate(0, 0, -MaxIssueDays)) == years
}
