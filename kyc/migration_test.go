package kyc

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

var (
	phone = storage.ContactRef{Kind: storage.ContactPhone, Hash: "h-phone", Masked: "+86******1234"}
	email = storage.ContactRef{Kind: storage.ContactEmail, Hash: "h-email", Masked: "j***@example.com"}
	all   = storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true}
)

func contactMigration() storage.Migration {
	return storage.Migration{ID: "m1", Kind: storage.MigrationContact, SourceAccount: "dup", TargetAccount: "main",
		Contacts: []storage.ContactRef{phone}, Proofs: all, State: storage.MigrationRequested}
}

func occupancyMigration() storage.Migration {
	return storage.Migration{ID: OccupancyMigrationID("h1"), Kind: storage.MigrationOccupancy, SourceAccount: "new", TargetAccount: "holder",
		Contacts: []storage.ContactRef{email, phone}, Proofs: storage.Proofs{NewContactCode: true}, VerificationID: "v1",
		State: storage.MigrationRequested}
}

// goodFacts are facts under which m may proceed.
func goodFacts(m storage.Migration) MigrationFacts {
	f := MigrationFacts{Target: AccountFacts{Status: storage.AccountActive}}
	for _, c := range m.Contacts {
		f.Contacts = append(f.Contacts, ContactFacts{Kind: c.Kind, Hash: c.Hash, BoundTo: m.SourceAccount})
	}
	if m.Kind == storage.MigrationOccupancy {
		f.Target.KYCVerified = true
		f.Occupancy = OccupancyFacts{HolderMatched: true, DocAlreadyUsed: true, VerificationAccount: m.SourceAccount, Holder: m.TargetAccount}
	}
	return f
}

func TestCanTransition(t *testing.T) {
	allowed := map[[2]storage.MigrationState]bool{
		{storage.MigrationRequested, storage.MigrationValidated}: true,
		{storage.MigrationRequested, storage.MigrationRefused}:   true,
		{storage.MigrationRequested, storage.MigrationFailed}:    true,
		{storage.MigrationValidated, storage.MigrationExecuting}: true,
		{storage.MigrationValidated, storage.MigrationRefused}:   true,
		{storage.MigrationValidated, storage.MigrationFailed}:    true,
		{storage.MigrationExecuting, storage.MigrationCompleted}: true,
		{storage.MigrationExecuting, storage.MigrationRefused}:   true,
		{storage.MigrationExecuting, storage.MigrationFailed}:    true,
	}
	for _, from := range MigrationStates() {
		for _, to := range MigrationStates() {
			if got := CanTransition(from, to); got != allowed[[2]storage.MigrationState{from, to}] {
				t.Errorf("CanTransition(%s, %s) = %v", from, to, got)
			}
		}
	}
	// Nothing outside the machine is ever allowed.
	if err := quick.Check(func(a, b string) bool {
		from, to := storage.MigrationState(a), storage.MigrationState(b)
		return !CanTransition(from, to) || (slices.Contains(MigrationStates(), from) && slices.Contains(MigrationStates(), to) && !from.Final())
	}, nil); err != nil {
		t.Fatal(err)
	}
}

// Every path through the machine from requested ends in a final state,
// and final states have no exits.
func TestEveryPathEndsFinal(t *testing.T) {
	var walk func(s storage.MigrationState, depth int)
	walk = func(s storage.MigrationState, depth int) {
		if depth > len(MigrationStates()) {
			t.Fatalf("cycle through %s", s)
		}
		var exits []storage.MigrationState
		for _, to := range MigrationStates() {
			if CanTransition(s, to) {
				exits = append(exits, to)
			}
		}
		if s.Final() != (len(exits) == 0) {
			t.Fatalf("%s: final=%v with exits %v", s, s.Final(), exits)
		}
		for _, to := range exits {
			walk(to, depth+1)
		}
	}
	walk(storage.MigrationRequested, 0)
}

func TestValidateMigrationRequest(t *testing.T) {
	if err := ValidateMigrationRequest(contactMigration()); err != nil {
		t.Fatal(err)
	}
	if err := ValidateMigrationRequest(occupancyMigration()); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*storage.Migration){
		"kind":            func(m *storage.Migration) { m.Kind = "merge" },
		"no source":       func(m *storage.Migration) { m.SourceAccount = "" },
		"same accounts":   func(m *storage.Migration) { m.TargetAccount = m.SourceAccount },
		"no contacts":     func(m *storage.Migration) { m.Contacts = nil },
		"two contacts":    func(m *storage.Migration) { m.Contacts = []storage.ContactRef{phone, email} },
		"contact kind":    func(m *storage.Migration) { m.Contacts = []storage.ContactRef{{Kind: "fax", Hash: "x"}} },
		"no hash":         func(m *storage.Migration) { m.Contacts = []storage.ContactRef{{Kind: storage.ContactPhone}} },
		"occupancy no v":  func(m *storage.Migration) { *m = occupancyMigration(); m.VerificationID = "" },
		"contact twice":   func(m *storage.Migration) { *m = occupancyMigration(); m.Contacts = []storage.ContactRef{phone, phone} },
		"occupancy empty": func(m *storage.Migration) { *m = occupancyMigration(); m.Contacts = nil },
	} {
		m := contactMigration()
		mut(&m)
		if err := ValidateMigrationRequest(m); !errors.Is(err, ErrInvalidMigration) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestMigrationRefusal(t *testing.T) {
	type tc struct {
		name string
		m    storage.Migration
		f    func(*MigrationFacts)
		mut  func(*storage.Migration)
		want reason.Code
	}
	cases := []tc{
		{"contact ok", contactMigration(), nil, nil, ""},
		{"original factor reset instead of code", contactMigration(), nil, func(m *storage.Migration) {
			m.Proofs = storage.Proofs{NewContactCode: true, OriginalFactorReset: true, Target2FA: true}
		}, ""},
		{"no new-contact code", contactMigration(), nil, func(m *storage.Migration) { m.Proofs.NewContactCode = false }, reason.MigrationProofMissing},
		{"no original proof", contactMigration(), nil, func(m *storage.Migration) { m.Proofs.OriginalContactCode = false }, reason.MigrationProofMissing},
		{"no 2FA", contactMigration(), nil, func(m *storage.Migration) { m.Proofs.Target2FA = false }, reason.MigrationProofMissing},
		{"source verified", contactMigration(), func(f *MigrationFacts) { f.Source.KYCVerified = true }, nil, reason.MigrationSourceVerified},
		{"assets", contactMigration(), func(f *MigrationFacts) { f.SourceHoldings.Assets = true }, nil, reason.MigrationSourceNotEmpty},
		{"pending withdrawal", contactMigration(), func(f *MigrationFacts) { f.SourceHoldings.PendingWithdrawals = true }, nil, reason.MigrationSourceNotEmpty},
		{"open orders", contactMigration(), func(f *MigrationFacts) { f.SourceHoldings.OpenOrders = true }, nil, reason.MigrationSourceNotEmpty},
		{"migrated before", contactMigration(), func(f *MigrationFacts) { f.Contacts[0].Migrated, f.Contacts[0].BoundTo = true, "main" }, nil, reason.MigrationAlreadyUsed},
		{"bound elsewhere", contactMigration(), func(f *MigrationFacts) { f.Contacts[0].BoundTo = "other" }, nil, reason.MigrationContactNotFound},
		{"contact facts missing", contactMigration(), func(f *MigrationFacts) { f.Contacts = nil }, nil, reason.MigrationContactNotFound},
		{"source closed", contactMigration(), func(f *MigrationFacts) { f.Source.Status = storage.AccountClosed }, nil, reason.MigrationInvalid},
		{"source frozen", contactMigration(), func(f *MigrationFacts) { f.Source.Status = storage.AccountFrozen }, nil, reason.MigrationInvalid},
		{"target frozen", contactMigration(), func(f *MigrationFacts) { f.Target.Status = storage.AccountFrozen }, nil, reason.MigrationInvalid},
		{"same account", contactMigration(), nil, func(m *storage.Migration) { m.TargetAccount = m.SourceAccount }, reason.MigrationInvalid},
		{"proofs before KYC", contactMigration(), func(f *MigrationFacts) { f.Source.KYCVerified = true }, func(m *storage.Migration) { m.Proofs = storage.Proofs{} }, reason.MigrationProofMissing},
		{"KYC before holdings", contactMigration(), func(f *MigrationFacts) { f.Source.KYCVerified, f.SourceHoldings.Assets = true, true }, nil, reason.MigrationSourceVerified},
		{"already used before not found", contactMigration(), func(f *MigrationFacts) { f.Contacts[0].Migrated, f.Contacts[0].BoundTo = true, "x" }, nil, reason.MigrationAlreadyUsed},

		{"occupancy ok", occupancyMigration(), nil, nil, ""},
		{"occupancy needs no 2FA or original code", occupancyMigration(), nil, func(m *storage.Migration) { m.Proofs = storage.Proofs{NewContactCode: true} }, ""},
		{"occupancy without contact code", occupancyMigration(), nil, func(m *storage.Migration) { m.Proofs = storage.Proofs{} }, reason.MigrationProofMissing},
		{"occupancy without face match", occupancyMigration(), func(f *MigrationFacts) { f.Occupancy.HolderMatched = false }, nil, reason.MigrationProofMissing},
		{"occupancy not doc_already_used", occupancyMigration(), func(f *MigrationFacts) { f.Occupancy.DocAlreadyUsed = false }, nil, reason.MigrationInvalid},
		{"occupancy from another account", occupancyMigration(), func(f *MigrationFacts) { f.Occupancy.VerificationAccount = "x" }, nil, reason.MigrationInvalid},
		{"occupancy to a non-holder", occupancyMigration(), func(f *MigrationFacts) { f.Occupancy.Holder = "x" }, nil, reason.MigrationInvalid},
		{"occupancy to an unverified holder", occupancyMigration(), func(f *MigrationFacts) { f.Target.KYCVerified = false }, nil, reason.MigrationInvalid},
		{"occupancy source frozen is fine", occupancyMigration(), func(f *MigrationFacts) { f.Source.Status = storage.AccountFrozen }, nil, ""},
		{"occupancy source not empty", occupancyMigration(), func(f *MigrationFacts) { f.SourceHoldings.OpenOrders = true }, nil, reason.MigrationSourceNotEmpty},
		{"occupancy one contact gone", occupancyMigration(), func(f *MigrationFacts) { f.Contacts[1].BoundTo = "" }, nil, reason.MigrationContactNotFound},
		{"holdings unknown", contactMigration(), func(f *MigrationFacts) { f.HoldingsUnknown = true }, nil, reason.MigrationHoldingsUnknown},
		{"occupancy holdings unknown", occupancyMigration(), func(f *MigrationFacts) { f.HoldingsUnknown = true }, nil, reason.MigrationHoldingsUnknown},
		{"not found before holdings unknown", contactMigration(), func(f *MigrationFacts) { f.HoldingsUnknown, f.Contacts[0].BoundTo = true, "" }, nil, reason.MigrationContactNotFound},
		{"holdings unknown before not empty", contactMigration(), func(f *MigrationFacts) { f.HoldingsUnknown, f.SourceHoldings.Assets = true, true }, nil, reason.MigrationHoldingsUnknown},
	}
	for _, c := range cases {
		m := c.m
		if c.mut != nil {
			c.mut(&m)
		}
		f := goodFacts(c.m)
		if c.f != nil {
			c.f(&f)
		}
		if got := MigrationRefusal(m, f); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		if c.want != "" && !reason.Known(c.want) {
			t.Errorf("%s: %q is not in the catalogue", c.name, c.want)
		}
	}
}

func TestNextMigrationStep(t *testing.T) {
	m := contactMigration()
	f := goodFacts(m)
	want := []Step{
		{Action: ActionTransition, From: storage.MigrationRequested, To: storage.MigrationValidated, Detail: DetailValidated},
		{Action: ActionTransition, From: storage.MigrationValidated, To: storage.MigrationExecuting, Detail: DetailExecuting},
		{Action: ActionExecute, From: storage.MigrationExecuting, To: storage.MigrationCompleted},
	}
	for i, s := range []storage.MigrationState{storage.MigrationRequested, storage.MigrationValidated, storage.MigrationExecuting} {
		m.State = s
		if got := NextMigrationStep(m, f); got != want[i] {
			t.Errorf("from %s: %+v, want %+v", s, got, want[i])
		}
	}
	// Assets appearing between validation and execution refuse at the
	// second check.
	m.State = storage.MigrationValidated
	f.SourceHoldings.Assets = true
	if got := NextMigrationStep(m, f); got.To != storage.MigrationRefused || got.Refusal != reason.MigrationSourceNotEmpty || got.Detail != string(reason.MigrationSourceNotEmpty) {
		t.Errorf("revalidation: %+v", got)
	}
	// A redelivered task in executing acts on the facts of now, not on
	// those validated before: whatever changed refuses instead of
	// executing (issue 12, item 4).
	m.State = storage.MigrationExecuting
	for _, tc := range []struct {
		name   string
		change func(f *MigrationFacts)
		want   reason.Code
	}{
		{"assets", func(f *MigrationFacts) { f.SourceHoldings.Assets = true }, reason.MigrationSourceNotEmpty},
		{"open orders", func(f *MigrationFacts) { f.SourceHoldings.OpenOrders = true }, reason.MigrationSourceNotEmpty},
		{"KYC", func(f *MigrationFacts) { f.Source.KYCVerified = true }, reason.MigrationSourceVerified},
		{"source frozen", func(f *MigrationFacts) { f.Source.Status = storage.AccountFrozen }, reason.MigrationInvalid},
		{"target closed", func(f *MigrationFacts) { f.Target.Status = storage.AccountClosed }, reason.MigrationInvalid},
		{"holdings unknown", func(f *MigrationFacts) { f.HoldingsUnknown = true }, reason.MigrationHoldingsUnknown},
	} {
		f := goodFacts(m)
		tc.change(&f)
		want := Step{Action: ActionTransition, From: storage.MigrationExecuting, To: storage.MigrationRefused, Refusal: tc.want, Detail: string(tc.want)}
		if got := NextMigrationStep(m, f); got != want {
			t.Errorf("executing with %s: %+v, want %+v", tc.name, got, want)
		}
	}
	for _, s := range []storage.MigrationState{storage.MigrationCompleted, storage.MigrationRefused, storage.MigrationFailed} {
		m.State = s
		if got := NextMigrationStep(m, f); got.Action != ActionNone {
			t.Errorf("final %s: %+v", s, got)
		}
		if got := FailMigration(m, DetailGaveUp); got.Action != ActionNone {
			t.Errorf("fail final %s: %+v", s, got)
		}
	}
	m.State = storage.MigrationExecuting
	if got := FailMigration(m, DetailGaveUp); got.To != storage.MigrationFailed || got.From != storage.MigrationExecuting || got.Detail != DetailGaveUp {
		t.Errorf("fail: %+v", got)
	}
}

// sim is an in-memory model of the store's migration operations, with
// the semantics documented on storage.Migrations.
type sim struct {
	m      storage.Migration
	events []storage.MigrationEvent
	world  MigrationFacts
	// completedWith is the world as it was when the migration completed.
	completedWith MigrationFacts
}

var errConflict = errors.New("conflict")

func (s *sim) apply(t *testing.T, st Step) error {
	switch st.Action {
	case ActionNone:
		return nil
	case ActionExecute:
		if s.m.State.Final() {
			return nil
		}
		if s.m.State != storage.MigrationExecuting {
			return errConflict
		}
		// What the store re-checks inside its transaction (see
		// storage.Migrations.ExecuteMigration), on the world as it is now.
		code := reason.Code("")
		for _, c := range s.world.Contacts {
			if c.Migrated {
				code = reason.MigrationAlreadyUsed
				break
			}
			if c.BoundTo != s.m.SourceAccount {
				code = reason.MigrationContactNotFound
			}
		}
		switch {
		case code == reason.MigrationAlreadyUsed:
		case s.world.Source.Status == storage.AccountClosed || !s.world.Target.active():
			code = reason.MigrationInvalid
		case s.world.Source.KYCVerified:
			code = reason.MigrationSourceVerified
		case code != "":
		case !s.world.SourceHoldings.Empty():
			code = reason.MigrationSourceNotEmpty
		}
		if code != "" {
			return s.transition(t, storage.MigrationExecuting, storage.MigrationRefused, code, string(code))
		}
		s.completedWith = s.world
		for i := range s.world.Contacts {
			s.world.Contacts[i].Migrated, s.world.Contacts[i].BoundTo = true, s.m.TargetAccount
		}
		s.world.Source.Status = storage.AccountClosed
		return s.transition(t, storage.MigrationExecuting, storage.MigrationCompleted, "", "executed")
	}
	return s.transition(t, st.From, st.To, st.Refusal, st.Detail)
}

func (s *sim) transition(t *testing.T, from, to storage.MigrationState, refusal reason.Code, detail string) error {
	if s.m.State == to {
		return nil
	}
	if s.m.State != from {
		return errConflict
	}
	if !CanTransition(from, to) {
		t.Fatalf("step %s → %s is not allowed", from, to)
	}
	if to == storage.MigrationRefused && (refusal == "" || !reason.Known(refusal)) {
		t.Fatalf("refused without a known code: %q", refusal)
	}
	if detail == "" {
		t.Fatalf("step %s → %s without audit detail", from, to)
	}
	s.m.State, s.m.Refusal = to, refusal
	s.events = append(s.events, storage.MigrationEvent{From: from, To: to, Detail: detail})
	return nil
}

// perturb changes the world the way other actors might between steps.
func perturb(r *rand.Rand, f *MigrationFacts) {
	switch r.IntN(12) {
	case 0:
		f.SourceHoldings.Assets = !f.SourceHoldings.Assets
	case 1:
		f.Source.KYCVerified = true
	case 2:
		if len(f.Contacts) > 0 {
			f.Contacts[0].Migrated, f.Contacts[0].BoundTo = true, "elsewhere"
		}
	case 3:
		if len(f.Contacts) > 0 {
			f.Contacts[len(f.Contacts)-1].BoundTo = ""
		}
	case 4:
		f.HoldingsUnknown = false // the holdings are reported at last
	}
}

// A random walk through many migrations with a changing world, crashes
// (a step computed but never applied), duplicate deliveries (a step
// applied twice) and give-ups: every walk ends final, only allowed
// transitions are taken, refusals carry codes, replaying a step is a
// no-op, and final states stay put.
func TestMigrationRandomWalk(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	ends := map[storage.MigrationState]int{}
	codes := map[reason.Code]int{}
	for i := range 5000 {
		m := contactMigration()
		if i%2 == 1 {
			m = occupancyMigration()
		}
		s := &sim{m: m, world: goodFacts(m)}
		s.world.HoldingsUnknown = r.IntN(6) == 0
		if r.IntN(4) == 0 {
			s.m.Proofs = storage.Proofs{NewContactCode: r.IntN(2) == 0, Target2FA: r.IntN(2) == 0, OriginalContactCode: r.IntN(2) == 0}
		}
		for steps := 0; !s.m.State.Final(); steps++ {
			if steps > 200 {
				t.Fatalf("walk %d did not end: %s", i, s.m.State)
			}
			if r.IntN(5) == 0 {
				perturb(r, &s.world)
			}
			facts := s.world
			facts.Contacts = slices.Clone(s.world.Contacts)
			st := NextMigrationStep(s.m, facts)
			if r.IntN(8) == 0 {
				// The world changes between the task's reading of the
				// facts and the store's applying the step.
				perturb(r, &s.world)
			}
			if r.IntN(40) == 0 {
				st = FailMigration(s.m, DetailGaveUp)
			}
			if r.IntN(4) == 0 {
				continue // crashed before applying
			}
			if err := s.apply(t, st); err != nil {
				t.Fatalf("walk %d: step %+v on %s: %v", i, st, s.m.State, err)
			}
			before, n := s.m, len(s.events)
			if err := s.apply(t, st); err != nil || s.m.State != before.State || len(s.events) != n {
				t.Fatalf("walk %d: replaying %+v was not a no-op (%v)", i, st, err)
			}
		}
		final := s.m
		if got := NextMigrationStep(final, s.world); got.Action != ActionNone {
			t.Fatalf("final %s has a next step %+v", final.State, got)
		}
		for _, to := range MigrationStates() {
			if CanTransition(final.State, to) {
				t.Fatalf("final %s can move to %s", final.State, to)
			}
		}
		if (final.State == storage.MigrationRefused) != (final.Refusal != "") {
			t.Fatalf("state %s with refusal %q", final.State, final.Refusal)
		}
		if final.State == storage.MigrationCompleted && !MigrationProofsMet(final, goodFacts(final)) {
			t.Fatalf("completed without proofs: %+v", final.Proofs)
		}
		if len(s.events) > 3 {
			t.Fatalf("%d events for one migration", len(s.events))
		}
		// Assets are never lost and a verified account is never closed:
		// the facts at completion, not those validated earlier, allow it.
		if final.State == storage.MigrationCompleted &&
			(!s.completedWith.SourceHoldings.Empty() || s.completedWith.HoldingsUnknown || s.completedWith.Source.KYCVerified) {
			t.Fatalf("walk %d completed with a source holding %+v (unknown %v), verified %v", i,
				s.completedWith.SourceHoldings, s.completedWith.HoldingsUnknown, s.completedWith.Source.KYCVerified)
		}
		ends[final.State]++
		codes[final.Refusal]++
	}
	// The walk is not vacuous: it reaches every end and most refusals.
	for _, s := range []storage.MigrationState{storage.MigrationCompleted, storage.MigrationRefused, storage.MigrationFailed} {
		if ends[s] == 0 {
			t.Errorf("no walk ended %s: %v", s, ends)
		}
	}
	for _, c := range []reason.Code{reason.MigrationProofMissing, reason.MigrationSourceVerified, reason.MigrationSourceNotEmpty,
		reason.MigrationAlreadyUsed, reason.MigrationContactNotFound, reason.MigrationHoldingsUnknown} {
		if codes[c] == 0 {
			t.Errorf("no walk refused with %s: %v", c, codes)
		}
	}
}
