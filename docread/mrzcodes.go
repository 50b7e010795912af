package docread

import "time"

// checkCodes turns codesMatched on; the tests turn it off to count what
// it changes.
var checkCodes = true

// issuerSpan is the issuing state's code in every MRZ format: the first
// line's cells 2 to 4 (ICAO 9303).
var issuerSpan = span{0, 2, 5}

// codesMatched returns h, a retake, with a letter of its nationality
// read with doubt taken from the issuing state's code, or the other way
// round. A cell of one code is read with doubt when the letter the other
// code holds at the same place scores within nameLookAlikeLead of the
// letter read there (floor, h's own scores); it takes that letter when
// the other code's cell was read without doubt: its letter leads the
// doubtful cell's letter by nameLookAlikeLead or more there. No check
// digit covers either code. h stays a retake: this chooses what a
// retake reports, never Readable.
//
// A passport or identity card is issued, nearly always, by the state
// whose national its holder is: the two codes are the same letters
// (refugees', stateless persons' and aliens' documents aside, whose
// nationality differs in more than one look-alike). A near tie in one
// code is then settled by the other (dev seed 231's TD3 0046: the
// nationality UTO read UTQ, 0.916 against the O's 0.905, on the plane
// reported, O on the issuer's cell).
func (h mrzHit) codesMatched(now time.Time) mrzHit {
	if h.data.Readable || len(h.floor) != len(h.lines) {
		return h
	}
	fs, ok := fieldSpans[h.kind]
	if !ok {
		return h
	}
	lay := layouts[h.kind]
	nat := fs.nationality
	in := func(s span) bool {
		return s.line < len(h.lines) && s.end <= len(h.lines[s.line]) && s.end <= len(h.floor[s.line]) && s.line < len(lay) && s.end <= len(lay[s.line])
	}
	if !in(issuerSpan) || !in(nat) || nat.end-nat.start != issuerSpan.end-issuerSpan.start {
		return h
	}
	lines := byteLines(h.lines)
	changed := false
	for k := 0; k < nat.end-nat.start; k++ {
		for _, pr := range [][2]span{{nat, issuerSpan}, {issuerSpan, nat}} {
			d, o := pr[0], pr[1]
			di, dj, oi, oj := d.line, d.start+k, o.line, o.start+k
			cur, alt := h.lines[di][dj], h.lines[oi][oj]
			if cur == alt || alt < 'A' || alt > 'Z' || cur < 'A' || cur > 'Z' || !admits(lay[di][dj], alt) {
				continue
			}
			fd, fo := h.floor[di][dj], h.floor[oi][oj]
			if fd[indexOf(cur)]-fd[indexOf(alt)] < nameLookAlikeLead && fo[indexOf(alt)]-fo[indexOf(cur)] >= nameLookAlikeLead {
				lines[di][dj], changed = alt, true
			}
		}
	}
	if !changed {
		return h
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = string(l)
	}
	h.lines = out
	h.data = mrzRead(h.kind, out, now)
	h.data.Readable = false
	return h
}
