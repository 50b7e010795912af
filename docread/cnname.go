package docread

// The Chinese model's reading of a name changes with the size the line
// is given at: a character misread at one size is usually read right at
// the others. The name line is read as photographed (the cleaning that
// helps the other lines thins the dense strokes of characters like 鑫
// and 磊) at three sizes, and the readings vote.

// cnNameHeights are the heights, in pixels, of the name's ink the line
// is read at, the preferred first.
var cnNameHeights = []float64{36, 40, 32}

// readName reads the name line r, whose ink is inkH pixels high, at each
// of cnNameHeights (the third only when the first two differ) and
// returns the vote of the readings.
func readName(tp *tessPair, r *plane, inkH int) string {
	if inkH <= 0 {
		return ""
	}
	var reads []string
	for i, th := range cnNameHeights {
		if i == 2 && onlyHan(reads[0]) != "" && onlyHan(reads[0]) == onlyHan(reads[1]) {
			break // two agree: a third cannot outvote them
		}
		k := th / float64(inkH)
		w, h := max(1, int(float64(r.w)*k+0.5)), max(1, int(float64(r.h)*k+0.5))
		q := warpArea(r, [4][2]float64{{0, 0}, {float64(r.w), 0}, {float64(r.w), float64(r.h)}, {0, float64(r.h)}}, w, h)
		reads = append(reads, tp.chi.recognise(q.pix, q.w, q.h, psmRawLine, ""))
	}
	return voteReadings(reads)
}

// voteReadings combines readings of one line: their Han characters, the
// readings of the most common length (the first reading's on a tie)
// voting character by character, a tie going to the earliest reading.
func voteReadings(reads []string) string {
	if len(reads) == 0 {
		return ""
	}
	rs := make([][]rune, len(reads))
	count := map[int]int{}
	for i, r := range reads {
		rs[i] = []rune(onlyHan(r))
		count[len(rs[i])]++
	}
	n := len(rs[0])
	for _, r := range rs {
		if l := len(r); l > 0 && (n == 0 || count[l] > count[n]) {
			n = l
		}
	}
	out := make([]rune, n)
	for i := range out {
		votes := map[rune]int{}
		var best rune
		for _, r := range rs {
			if len(r) != n {
				continue
			}
			votes[r[i]]++
			if best == 0 || votes[r[i]] > votes[best] {
				best = r[i]
			}
		}
		out[i] = best
	}
	return string(out)
}
