// Package tasks is the contract between the producers of kycq's background
// work (the API, the decision fan-in, the sweeper) and the workers that run
// it: task type names, versioned payloads, queues and constructors.
//
// Every task carries a TaskID derived from what it is about, so enqueueing
// the same work twice is refused by asynq (asynq.ErrTaskIDConflict) while the
// first copy is still kept, and every handler is idempotent for the times a
// copy runs again anyway (redelivery after a worker died, retries).
//
// The package does no I/O.
package tasks

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hibiken/asynq"
)

// Task type names. The prefix is the product, the middle the family.
const (
	TypeDocQuality = "kycq:check:doc_quality" // image quality of one document photo
	TypeDocData    = "kycq:check:doc_data"    // document data rules
	TypeFaceMatch  = "kycq:check:face_match"  // selfie against the document portrait
	TypeDocRead    = "kycq:check:doc_read"    // reading the document of one photo (MRZ, mainland ID)
	TypeDecide     = "kycq:decide"            // fan-in of every check result
	TypeOccupancy  = "kycq:followup:occupancy"
	TypeMigration  = "kycq:followup:migration"
	TypeHolder     = "kycq:followup:holder_check" // fresh selfie against the document holder's face
	TypeSweep      = "kycq:maintenance:sweep"
	TypeRetention  = "kycq:maintenance:retention"
)

// Queues, by priority: decisions and state updates run before checks, and
// checks before maintenance.
const (
	QueueCritical    = "kycq_critical"
	QueueChecks      = "kycq_checks"
	QueueMaintenance = "kycq_maintenance"
)

// Queues returns the queue weights for an asynq server: asynq polls a queue
// in proportion to its weight.
func Queues() map[string]int {
	return map[string]int{QueueCritical: 6, QueueChecks: 3, QueueMaintenance: 1}
}

// Check names, as stored with results and used in metric labels.
const (
	CheckDocQuality = "doc_quality"
	CheckDocData    = "doc_data"
	CheckFaceMatch  = "face_match"
	// CheckDocRead is the family of the per-slot read results
	// ("doc_read:doc_front") and the name of the result the decision
	// stores when it holds the typed data to what was read.
	CheckDocRead = "doc_read"
)

// DocReadCheck is the result name of reading one slot
// ("doc_read:doc_back").
func DocReadCheck(slot string) string { return CheckDocRead + ":" + slot }

// DocQualityCheck is the result name of the quality check of one slot
// ("doc_quality:doc_front").
func DocQualityCheck(slot string) string { return CheckDocQuality + ":" + slot }

// CheckFamily returns the family of a check name ("doc_quality" for
// "doc_quality:doc_front").
func CheckFamily(check string) string {
	family, _, _ := strings.Cut(check, ":")
	return family
}

// PayloadVersion is the version of every payload this build writes. Workers
// accept this version and refuse others with asynq.SkipRetry.
const PayloadVersion = 1

// Retention keeps finished tasks in Redis so that a duplicate enqueue of the
// same TaskID is refused for that long.
const Retention = 24 * time.Hour

// ErrPayload is wrapped by every payload decoding error.
var ErrPayload = errors.New("tasks: bad payload")

// Verification is the payload of the per-verification tasks.
type Verification struct {
	V              int    `json:"v"`
	VerificationID string `json:"verification_id"`
	Slot           string `json:"slot,omitempty"` // doc_quality and doc_read only
}

// Migration is the payload of a migration step.
type Migration struct {
	V           int    `json:"v"`
	MigrationID string `json:"migration_id"`
}

// HolderCheck is the payload of a "view holder" face match.
type HolderCheck struct {
	V             int    `json:"v"`
	HolderCheckID string `json:"holder_check_id"`
}

// Maintenance is the payload of periodic maintenance tasks.
type Maintenance struct {
	V int `json:"v"`
}

func newTask(typ, id string, payload any, opts ...asynq.Option) (*asynq.Task, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	base := []asynq.Option{asynq.TaskID(id), asynq.Retention(Retention)}
	return asynq.NewTask(typ, b, append(base, opts...)...), nil
}

func checkID(verificationID string) error {
	if verificationID == "" || len(verificationID) > 64 || strings.ContainsAny(verificationID, ": /") {
		return fmt.Errorf("%w: invalid verification id", ErrPayload)
	}
	return nil
}

// NewDocQuality returns the image-quality task of one document photo.
func NewDocQuality(verificationID, slot string) (*asynq.Task, error) {
	if err := checkID(verificationID); err != nil {
		return nil, err
	}
	if slot == "" {
		return nil, fmt.Errorf("%w: empty slot", ErrPayload)
	}
	p := Verification{V: PayloadVersion, VerificationID: verificationID, Slot: slot}
	return newTask(TypeDocQuality, ID(TypeDocQuality, p), p,
		asynq.Queue(QueueChecks), asynq.MaxRetry(5), asynq.Timeout(60*time.Second))
}

// NewDocRead returns the task that reads the document on one photo. Its
// payload holds the verification and the slot only: nothing read.
func NewDocRead(verificationID, slot string) (*asynq.Task, error) {
	if err := checkID(verificationID); err != nil {
		return nil, err
	}
	if slot == "" {
		return nil, fmt.Errorf("%w: empty slot", ErrPayload)
	}
	p := Verification{V: PayloadVersion, VerificationID: verificationID, Slot: slot}
	return newTask(TypeDocRead, ID(TypeDocRead, p), p,
		asynq.Queue(QueueChecks), asynq.MaxRetry(5), asynq.Timeout(90*time.Second))
}

// NewDocData returns the document-data task.
func NewDocData(verificationID string) (*asynq.Task, error) {
	return newVerificationTask(TypeDocData, verificationID, QueueChecks, 5, 30*time.Second)
}

// NewFaceMatch returns the face-match task.
func NewFaceMatch(verificationID string) (*asynq.Task, error) {
	return newVerificationTask(TypeFaceMatch, verificationID, QueueChecks, 5, 3*time.Minute)
}

// NewDecide returns the decision task; its TaskID makes the fan-in enqueue
// it once however many results report completion.
func NewDecide(verificationID string) (*asynq.Task, error) {
	return newVerificationTask(TypeDecide, verificationID, QueueCritical, 10, 30*time.Second)
}

// NewOccupancy returns the follow-up task that records an approved
// verification on its account.
func NewOccupancy(verificationID string) (*asynq.Task, error) {
	return newVerificationTask(TypeOccupancy, verificationID, QueueCritical, 10, 30*time.Second)
}

func newVerificationTask(typ, verificationID, queue string, maxRetry int, timeout time.Duration) (*asynq.Task, error) {
	if err := checkID(verificationID); err != nil {
		return nil, err
	}
	p := Verification{V: PayloadVersion, VerificationID: verificationID}
	return newTask(typ, ID(typ, p), p,
		asynq.Queue(queue), asynq.MaxRetry(maxRetry), asynq.Timeout(timeout))
}

// NewMigration returns the task that advances one contact migration.
func NewMigration(migrationID string) (*asynq.Task, error) {
	if err := checkID(migrationID); err != nil {
		return nil, err
	}
	return newTask(TypeMigration, TypeMigration+":"+migrationID,
		Migration{V: PayloadVersion, MigrationID: migrationID},
		asynq.Queue(QueueCritical), asynq.MaxRetry(10), asynq.Timeout(30*time.Second))
}

// NewHolderCheck returns the task that matches a fresh selfie against the
// verified face of the account holding a document (rules §6).
func NewHolderCheck(id string) (*asynq.Task, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	return newTask(TypeHolder, TypeHolder+":"+id, HolderCheck{V: PayloadVersion, HolderCheckID: id},
		asynq.Queue(QueueCritical), asynq.MaxRetry(5), asynq.Timeout(3*time.Minute))
}

// NewSweep returns the periodic task that re-enqueues stalled work; slot is
// the schedule tick it belongs to, so two schedulers enqueue it once.
func NewSweep(slot time.Time) (*asynq.Task, error) {
	return newTask(TypeSweep, fmt.Sprintf("%s:%d", TypeSweep, slot.Unix()), Maintenance{V: PayloadVersion},
		asynq.Queue(QueueMaintenance), asynq.MaxRetry(0), asynq.Timeout(time.Minute), asynq.Retention(time.Hour))
}

// NewRetention returns the periodic task that deletes uploads of decided
// verifications once their retention period has passed.
func NewRetention(slot time.Time) (*asynq.Task, error) {
	return newTask(TypeRetention, fmt.Sprintf("%s:%d", TypeRetention, slot.Unix()), Maintenance{V: PayloadVersion},
		asynq.Queue(QueueMaintenance), asynq.MaxRetry(0), asynq.Timeout(5*time.Minute), asynq.Retention(time.Hour))
}

// ParseVerification decodes a per-verification payload.
func ParseVerification(b []byte) (Verification, error) {
	var p Verification
	if err := decode(b, &p); err != nil {
		return p, err
	}
	if p.V != PayloadVersion {
		return p, fmt.Errorf("%w: version %d, want %d", ErrPayload, p.V, PayloadVersion)
	}
	return p, checkID(p.VerificationID)
}

// ParseMigration decodes a migration payload.
func ParseMigration(b []byte) (Migration, error) {
	var p Migration
	if err := decode(b, &p); err != nil {
		return p, err
	}
	if p.V != PayloadVersion {
		return p, fmt.Errorf("%w: version %d, want %d", ErrPayload, p.V, PayloadVersion)
	}
	return p, checkID(p.MigrationID)
}

// ParseHolderCheck decodes a holder-check payload.
func ParseHolderCheck(b []byte) (HolderCheck, error) {
	var p HolderCheck
	if err := decode(b, &p); err != nil {
		return p, err
	}
	if p.V != PayloadVersion {
		return p, fmt.Errorf("%w: version %d, want %d", ErrPayload, p.V, PayloadVersion)
	}
	return p, checkID(p.HolderCheckID)
}

func decode(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w: %v", ErrPayload, err)
	}
	return nil
}

// ForCheck returns the task that produces the named check result
// ("doc_quality:doc_front", "doc_read:doc_front", "doc_data", "face_match").
func ForCheck(verificationID, check string) (*asynq.Task, error) {
	family, slot, _ := strings.Cut(check, ":")
	switch family {
	case CheckDocQuality:
		return NewDocQuality(verificationID, slot)
	case CheckDocRead:
		return NewDocRead(verificationID, slot)
	case CheckDocData:
		return NewDocData(verificationID)
	case CheckFaceMatch:
		return NewFaceMatch(verificationID)
	}
	return nil, fmt.Errorf("%w: unknown check %q", ErrPayload, check)
}

// ID returns the TaskID the constructors give a per-verification task.
func ID(typ string, p Verification) string {
	if p.Slot != "" {
		return typ + ":" + p.VerificationID + ":" + p.Slot
	}
	return typ + ":" + p.VerificationID
}
