package badinput

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/tasks"
)

// service is a running kycq with direct access to what it stores, so a
// test can prove that a refused request changed nothing.
type service struct {
	*harness.Service
	t      testing.TB
	env    harness.Env
	db     *pgx.Conn
	s3     *s3.Client
	bucket string
	insp   *asynq.Inspector
	http   *http.Client
}

// start runs a kycq on the test's own Redis database, PostgreSQL database
// and bucket, with the overrides applied to its environment.
func start(t testing.TB, overrides harness.Env) *service {
	t.Helper()
	env := harness.RealEnv(t).Clone(overrides)
	svc := harness.Start(t, env, false)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	db, err := pgx.Connect(ctx, env["DATABASE_URL"])
	if err != nil {
		t.Fatalf("connect to the service's database: %v", err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	insp := asynq.NewInspector(svc.App.Redis)
	t.Cleanup(func() { insp.Close() })
	return &service{
		Service: svc, t: t, env: env, db: db, insp: insp, bucket: env["S3_BUCKET"],
		s3: s3.New(s3.Options{
			Region: env["S3_REGION"], BaseEndpoint: aws.String(env["S3_ENDPOINT"]), UsePathStyle: true,
			Credentials: credentials.NewStaticCredentialsProvider(env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"], ""),
		}),
		// Redirects are answers too: a path trick must not be redirected
		// somewhere else.
		http: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
	}
}

// request is one HTTP request to the API.
type request struct {
	method string
	path   string // appended to the service URL as is (no escaping)
	body   string
	// contentType defaults to application/json when there is a body;
	// "-" sends none.
	contentType string
	// auth is the Authorization header: "" sends the service's bearer
	// token, "-" sends none, anything else is sent as it is.
	auth   string
	header map[string]string
}

// response is an API answer.
type response struct {
	status int
	header http.Header
	body   []byte
	err    api.Error // the error body, when there is one
}

func (r response) String() string {
	b := r.body
	if len(b) > 300 {
		b = append(b[:300:300], "…"...)
	}
	return fmt.Sprintf("%d %s", r.status, bytes.TrimSpace(b))
}

// do sends req and reads the answer.
func (s *service) do(req request) response {
	s.t.Helper()
	hr, err := http.NewRequest(req.method, s.URL+req.path, strings.NewReader(req.body))
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	if req.body == "" {
		hr.Body, hr.ContentLength = http.NoBody, 0
	}
	switch {
	case req.contentType == "-":
	case req.contentType != "":
		hr.Header.Set("Content-Type", req.contentType)
	case req.body != "":
		hr.Header.Set("Content-Type", "application/json")
	}
	switch req.auth {
	case "":
		hr.Header.Set("Authorization", "Bearer "+s.Token)
	case "-":
	default:
		hr.Header.Set("Authorization", req.auth)
	}
	for k, v := range req.header {
		hr.Header.Set(k, v)
	}
	resp, err := s.http.Do(hr)
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	out := response{status: resp.StatusCode, header: resp.Header, body: b}
	var e struct{ Error api.Error }
	if json.Unmarshal(b, &e) == nil {
		out.err = e.Error
	}
	return out
}

// snapshot is everything a kycq keeps: the content of every database
// table, every task in its queues (the periodic maintenance ticks aside)
// and every object in its bucket.
type snapshot struct {
	tables  map[string]string
	tasks   []string
	objects []string
}

func (s *service) snapshot() snapshot {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	snap := snapshot{tables: map[string]string{}}
	s.outboxSettled(ctx)
	rows, err := s.db.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		s.t.Fatalf("snapshot: list tables: %v", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		s.t.Fatalf("snapshot: list tables: %v", err)
	}
	if len(names) == 0 {
		s.t.Fatal("snapshot: the database has no tables")
	}
	for _, name := range names {
		var n int
		var sum string
		q := fmt.Sprintf(`SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM %s AS t`,
			pgx.Identifier{name}.Sanitize())
		if err := s.db.QueryRow(ctx, q).Scan(&n, &sum); err != nil {
			s.t.Fatalf("snapshot: table %s: %v", name, err)
		}
		snap.tables[name] = fmt.Sprintf("%d rows %s", n, sum)
	}
	snap.tasks = s.tasks("")
	p := s3.NewListObjectsV2Paginator(s.s3, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			s.t.Fatalf("snapshot: list bucket: %v", err)
		}
		for _, o := range page.Contents {
			snap.objects = append(snap.objects, fmt.Sprintf("%s %d %s", aws.ToString(o.Key), aws.ToInt64(o.Size), aws.ToString(o.ETag)))
		}
	}
	sort.Strings(snap.objects)
	return snap
}

// outboxSettled waits until the webhook relay has dispatched every event
// in the outbox: it stamps dispatched_at in the background, after the
// request that wrote the event has been answered, so a snapshot taken
// before would see an earlier good request's event change under a later
// bad one. A bad request that writes an event still shows, as a row more.
func (s *service) outboxSettled(ctx context.Context) {
	s.t.Helper()
	for {
		var n int
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM webhook_events WHERE dispatched_at IS NULL`).Scan(&n); err != nil {
			s.t.Fatalf("snapshot: webhook outbox: %v", err)
		}
		if n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			s.t.Fatalf("snapshot: %d webhook events still undispatched: the relay did not catch up", n)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// tasks lists the tasks of every queue, in any state, as "queue type id",
// leaving out the periodic sweep and retention ticks; only those whose
// payload contains about when it is not empty.
func (s *service) tasks(about string) []string {
	s.t.Helper()
	var out []string
	for q := range tasks.Queues() {
		for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){
			s.insp.ListPendingTasks, s.insp.ListActiveTasks, s.insp.ListScheduledTasks,
			s.insp.ListRetryTasks, s.insp.ListArchivedTasks, s.insp.ListCompletedTasks,
		} {
			infos, err := list(q, asynq.PageSize(10000))
			if errors.Is(err, asynq.ErrQueueNotFound) {
				continue
			}
			if err != nil {
				s.t.Fatalf("list tasks of %s: %v", q, err)
			}
			for _, ti := range infos {
				if ti.Type == tasks.TypeSweep || ti.Type == tasks.TypeRetention {
					continue
				}
				if about != "" && !bytes.Contains(ti.Payload, []byte(about)) {
					continue
				}
				out = append(out, q+" "+ti.Type+" "+ti.ID)
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// diff describes how two snapshots differ ("" when they do not).
func (a snapshot) diff(b snapshot) string {
	var out []string
	for name, v := range b.tables {
		if a.tables[name] != v {
			out = append(out, fmt.Sprintf("table %s: %s → %s", name, a.tables[name], v))
		}
	}
	for name := range a.tables {
		if _, ok := b.tables[name]; !ok {
			out = append(out, "table "+name+" disappeared")
		}
	}
	if !slices.Equal(a.tasks, b.tasks) {
		out = append(out, fmt.Sprintf("tasks: %v → %v", a.tasks, b.tasks))
	}
	if !slices.Equal(a.objects, b.objects) {
		out = append(out, fmt.Sprintf("objects: %v → %v", a.objects, b.objects))
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

// eventually polls cond every 50 ms for up to d.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
