package privacy_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// The applicant of TestNoPersonalDataLeaks: values distinctive enough that
// finding any of them anywhere is a leak, not a coincidence.
const (
	leakName    = "QUENTIN XAVIERSSON"
	leakLocal   = "昆汀·萨维尔松"
	leakNumber  = "qx7 z93-k41" // as typed; normalised QX7Z93K41
	leakDOB     = "1971-04-23"
	leakAddress = "Zyxwvutstrasse 4242, 99999 Qwertzhausen"
	leakEmail   = "Quentin.Xaviersson@zyxmail.example"
	leakPhone   = "+49 1577 8642 9731"
	leakExpiry  = "2033-07-29"
)

// needles are every form of the personal data a log line, a metric, a
// queued task or a database column could hold.
func needles() []string {
	return append([]string{
		leakName, "QUENTIN", "XAVIERSSON", "Xaviersson", "xaviersson",
		leakLocal, "昆汀", jsonEscaped(leakLocal),
		leakNumber, "QX7Z93K41", "qx7z93k41", "QX7 Z93-K41", "QX7Z93", "Z93K41", "Z93-K41",
		leakDOB, "19710423", "23.04.1971",
		leakAddress, "Zyxwvut", "Qwertzhausen",
		leakEmail, strings.ToLower(leakEmail), "quentin.xaviersson",
		leakPhone, "+49157786429731", "157786429731", "1577 8642 9731",
		// What the document reader reads from the card, which prints the
		// same person: the MRZ's name field and the expiry date.
		"XAVIERSSON<<QUENTIN", leakExpiry, "20330729", "29.07.2033",
	}, readNeedles...)
}

// readNeedles are the values the document reader actually read in
// TestNoPersonalDataLeaks (opened from the sealed reads): a misread value
// is personal data too, and differs from every needle above.
var readNeedles []string

// needlesOfRead returns the values of a read worth searching for: every
// field of four characters or more (codes such as "D" or "M" would match
// anything), any field in another script (a mainland name's alternative
// characters included), and each MRZ line.
func needlesOfRead(r kyc.DocumentRead) []string {
	var out []string
	vals := append([]string{r.DocumentNumber, r.Surname, r.GivenNames, r.Name, r.BirthDate,
		r.ExpiryDate, r.IssueDate, r.Address}, r.MRZ...)
	for _, v := range append(vals, r.NameAlternatives...) {
		if len(v) >= 4 || v != "" && utf8.RuneCountInString(v) != len(v) {
			out = append(out, v)
		}
	}
	return out
}

func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	var out strings.Builder
	for _, r := range strings.Trim(string(b), `"`) {
		if r > 127 {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.WriteRune(r)
		}
	}
	return out.String()
}

// leaks returns the needles found in haystack (case-insensitively).
func leaks(haystack string) []string {
	h := strings.ToLower(haystack)
	var out []string
	for _, n := range needles() {
		if strings.Contains(h, strings.ToLower(n)) {
			out = append(out, n)
		}
	}
	return out
}

// TestNoPersonalDataLeaks runs the whole life of an applicant with
// distinctive personal data on real services: a verification to its
// decision, its email and phone bound, a second account presenting the
// same document (doc_already_used) and asking to see the holder with a
// fresh selfie, and a contact migration. Then it searches everything the
// service left behind for any form of that data: every log line, the
// /metrics exposition, every key and value in its Redis database, and
// every row of every PostgreSQL table (also hex-encoded, as bytea prints).
func TestNoPersonalDataLeaks(t *testing.T) {
	if got := leaks("nothing here"); len(got) != 0 {
		t.Fatalf("needles match innocent text: %v", got)
	}
	if got := leaks(`{"msg":"x","name":"` + jsonEscaped(leakLocal) + `"}`); len(got) == 0 {
		t.Fatal("needles miss a JSON-escaped name")
	}
	t.Parallel()
	env := harness.RealEnv(t)
	svc := harness.Start(t, env, false)
	c := svc.Client
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Second)
	defer cancel()

	a, err := sample.New(ctx, sample.Options{Seed: 71})
	if err != nil {
		t.Fatal(err)
	}
	// The card prints the same person, so the document reader reads the
	// data too (rules §8) and the verification reaches its claim.
	a.Files = printLeakCard(t, a.Files)
	info := a.Info
	info.FullName, info.LocalName, info.IDNumber, info.DateOfBirth, info.Address = leakName, leakLocal, leakNumber, leakDOB, leakAddress
	info.IDType, info.ExpiryDate, info.Sex = "id_card", leakExpiry, "M"

	// The applicant's email, bound to its account; its phone, bound to a
	// duplicate account it will be migrated from.
	if _, err := c.BindContact(ctx, "acct-leak", storage.ContactEmail, leakEmail); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BindContact(ctx, "acct-leak-dup", storage.ContactPhone, leakPhone); err != nil {
		t.Fatal(err)
	}
	id, err := c.Apply(ctx, "acct-leak", info, a.Files)
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.WaitDecision(ctx, id, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first verification: %s", v.Decision.Outcome)
	read := false
	for _, ch := range v.Checks {
		read = read || ch.Check == "doc_read:doc_back" && ch.Scores["readable"] == 1 && ch.Scores["kind:td1"] == 1
	}
	if !read {
		t.Errorf("the reader did not read the card's MRZ (checks %+v): the search would prove nothing about the fields read", v.Checks)
	}

	// Another account presents the same document, which acct-holder holds.
	vv, err := svc.App.State.GetVerification(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.App.State.ClaimDocument(ctx, storage.Claim{DocKey: vv.DocKey, AccountID: "acct-holder",
		VerificationID: "v_" + strings.Repeat("h", 26), ClaimedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	id2, err := c.Apply(ctx, "acct-leak-2", info, a.Files)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := c.WaitDecision(ctx, id2, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	used := false
	for _, r := range v2.Decision.Reasons {
		used = used || r.Code == reason.DocAlreadyUsed
	}
	// Without doc_already_used there is no holder to view; the search
	// below still runs on everything else.
	hcID := ""
	if !used {
		t.Errorf("second verification: %s %v, want doc_already_used", v2.Decision.Outcome, v2.Decision.Reasons)
	} else {
		hc, err := c.HolderCheck(ctx, id2, a.Files[storage.SlotSelfie])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.WaitHolderCheck(ctx, hc.ID, 100*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		hcID = hc.ID
	}

	// A contact migration moves the phone to the applicant's account (its
	// holdings reported empty first: unknown holdings refuse).
	if err := c.SetHoldings(ctx, "acct-leak-dup", storage.Holdings{}); err != nil {
		t.Fatal(err)
	}
	m, err := c.Migrate(ctx, api.MigrationRequest{SourceAccount: "acct-leak-dup", TargetAccount: "acct-leak",
		Contact: api.ContactRequest{Kind: storage.ContactPhone, Value: leakPhone},
		Proofs:  storage.Proofs{NewContactCode: true, OriginalContactCode: true, Target2FA: true}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if m, err = c.WaitMigration(ctx, m.ID, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if m.State != storage.MigrationCompleted {
		t.Errorf("migration: %s %+v, want completed", m.State, m.Refusal)
	}

	// Bad requests carrying the data are refused without echoing it.
	bad := []api.BasicInfo{info, info}
	bad[0].DateOfBirth = leakDOB + "x"
	bad[1].IDType = "library_card"
	for _, b := range bad {
		if _, err := c.Create(ctx, "acct-leak-3", b, a.Files, ""); err == nil {
			t.Fatal("a bad create was accepted")
		} else if got := leaks(err.Error()); len(got) != 0 {
			t.Errorf("an error answer holds personal data %v: %v", got, err)
		}
	}

	// What the reader read, whatever it read (a misread value is
	// personal data too): searched for like the rest.
	for _, vid := range []string{id, id2} {
		results, err := svc.App.State.CheckResults(ctx, vid)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			if !strings.HasPrefix(r.Check, "doc_read:") || len(r.Sealed) == 0 {
				continue
			}
			plain, err := svc.App.Keys.Open(r.Sealed, vid)
			if err != nil {
				t.Fatalf("open the read of %s: %v", r.Check, err)
			}
			var read kyc.DocumentRead
			if err := json.Unmarshal(plain, &read); err != nil {
				t.Fatal(err)
			}
			readNeedles = append(readNeedles, needlesOfRead(read)...)
		}
	}
	if len(readNeedles) == 0 {
		t.Error("no field was read from the card: the search proves nothing about the fields read")
	}

	// Everything the service logged.
	logs := svc.Logs.String()
	if len(logs) < 1000 || !strings.Contains(logs, id) {
		t.Fatalf("the service logged almost nothing (%d bytes): the search would prove nothing", len(logs))
	}
	if got := leaks(logs); len(got) != 0 {
		t.Errorf("the logs hold personal data %v:\n%s", got, linesWith(logs, got))
	}

	// The metrics: no personal data, and no per-record identifiers in
	// labels either.
	metrics := get(t, svc.URL+"/metrics", svc.Token)
	if !strings.Contains(metrics, "kycq_") {
		t.Fatalf("no kycq metrics in the exposition:\n%.500s", metrics)
	}
	if got := leaks(metrics); len(got) != 0 {
		t.Errorf("the metrics hold personal data %v", got)
	}
	for _, ident := range []string{id, id2, hcID, m.ID, "acct-leak", "acct-holder"} {
		if ident != "" && strings.Contains(metrics, ident) {
			t.Errorf("the metrics hold the identifier %s:\n%s", ident, linesWith(metrics, []string{ident}))
		}
	}

	// The queues: tasks carry IDs only.
	rdb := redis.NewClient(&redis.Options{Addr: env["REDIS_ADDR"], DB: atoi(t, env["REDIS_DB"])})
	defer rdb.Close()
	dump := redisDump(t, ctx, rdb)
	if !strings.Contains(dump, id) {
		t.Fatalf("the Redis dump does not even hold the verification ID (%d bytes)", len(dump))
	}
	if got := leaks(dump); len(got) != 0 {
		t.Errorf("Redis holds personal data %v", got)
	}

	// The database: personal data only sealed or hashed.
	db, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	rows := dbDump(t, ctx, db)
	if !strings.Contains(rows, id) || !strings.Contains(rows, "+49******9731") {
		t.Fatalf("the database dump lacks the verification or the masked phone (%d bytes)", len(rows))
	}
	// The masked forms are kept on purpose: they show the last digits and
	// the domain, never the full value.
	if got := leaks(strings.NewReplacer("+49******9731", "", "q***@zyxmail.example", "").Replace(rows)); len(got) != 0 {
		t.Errorf("the database holds personal data %v:\n%s", got, linesWith(rows, got))
	}
	var hexed []string
	for _, n := range needles() {
		if len(n) >= 6 && strings.Contains(rows, hex.EncodeToString([]byte(n))) {
			hexed = append(hexed, n)
		}
	}
	if len(hexed) != 0 {
		t.Errorf("the database holds personal data in binary columns: %v", hexed)
	}
}

func atoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func get(t *testing.T, url, token string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

// redisDump returns every key of the database with its value.
func redisDump(t *testing.T, ctx context.Context, rdb *redis.Client) string {
	t.Helper()
	var b strings.Builder
	iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		b.WriteString(key + " ")
		typ, err := rdb.Type(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		var v any
		switch typ {
		case "string":
			v, err = rdb.Get(ctx, key).Result()
		case "hash":
			v, err = rdb.HGetAll(ctx, key).Result()
		case "list":
			v, err = rdb.LRange(ctx, key, 0, -1).Result()
		case "set":
			v, err = rdb.SMembers(ctx, key).Result()
		case "zset":
			v, err = rdb.ZRangeWithScores(ctx, key, 0, -1).Result()
		case "stream":
			v, err = rdb.XRange(ctx, key, "-", "+").Result()
		}
		if err != nil && err != redis.Nil {
			t.Fatalf("redis %s %s: %v", typ, key, err)
		}
		fmt.Fprintf(&b, "%v\n", v)
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// dbDump returns every row of every table in the public schema as text.
func dbDump(t *testing.T, ctx context.Context, db *pgx.Conn) string {
	t.Helper()
	rows, err := db.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) == 0 {
		t.Fatalf("tables: %v %v", tables, err)
	}
	var b strings.Builder
	for _, table := range tables {
		rows, err := db.Query(ctx, fmt.Sprintf(`SELECT t::text FROM %s AS t`, pgx.Identifier{table}.Sanitize()))
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			b.WriteString(table + " " + l + "\n")
		}
	}
	return b.String()
}

// linesWith returns the lines of s holding any of the needles (at most 20).
func linesWith(s string, needles []string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, n := range needles {
			if strings.Contains(strings.ToLower(l), strings.ToLower(n)) {
				out = append(out, l)
				break
			}
		}
		if len(out) == 20 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// printLeakCard returns files with the front and back replaced by an ID
// card (TD1) printing the leak applicant: name, number, dates, sex, and
// the machine-readable zone with all of them.
func printLeakCard(t *testing.T, files map[storage.Slot]client.File) map[storage.Slot]client.File {
	t.Helper()
	id := docgen.NewIdentity(71, docgen.KindTD1)
	id.Issuer, id.Nationality, id.Country, id.DocumentCode = "D", "D", "FEDERAL REPUBLIC OF GERMANY", "ID"
	id.Surname, id.GivenNames, id.Sex = "XAVIERSSON", "QUENTIN", "M"
	id.Number, id.BirthDate, id.ExpiryDate = "QX7Z93K41", leakDOB, leakExpiry
	portrait, err := sample.Portrait(sample.Faces()[0])
	if err != nil {
		t.Fatal(err)
	}
	out := map[storage.Slot]client.File{storage.SlotSelfie: files[storage.SlotSelfie]}
	for side, slot := range map[docgen.Side]storage.Slot{docgen.Front: storage.SlotFront, docgen.Back: storage.SlotBack} {
		img, _, err := docgen.GenerateDocument(docgen.Spec{Seed: 71, Size: docgen.Size2MP, Side: side,
			Defect: docgen.Clean, Portrait: portrait, PrintedPortrait: true, Kind: docgen.KindTD1, Identity: &id})
		if err != nil {
			t.Fatal(err)
		}
		data, err := docgen.Encode(img, docgen.Encoding{Quality: 90})
		if err != nil {
			t.Fatal(err)
		}
		out[slot] = client.File{ContentType: "image/jpeg", Data: data}
	}
	return out
}
