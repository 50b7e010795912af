package docread

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// workSize is the long side, in pixels, photos are decoded to: the MRZ's
// characters of a document filling a third of a 12 MP frame keep about
// 10 pixels of height.
const workSize = 2000

// cardLong is the long side of the straightened card.
const cardLong = 1400

// timings accumulates stage durations in milliseconds.
type timings map[string]float64

// lap adds the time since t to stage and returns now.
func (tm timings) lap(stage string, t time.Time) time.Time {
	now := time.Now()
	if tm != nil {
		tm[stage] += float64(now.Sub(t).Microseconds()) / 1000
	}
	return now
}

// mapping takes a point of a working plane to the original photo.
type mapping func(x, y float64) (float64, float64)

// source is a decoded photo: its plane at working resolution, the
// document outline, and the way back to photo pixels.
type source struct {
	p      *plane
	scale  float64       // photo pixels per plane pixel
	doc    [4][2]float64 // the outline in plane pixels
	hasDoc bool
}

func (s *source) toPhoto(x, y float64) (float64, float64) {
	return (x + 0.5) * s.scale, (y + 0.5) * s.scale
}

// card straightens the document outline into a rectangle of its own
// proportions, at most cardLong pixels long and never enlarged, and
// returns it with the mapping of its pixels to the photo.
func (s *source) card() (*plane, mapping) { return s.cardAt(0) }

// cardAt is card with the rectangle's long side over its short side set
// to aspect (the document's format), when aspect is not zero: a camera
// tilted towards the card shortens one side of the outline, and the
// glyphs with it.
func (s *source) cardAt(aspect float64) (*plane, mapping) {
	q := s.doc
	d := func(a, b [2]float64) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }
	w := (d(q[0], q[1]) + d(q[3], q[2])) / 2
	h := (d(q[0], q[3]) + d(q[1], q[2])) / 2
	if aspect > 0 {
		if w >= h {
			h = w / aspect
		} else {
			w = h / aspect
		}
	}
	k := math.Min(1, cardLong/math.Max(w, h))
	cw, ch := max(1, int(w*k)), max(1, int(h*k))
	// Sample pixel centres: plane coordinates have pixel centres at
	// integers, the quad has them at +0.5.
	c := warp(s.p, q, cw, ch)
	m := squareTo(q)
	return c, func(x, y float64) (float64, float64) {
		px, py := m.apply((x+0.5)/float64(cw), (y+0.5)/float64(ch))
		return px * s.scale, py * s.scale
	}
}

// planeFromGray returns g as a plane, sharing its pixels when its rows
// are contiguous (the decoder's are: no copy of 3 MB per photo).
func planeFromGray(g *image.Gray) *plane {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if g.Stride == w && len(g.Pix) >= w*h {
		return &plane{w: w, h: h, pix: g.Pix[:w*h]}
	}
	p := newPlane(g.Rect.Dx(), g.Rect.Dy())
	for y := 0; y < p.h; y++ {
		copy(p.pix[y*p.w:(y+1)*p.w], g.Pix[y*g.Stride:y*g.Stride+p.w])
	}
	return p
}

func (r *Reader) read(ctx context.Context, photo []byte, side imagecheck.Side, hint Hint) (*Result, error) {
	dec, err := imagecheck.Decode(photo, workSize, r.opts.MaxPixels)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUndecodable, err)
	}
	res := &Result{Timings: timings{"decode": dec.Timings["decode"], "document": dec.Timings["document"]}}
	src := &source{p: planeFromGray(dec.Gray), scale: dec.Scale}
	if len(dec.Document) == 4 {
		src.hasDoc = true
		for i, c := range dec.Document {
			src.doc[i] = [2]float64{c.X, c.Y}
		}
	}
	now := time.Now()
	switch {
	case hint.IDType == string(kyc.CNResidentID):
		err = r.readCNID(ctx, src, side, hint.chineseName(), res)
	default:
		err = r.readMRZ(ctx, src, now, res)
		if err == nil && res.Data.Kind == kyc.ReadNone && hint.IDType == "" && hint.DocumentNumber == "" {
			// Nothing typed to go by (a local read of a file): a card
			// without an MRZ may be a mainland ID.
			err = r.readCNID(ctx, src, side, hint.chineseName(), res)
			if res.Data.Kind == kyc.ReadNone {
				res.Data = kyc.DocumentRead{}
			}
		}
		if err == nil && res.Data.Kind == kyc.ReadNone {
			err = r.readVisual(ctx, src, side, hint, res)
		}
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, ErrBudget
	}
	if err != nil {
		return nil, err
	}
	if hint.IDType == string(kyc.Passport) && side != imagecheck.Back {
		// A passport's data page always carries an MRZ.
		res.Data.Expected = true
	}
	return res, nil
}

// readMRZ looks for the MRZ on the whole photo, then on the straightened
// card unless the zone found verified. A zone repaired by its check
// digits (pending) is vouched for only when a reading on another plane
// saw the repaired fields as repaired; otherwise it is reported as seen,
// not Readable.
func (r *Reader) readMRZ(ctx context.Context, src *source, now time.Time, res *Result) error {
	tm := timings(res.Timings)
	var hs mrzHits
	if h, ok := bestMRZ(ctx, src.p, now, tm); ok {
		hs.add(h, src.toPhoto)
	}
	best, found := hs.best()
	if src.hasDoc && (!found || !best.h.data.Readable) && ctx.Err() == nil {
		// Strong perspective bends the pitch along a line and shears the
		// glyphs: read again on the straightened card, also when the zone
		// verified but was not read with confidence or waits for a
		// second reading; at the outline's own proportions, then (a zone
		// found, still not readable) at its format's, which also undoes
		// a camera tilted towards the card.
		aspects := []float64{0}
		if found {
			aspects = append(aspects, formatAspect[best.h.kind])
		}
		for _, a := range aspects {
			if ctx.Err() != nil || found && best.h.data.Readable {
				break
			}
			t := time.Now()
			confirming := found && best.h.pending()
			c, m := src.cardAt(a)
			tm.lap("straighten", t)
			if h, ok := bestMRZ(ctx, c, now, tm); ok {
				hs.add(h, m)
			}
			best, found = hs.best()
			if confirming {
				tm.lap("confirm", t)
			}
		}
	}
	if !found {
		return ctx.Err()
	}
	best = hs.settle(now)
	res.Data = best.h.data
	res.Zone = quadToPoints(best.h.zone, best.m)
	return nil
}

// hitOn is a zone read on one plane and the way back to the photo.
type hitOn struct {
	h mrzHit
	m mapping
}

// mrzHits are the zones read on the planes of one photo (the photo, the
// straightened card): each plane's best.
type mrzHits []hitOn

// add records h, read on the plane mapped by m. A pending zone (repaired
// by its check digits) that another plane's reading confirms becomes
// Readable, whichever of the two was read first.
func (hs *mrzHits) add(h mrzHit, m mapping) {
	for i := range *hs {
		o := &(*hs)[i]
		if confirms(o.h, h) {
			o.h.confirm, o.h.data.Readable = nil, true
		}
		if confirms(h, o.h) {
			h.confirm, h.data.Readable = nil, true
		}
	}
	*hs = append(*hs, hitOn{h, m})
}

// best returns the preferred zone (better), the first read on a tie.
func (hs mrzHits) best() (hitOn, bool) {
	if len(hs) == 0 {
		return hitOn{}, false
	}
	b := hs[0]
	for _, o := range hs[1:] {
		if better(o.h, b.h) {
			b = o
		}
	}
	return b, true
}

// settle returns the zone to report once every plane was read: a zone
// still pending, repaired and confirmed by no second reading, is not
// Readable: a retake, chosen among the planes as seen (unrepaired). So
// is a zone another plane's reading contradicts (disputes). A retake
// reported carries its check digits' repair (withRepair), not vouched
// for.
func (hs mrzHits) settle(now time.Time) hitOn {
	for i := range hs {
		if hs[i].h.pending() {
			rep := hs[i].h.lines
			hs[i].h = hs[i].h.unrepaired(now)
			hs[i].h.repaired = rep
		}
	}
	if checkPlanes {
		disputed := make([]bool, len(hs))
		for i := range hs {
			for j := range hs {
				disputed[i] = disputed[i] || i != j && disputes(hs[j].h, hs[i].h)
			}
		}
		for i := range hs {
			if disputed[i] {
				hs[i].h.data.Readable = false
			}
		}
	}
	b, _ := hs.best()
	// The zone reported, when a retake, is reported with the repair its
	// check digits single out (retakeRepair): chosen among the planes
	// as read, not as repaired.
	b.h = b.h.withRepair(now)
	if checkVote {
		b.h = b.h.voted(hs, now)
	}
	if checkCodes {
		b.h = b.h.codesMatched(now)
	}
	if checkShaped {
		b.h = b.h.shaped(now)
	}
	return b
}

// checkShaped turns shaped on; the tests turn it off to count what it
// changes.
var checkShaped = true

// shapedPairs are the pairs shaped reads by the glyph's shape: T and I.
// T and Y are not: blur closes a Y's notch (its measure reaching a T's)
// and the warp of a straightened card opens a T's junction (held-out
// seed 20282525's TD2 0048: 0.82, a Y's), so that their shape can hold
// a change back (voted) but not make one alone.
var shapedPairs = [][2]byte{{'T', 'I'}, {'I', 'T'}}

// shaped returns h, a retake, with each key cell no check digit covers
// (names, nationality) read as the other letter of a pair of
// shapedPairs when that letter scores within nameLookAlikeLead of the
// letter read on h's plane (floor) and the glyph's shape there (h.shapes)
// speaks for it and not for the letter read: the bar of a T (paper
// either side of its foot) or the serifs of an I. Nothing changes when
// the result breaks the name's grammar while h kept it. h stays a
// retake: this chooses what a retake reports, never Readable.
//
// On hard print a name's T read I and an I read T are near ties on
// every plane (dev seeds 185-187: the letters' scores within 0.01-0.03),
// the glyph's whole correlation weighed by its stem, while the foot
// sets them apart at every blur measured (TestFootShape).
func (h mrzHit) shaped(now time.Time) mrzHit {
	if h.data.Readable || len(h.floor) != len(h.lines) || len(h.shapes) == 0 {
		return h
	}
	lay := layouts[h.kind]
	checked := checkedCells(h.kind, true)
	lines := byteLines(h.lines)
	changed := false
	for _, c := range keyCells[h.kind] {
		i, j := c[0], c[1]
		if checked[c] || i >= len(lay) || j >= len(lay[i]) || j >= len(lines[i]) || j >= len(h.floor[i]) {
			continue
		}
		sh, ok := h.shapes[c]
		if !ok {
			continue
		}
		cur, f := h.lines[i][j], h.floor[i][j]
		for _, pr := range shapedPairs {
			alt := pr[1]
			if pr[0] != cur || !admits(lay[i][j], alt) || f[indexOf(cur)]-f[indexOf(alt)] >= nameLookAlikeLead {
				continue
			}
			if sh.says(alt, cur) && !sh.says(cur, alt) {
				lines[i][j], changed = alt, true
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
	if !nameGrammar(h.kind, out) && nameGrammar(h.kind, h.lines) {
		return h
	}
	h.lines = out
	h.data = mrzRead(h.kind, out, now)
	h.data.Readable = false
	return h
}

// checkVote turns voted on; the tests turn it off to count what it
// changes.
var checkVote = true

// checkVoteShapes holds voted's changes within a pair of shapePairs to
// the glyph's shape on the plane reported; the tests turn it off.
var checkVoteShapes = true

// voteAgree is the share of a zone's cells another plane's reading must
// read alike for its scores to count in voted: a reading of the same
// cells, not one on lines a cell off or garbled.
const voteAgree = 0.9

// voted returns h, a retake, with the key fields' cells it read with
// doubt read by the planes together (hs). A cell is read with doubt when
// another plane's reading of the zone (a voter, sameCells) read another
// character there that h's own scores (floor, the glyph size's
// templates) put less than nameLookAlikeLead behind h's character, or
// where h's character itself scores under minCellScore (a cell h did
// not read: dev seed 186's TD1 0085, a surname's first C read L at
// 0.389, read C at 0.936 on the other plane), or where every other
// plane reads another character well ahead of h's (outvoted); it
// takes that character when, summed over h and the voters, its scores
// lead h's character's by minMargin or more. The name's letters that
// are then likelier a filler are read as fillers on the voters' and h's
// mean scores (weakNameFillers). Nothing changes when no other plane
// read the zone alike, when the result breaks the name's grammar while h
// kept it, or when it fails a check digit h's reading meets (the changes
// in cells no check digit covers are then kept alone, if they meet them).
// h stays a retake: this chooses what a retake reports, never Readable.
// A change within a pair one stroke sets apart (shapePairs: T/Y, T/F)
// is taken only when the glyph's shape on h's own plane (h.shapes,
// shapeSays) speaks for the other letter: the other planes are the
// straightened cards, whose warp blurs a T's junction into a Y's fork
// (held-out seed 20282525's TD2 0048: HENOTE, the T 0.035 ahead on the
// photo, notch 1.19; read Y on both cards, notch 0.82, and reported
// HENOYE).
//
// On hard print a name's look-alike (O read D, T read Y, X read K) or a
// number's 0 read U (worth 30, the 0's value for every check digit) is
// often a near tie on the plane reported and read as printed on another
// plane, whose reading was not chosen because a filler of its optional
// data read as a character breaks its composite (dev seeds 164-166).
// A plane whose own fields' check digits fail (the card straightened to
// its format's proportions, O read D by 0.05 across a name, its number's
// 0s read O) is no voter: its scores lead with confidence where its
// glyphs are distorted.
func (h mrzHit) voted(hs mrzHits, now time.Time) mrzHit {
	if h.data.Readable || len(h.floor) != len(h.lines) {
		return h
	}
	voters := []mrzHit{h}
	for _, o := range hs {
		if sameCells(o.h, h) && fieldsHold(o.h) && !slices.Equal(o.h.lines, h.lines) && (!checkVoteFields || !otherwiseChecked(o.h, h)) {
			voters = append(voters, o.h)
		}
	}
	if len(voters) < 2 {
		return h
	}
	lay := layouts[h.kind]
	lines := byteLines(h.lines)
	lead := func(i, j int, a, b byte) float32 {
		var s float32
		for _, o := range voters {
			s += o.floor[i][j][indexOf(a)] - o.floor[i][j][indexOf(b)]
		}
		return s
	}
	changed := false
	for _, p := range keyCells[h.kind] {
		i, j := p[0], p[1]
		if i >= len(lay) || j >= len(lay[i]) || j >= len(lines[i]) {
			continue
		}
		cur := h.lines[i][j]
		best, bestLead := cur, float32(minMargin)
		for _, o := range voters[1:] {
			ch := o.lines[i][j]
			if ch == cur || !admits(lay[i][j], ch) {
				continue
			}
			f := h.floor[i][j]
			if f[indexOf(cur)]-f[indexOf(ch)] >= nameLookAlikeLead && f[indexOf(cur)] >= minCellScore && !outvoted(voters, len(hs), i, j, cur, ch) {
				continue
			}
			if checkVoteShapes && shapePair(cur, ch) {
				// Letters the shape of one stroke sets apart: the
				// glyph on the plane reported must speak for ch.
				sh, ok := h.shapes[p]
				if !ok || !sh.says(ch, cur) {
					continue
				}
			}
			if l := lead(i, j, ch, cur); l >= bestLead {
				best, bestLead = ch, l
			}
		}
		if best != cur {
			lines[i][j], changed = best, true
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = string(l)
	}
	mean := make([][]cellScores, len(h.lines))
	for i := range h.lines {
		mean[i] = make([]cellScores, len(h.lines[i]))
		for _, o := range voters {
			for j := range mean[i] {
				for c := range mean[i][j] {
					mean[i][j][c] += o.floor[i][j][c] / float32(len(voters))
				}
			}
		}
	}
	out, n := weakNameFillers(h.kind, mean, out)
	if !changed && n == 0 {
		return h
	}
	ok := func(text []string) bool {
		d := mrzRead(h.kind, text, now)
		return (d.ChecksValid || !h.data.ChecksValid) && (nameGrammar(h.kind, text) || !nameGrammar(h.kind, h.lines))
	}
	if !ok(out) {
		// Keep the changes in cells no check digit covers alone.
		checked := checkedCells(h.kind, true)
		for i := range out {
			b := []byte(out[i])
			for j := range b {
				if checked[[2]int{i, j}] {
					b[j] = h.lines[i][j]
				}
			}
			out[i] = string(b)
		}
		if slices.Equal(out, h.lines) || !ok(out) {
			return h
		}
	}
	h.lines = out
	h.data = mrzRead(h.kind, out, now)
	h.data.Readable = false
	return h
}

// otherwiseChecked reports whether o reads a key field that a check
// digit covers alone (fieldsHold's: the number, the birth and expiry
// dates) otherwise than h, both readings meeting its check digit. Two
// such readings cannot both be right: one met the check digit by chance
// (one in ten), and nothing says which plane's glyphs are distorted, so
// o is no voter for h. Dev seed 233's TD3 0075: the card straightened
// to its format's proportions read the number's 5 and 2 as S and Z,
// which met its check digit together, and every O of the zone as D, 0.01
// to 0.09 ahead; its scores outvoted the plane reported and the photo,
// which read the O's as printed. Dev seed 230's TD1 0013: the photo read
// three of the number's 0s as O (worth 24 each, met by chance), and its
// vote broke the number's check digit on the card reported, a retake
// only for a filler of its optional data read S.
func otherwiseChecked(o, h mrzHit) bool {
	if len(o.lines) != len(h.lines) {
		return false
	}
	for i := range h.lines {
		if len(o.lines[i]) != len(h.lines[i]) {
			return false
		}
	}
	lo, lh := byteLines(o.lines), byteLines(h.lines)
	for _, f := range checkFields[h.kind] {
		key := keyCheck(h.kind, f)
		in := true
		for _, p := range f.positions() {
			in = in && p[0] < len(lh) && p[1] < len(lh[p[0]])
		}
		if !key || !in || !f.holds(lo) || !f.holds(lh) {
			continue
		}
		for _, p := range f.positions() {
			if lo[p[0]][p[1]] != lh[p[0]][p[1]] {
				return true
			}
		}
	}
	return false
}

// checkVoteFields holds voted's voters to the checked fields of the
// plane reported (otherwiseChecked); the tests turn it off.
var checkVoteFields = true

// outvoted reports whether the reading of cell (i, j) on the plane
// reported (voters[0]), cur, is outvoted by ch: cur scores under unsure
// there, and every other plane read (planes of them, the plane reported
// among them) is a voter that reads ch, leading cur by lookAlikeLead or
// more on its own scores; at least two such voters.
//
// The plane reported may lead with a letter it did not read clearly
// (dev seed 205's TD3 0055: a given name's F read T on the photo, 0.755
// with the F 0.694, over nameLookAlikeLead) while both straightened
// cards read the F at 0.91, the T 0.32-0.33 behind, their reading passed
// over only because a filler of the optional data read 4 broke its
// check digit. Two planes each far ahead outweigh one unsure; a single
// one does not (the card straightened to the format's proportions reads
// a name's O as D with leads of 0.05 across a zone, its glyphs widened).
func outvoted(voters []mrzHit, planes, i, j int, cur, ch byte) bool {
	if len(voters) < 3 || len(voters) != planes || voters[0].floor[i][j][indexOf(cur)] >= unsure {
		return false
	}
	for _, o := range voters[1:] {
		f := o.floor[i][j]
		if o.lines[i][j] != ch || f[indexOf(ch)]-f[indexOf(cur)] < lookAlikeLead {
			return false
		}
	}
	return true
}

// byteLines returns a zone's lines as byte slices of their own, to be
// changed cell by cell.
func byteLines(lines []string) [][]byte {
	out := make([][]byte, len(lines))
	for i, l := range lines {
		out[i] = []byte(l)
	}
	return out
}

// keyCheck reports whether check field f of format kind covers a key
// field alone: the document number, the birth date or the expiry date.
func keyCheck(kind string, f checkField) bool {
	if len(f.parts) != 1 {
		return false
	}
	fs := fieldSpans[kind]
	for _, s := range []span{fs.number, fs.birth, fs.expiry} {
		if f.parts[0] == [3]int{s.line, s.start, s.end} {
			return true
		}
	}
	return false
}

// fieldsHold reports whether the check digits of h's key fields (those
// covering a key field alone: the number, the birth and expiry dates)
// hold. The optional data's and the composite's are left out: a filler
// of the optional data read as a character fails them without a key
// field misread.
func fieldsHold(h mrzHit) bool {
	lines := byteLines(h.lines)
	for _, f := range checkFields[h.kind] {
		if !keyCheck(h.kind, f) {
			continue
		}
		for _, p := range f.positions() {
			if p[0] >= len(lines) || p[1] >= len(lines[p[0]]) {
				return false
			}
		}
		if !f.holds(lines) {
			return false
		}
	}
	return true
}

// sameCells reports whether o reads the zone h read, on the same cells:
// the same format and shape, scores for every cell, and at least
// voteAgree of the cells read alike.
func sameCells(o, h mrzHit) bool {
	if o.kind != h.kind || len(o.lines) != len(h.lines) || len(o.floor) != len(h.lines) {
		return false
	}
	same, all := 0, 0
	for i := range h.lines {
		if len(o.lines[i]) != len(h.lines[i]) || len(o.floor[i]) != len(h.lines[i]) {
			return false
		}
		for j := range h.lines[i] {
			all++
			if o.lines[i][j] == h.lines[i][j] {
				same++
			}
		}
	}
	return float64(same) >= voteAgree*float64(all)
}

// checkPlanes turns disputes on; the tests turn it off to count what it
// changes.
var checkPlanes = true

// disputes reports whether o, read on another plane of the same photo,
// contradicts the zone h vouched for: o is a zone of the same format
// recognised with confidence whose every check digit holds and whose
// name keeps its grammar (a letter after the fillers that end the name
// is no possible reading: nameGrammar), and it reads a cell of a key field (the
// document number, names, nationality, birth and expiry dates, sex)
// otherwise than h with a score (floor) no more than disputeLead under
// h's for its own character there. Two readings of one zone that both
// verify and differ cannot both be right, and no check digit says which
// (dev seed 110: a TD2's given name KEZITOM read KEZIIOM on the card
// straightened at the format's proportions, the I at 0.763, vouched for,
// while the photo read the T at 0.724 and was a retake). A reading that
// is far less sure of its character (a sex F read X at 0.58 on a plane
// where it is 0.9 on another) is not a contradiction but a misread.
func disputes(o, h mrzHit) bool {
	if !h.data.Readable || o.kind != h.kind || !o.data.ChecksValid || !o.confident || len(o.lines) != len(h.lines) || !nameGrammar(o.kind, o.lines) {
		return false
	}
	for _, p := range keyCells[h.kind] {
		i, j := p[0], p[1]
		if i >= len(h.lines) || j >= len(h.lines[i]) || j >= len(o.lines[i]) {
			continue
		}
		a, b := o.lines[i][j], h.lines[i][j]
		if a == b {
			continue
		}
		if i >= len(o.floor) || j >= len(o.floor[i]) || i >= len(h.floor) || j >= len(h.floor[i]) {
			return true
		}
		if o.floor[i][j][indexOf(a)] >= h.floor[i][j][indexOf(b)]-disputeLead {
			return true
		}
	}
	return false
}

// disputeLead is how much less sure of a cell another plane's reading
// may be and still dispute a zone vouched for (disputes): the look-alike
// lead of a cell no check digit protects.
const disputeLead = nameLookAlikeLead

// keyCells lists, per MRZ format, the cells of the key fields: the
// document number, names, nationality, birth date, sex and expiry date,
// with their check digits (keyCellsOf). The optional data, where fillers
// crossed by a security line read K or 5 on one plane and not on
// another, are left out (a number long enough to continue there is
// rare).
var keyCells = map[string][][2]int{
	kyc.ReadTD1: keyCellsOf(kyc.ReadTD1),
	kyc.ReadTD2: keyCellsOf(kyc.ReadTD2),
	kyc.ReadTD3: keyCellsOf(kyc.ReadTD3),
}

// keyCellsOf returns the cells of kind's key fields, as its field table
// (fieldSpans) places them, and of the check digits that cover a key
// field alone (checkFields), in reading order: line by line, left to
// right.
func keyCellsOf(kind string) [][2]int {
	fs := fieldSpans[kind]
	set := map[[2]int]bool{}
	for _, s := range []span{fs.number, fs.nationality, fs.birth, fs.sex, fs.expiry, fs.name} {
		for j := s.start; j < s.end; j++ {
			set[[2]int{s.line, j}] = true
		}
		for _, f := range checkFields[kind] {
			if len(f.parts) == 1 && f.parts[0] == [3]int{s.line, s.start, s.end} {
				set[[2]int{f.line, f.check}] = true
			}
		}
	}
	out := make([][2]int, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return out
}

// formatAspect is the long side over the short side of the document
// format each MRZ kind is printed on (ICAO 9303: ID-1 85.6 × 54 mm,
// ID-2 105 × 74 mm, ID-3 125 × 88 mm; MRV-A on ID-3, MRV-B on ID-2).
var formatAspect = map[string]float64{
	kyc.ReadTD1: 85.6 / 54, kyc.ReadTD2: 105.0 / 74, kyc.ReadTD3: 125.0 / 88,
	kyc.ReadMRVA: 125.0 / 88, kyc.ReadMRVB: 105.0 / 74,
}

func quadToPoints(q [4][2]float64, m mapping) []Point {
	out := make([]Point, 4)
	for i, c := range q {
		x, y := m(c[0], c[1])
		out[i] = Point{X: math.Round(x*10) / 10, Y: math.Round(y*10) / 10}
	}
	return out
}
