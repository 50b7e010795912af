package mrz

import "fmt"

// CheckDigit computes the ICAO 9303 Part 3 check digit of s: each
// character is given a value (digits their own value, A–Z 10–35, the
// filler '<' 0), multiplied in turn by the weights 7, 3, 1, 7, 3, 1, …,
// and the sum is taken modulo 10. It fails on a character outside the MRZ
// alphabet.
func CheckDigit(s string) (int, error) {
	sum := 0
	for i := 0; i < len(s); i++ {
		v, ok := value(s[i])
		if !ok {
			return 0, fmt.Errorf("mrz: character %d is outside the MRZ alphabet", i)
		}
		sum += v * weights[i%3]
	}
	return sum % 10, nil
}

var weights = [3]int{7, 3, 1}

// value is the numeric value of an MRZ character.
func value(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == '<':
		return 0, true
	}
	return 0, false
}

// verify reports whether check is the check digit of s. When blankOK is
// set, a field made only of fillers may carry '<' (or '0') instead.
func verify(s string, check byte, blankOK bool) bool {
	if blankOK && allFiller(s) && (check == '<' || check == '0') {
		return true
	}
	if check < '0' || check > '9' {
		return false
	}
	d, err := CheckDigit(s)
	return err == nil && d == int(check-'0')
}

func allFiller(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			return false
		}
	}
	return true
}
