package api

import (
	"net/http"
	"regexp"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// packagePrefix matches the "pkg: " Go packages put before their errors.
var packagePrefix = regexp.MustCompile(`^[a-z][a-z0-9]*: `)

// userMessage is err's text for a client: without the Go package prefix
// ("kyc: invalid migration request: …" → "invalid migration request: …").
// Only errors whose text never holds personal data may be passed.
func userMessage(err error) string {
	return packagePrefix.ReplaceAllString(err.Error(), "")
}

// refusalDetail is a refused migration's code with the remedy for its
// kind: an occupancy migration (moving the applicant's contacts to the
// account that holds their document) has remedies of its own.
func refusalDetail(m *storage.Migration) *reason.Detail {
	remedy := reason.Remedy(m.Refusal)
	if m.Kind == storage.MigrationOccupancy {
		remedy = reason.OccupancyRemedy(m.Refusal)
	}
	return &reason.Detail{Code: m.Refusal, Remedy: remedy}
}

// migrationEnded is the answer to a holder check answered again after the
// migration its first answer started was refused or failed: the refusal
// with its remedy, and the way on (a new holder check, whose answer starts
// a new migration). It is nil while the migration is under way or
// completed.
func migrationEnded(m *storage.Migration, hc *storage.HolderCheck) *Error {
	again := "start a new holder check (POST /v1/verifications/" + hc.VerificationID + "/holder-checks) and answer it"
	switch m.State {
	case storage.MigrationRefused:
		return &Error{Code: "migration_refused", status: http.StatusConflict,
			Message: "the migration " + m.ID + " this answer started was refused (" + string(m.Refusal) + "): " +
				refusalDetail(m).Remedy + " Then " + again + "."}
	case storage.MigrationFailed:
		return &Error{Code: "migration_failed", status: http.StatusConflict,
			Message: "the migration " + m.ID + " this answer started failed on our side; " + again + ", or contact support."}
	}
	return nil
}
