package cnid

import (
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAge(t *testing.T) {
	for _, tc := range []struct {
		birth, at string
		want      int
	}{
		{"1982-01-13", "2010-04-02", 28},
		{"1982-04-02", "2010-04-02", 28}, // the birthday itself
		{"1982-04-03", "2010-04-02", 27}, // the day before
		{"1984-03-01", "2010-03-01", 26}, // born in a leap year, after February
		{"1983-03-01", "2012-02-29", 28}, // a leap day before the birthday
		{"1984-02-29", "2010-02-28", 25}, // a leap-day birthday, not yet
		{"1984-02-29", "2010-03-01", 26},
	} {
		if got := Age(date(tc.birth), date(tc.at)); got != tc.want {
			t.Errorf("Age(%s, %s) = %d, want %d", tc.birth, tc.at, got, tc.want)
		}
	}
}

func TestValidityYears(t *testing.T) {
	for _, tc := range []struct {
		birth, applied string
		want           int
	}{
		{"2002-06-25", "2018-06-24", 5},
		{"2002-06-25", "2018-06-25", 10},
		{"1985-05-01", "2011-04-30", 10},
		{"1985-05-01", "2011-05-01", 20},
		{"1964-10-23", "2010-10-22", 20},
		{"1964-10-23", "2010-10-23", 0},
	} {
		if got := ValidityYears(date(tc.birth), date(tc.applied)); got != tc.want {
			t.Errorf("ValidityYears(%s, %s) = %d, want %d", tc.birth, tc.applied, got, tc.want)
		}
	}
}

func TestPeriodFitsAge(t *testing.T) {
	for _, tc := range []struct {
		name, birth, issue string
		years              int
		want               bool
	}{
		// Held-out seed 20281717: 20 years read as 10 at 28.
		{"20 years at 28", "1982-01-13", "2010-04-02", 20, true},
		{"10 years at 28", "1982-01-13", "2010-04-02", 10, false},
		// Dev seed 132, a small photo: 2018 read as 2015 in both dates,
		// 10 years at 13.
		{"10 years at 16", "2002-06-25", "2018-10-29", 10, true},
		{"10 years at 13", "2002-06-25", "2015-10-29", 10, false},
		{"5 years at 13", "2002-06-25", "2015-10-29", 5, true},
		{"long-term at 60", "1950-01-07", "2010-10-23", 0, true},
		{"long-term at 40", "1970-01-07", "2010-10-23", 0, false},
		{"20 years at 50", "1960-01-07", "2010-10-23", 20, false},
		// Applied for at 25, issued at 26: both periods fit within
		// MaxIssueDays of the birthday, neither after.
		{"10 years, issued 30 days after the 26th birthday", "1985-05-01", "2011-05-31", 10, true},
		{"20 years, issued 30 days after the 26th birthday", "1985-05-01", "2011-05-31", 20, true},
		{"10 years, issued 91 days after the 26th birthday", "1985-05-01", "2011-07-31", 10, false},
		{"20 years, issued the day before the 26th birthday", "1985-05-01", "2011-04-30", 20, false},
		{"long-term, issued 89 days after the 46th birthday", "1964-10-23", "2011-01-20", 0, true},
		{"20 years, issued 89 days after the 46th birthday", "1964-10-23", "2011-01-20", 20, true},
		{"20 years, issued 90 days after the 46th birthday", "1964-10-23", "2011-01-21", 20, false},
	} {
		if got := PeriodFitsAge(date(tc.birth), date(tc.issue), tc.years); got != tc.want {
			t.Errorf("%s: PeriodFitsAge(%s, %s, %d) = %t, want %t", tc.name, tc.birth, tc.issue, tc.years, got, tc.want)
		}
	}
}
