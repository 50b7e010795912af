package api

import "strconv"

// challenges are the liveness instructions the API issues, as the face
// check names them (face.Challenges).
var challenges = []string{"turn_left", "turn_right", "blink"}

// challengeDomain separates the challenge's keyed hash from the others.
const challengeDomain = "kycq/liveness-challenge/v1"

// challengeFor picks the liveness challenge of a verification from a keyed
// hash of its ID: unpredictable without the server's hash key, and the
// same on a retried create (whose ID is derived from the idempotency key),
// so the stored upload and the retry's agree.
func (s *Server) challengeFor(id string) string {
	h := s.cfg.Keys.Hash(challengeDomain, id)
	n, _ := strconv.ParseUint(h[:8], 16, 32)
	return challenges[n%uint64(len(challenges))]
}
