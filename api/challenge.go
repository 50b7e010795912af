package api

import "strconv"

// DefaultChallenges are the liveness instructions the API issues unless
// Config.Challenges says otherwise, as the face check names them
// (face.Challenges). "blink" is not among them: on generated blinks the
// landmark net follows eyelids too little for a blink to be seen reliably
// (docs/face.md), so an operator turns it on after measuring it on real
// videos (KYCQ_LIVENESS_CHALLENGES).
func DefaultChallenges() []string { return []string{"turn_left", "turn_right"} }

// challengeDomain separates the challenge's keyed hash from the others.
const challengeDomain = "kycq/liveness-challenge/v1"

// challengeFor picks the liveness challenge of a verification from a keyed
// hash of its ID: unpredictable without the server's hash key, and the
// same on a retried create (whose ID is derived from the idempotency key),
// so the stored upload and the retry's agree.
func (s *Server) challengeFor(id string) string {
	h := s.cfg.Keys.Hash(challengeDomain, id)
	n, _ := strconv.ParseUint(h[:8], 16, 32)
	cs := s.cfg.Challenges
	return cs[n%uint64(len(cs))]
}
