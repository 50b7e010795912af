package badinput

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// put sends a request to a presigned URL with the given headers (the
// signed ones unless replaced) and body; contentLength -1 sends the body
// chunked.
func put(t testing.TB, method, rawURL string, headers map[string]string, body []byte, contentLength int64) (int, string) {
	t.Helper()
	// A server that refuses a request while its body is still being sent
	// may answer and close, and the client then sometimes reports the
	// closed connection instead of the answer (net/http's race between
	// writing the body and reading an early response). Send it again on a
	// new connection, up to three times, to read the answer itself.
	var status int
	var text string
	for range 3 {
		status, text = putOnce(t, method, rawURL, headers, body, contentLength)
		if status != 0 {
			break
		}
	}
	return status, text
}

// putOnce sends one request as put describes; a transport error is
// status 0 with the error's text.
func putOnce(t testing.TB, method, rawURL string, headers map[string]string, body []byte, contentLength int64) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if http.CanonicalHeaderKey(k) == "Content-Length" || http.CanonicalHeaderKey(k) == "Host" {
			continue
		}
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	req.ContentLength = contentLength
	if contentLength < 0 {
		req.Body = io.NopCloser(bytes.NewReader(body)) // unknown length: chunked
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		// A server refusing a declared length may close the connection
		// while the body is still being sent.
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	// S3 errors are XML; the <Code> says it all.
	if _, code, ok := strings.Cut(string(b), "<Code>"); ok {
		code, _, _ = strings.Cut(code, "</Code>")
		return resp.StatusCode, code
	}
	return resp.StatusCode, string(b)
}

func with(h map[string]string, k, v string) map[string]string {
	out := map[string]string{}
	for kk, vv := range h {
		out[kk] = vv
	}
	out[k] = v
	return out
}

// TestPresignedUploadsAndSubmit: a presigned URL accepts exactly the
// signed type and length at its own key, and nothing else; submit before
// every upload is in place answers 409 upload_missing and changes nothing;
// once all are in place it is accepted, and replaying it enqueues nothing
// more.
func TestPresignedUploadsAndSubmit(t *testing.T) {
	t.Parallel()
	s := start(t, nil)
	ctx := context.Background()
	files := map[storage.Slot]client.File{
		storage.SlotFront:  {ContentType: "image/jpeg", Data: noiseJPEG(t, 320, 200)},
		storage.SlotBack:   {ContentType: "image/jpeg", Data: noiseJPEG(t, 320, 201)},
		storage.SlotSelfie: {ContentType: "video/mp4", Data: randomBytes(4000)},
	}
	v, err := s.Client.Create(ctx, "acct-uploads", basicInfo(0), files, "")
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.Client.Create(ctx, "acct-other", basicInfo(1), files, "")
	if err != nil {
		t.Fatal(err)
	}
	front, back := v.Uploads[string(storage.SlotFront)], v.Uploads[string(storage.SlotBack)]
	data := files[storage.SlotFront].Data
	n := int64(len(data))
	if front.Headers["Content-Type"] != "image/jpeg" || front.Headers["Content-Length"] != fmt.Sprint(n) {
		t.Fatalf("the signed headers %v do not pin type and length", front.Headers)
	}
	if left := time.Until(front.ExpiresAt); left <= 0 || left > 15*time.Minute+time.Minute {
		t.Errorf("expires_at %v is not the default 15 minutes ahead", front.ExpiresAt)
	}
	u, _ := url.Parse(front.URL)
	otherKey := func(key string) string {
		c := *u
		c.Path = strings.Replace(u.Path, "v/"+v.ID+"/doc_front", key, 1)
		c.RawPath = ""
		return c.String()
	}
	query := func(k, val string) string {
		c := *u
		q := c.Query()
		q.Set(k, val)
		c.RawQuery = q.Encode()
		return c.String()
	}
	before := s.snapshot()
	for _, tc := range []struct {
		name    string
		method  string
		url     string
		headers map[string]string
		body    []byte
		length  int64
	}{
		{"wrong Content-Type", "PUT", front.URL, with(front.Headers, "Content-Type", "image/png"), data, n},
		{"type with parameters", "PUT", front.URL, with(front.Headers, "Content-Type", "image/jpeg; q=1"), data, n},
		{"no Content-Type", "PUT", front.URL, with(front.Headers, "Content-Type", ""), data, n},
		{"body one byte bigger", "PUT", front.URL, front.Headers, append(slices.Clip(data), 0), n + 1},
		{"body far bigger", "PUT", front.URL, front.Headers, bytes.Repeat(data, 20), 20 * n},
		{"body one byte smaller", "PUT", front.URL, front.Headers, data[:n-1], n - 1},
		{"empty body", "PUT", front.URL, front.Headers, nil, 0},
		{"chunked body", "PUT", front.URL, front.Headers, data, -1},
		{"another slot's key", "PUT", otherKey("v/" + v.ID + "/doc_back"), front.Headers, data, n},
		{"another verification's key", "PUT", otherKey("v/" + other.ID + "/doc_front"), front.Headers, data, n},
		{"a key outside v/", "PUT", otherKey("h/" + v.ID + "/selfie"), front.Headers, data, n},
		{"a dot-dot key", "PUT", otherKey("v/" + v.ID + "/../" + other.ID + "/doc_front"), front.Headers, data, n},
		{"longer validity", "PUT", query("X-Amz-Expires", "604800"), front.Headers, data, n},
		{"another date", "PUT", query("X-Amz-Date", time.Now().Add(time.Hour).UTC().Format("20060102T150405Z")), front.Headers, data, n},
		{"no signature", "PUT", query("X-Amz-Signature", strings.Repeat("0", 64)), front.Headers, data, n},
		{"DELETE", "DELETE", front.URL, nil, nil, 0},
		{"POST", "POST", front.URL, front.Headers, data, n},
		{"GET", "GET", front.URL, nil, nil, 0},
		{"the back's URL with the front's data", "PUT", back.URL, back.Headers, data, n},
	} {
		status, body := put(t, tc.method, tc.url, tc.headers, tc.body, tc.length)
		t.Logf("%s: %d %s", tc.name, status, trim(body))
		if status < 400 || status >= 500 {
			t.Errorf("%s: S3 answered %d %s, want a 4xx refusal", tc.name, status, trim(body))
		}
		if d := before.diff(s.snapshot()); d != "" {
			t.Errorf("%s: changed state: %s", tc.name, d)
			before = s.snapshot()
		}
	}

	// Submit before the uploads: 409 upload_missing naming what is
	// missing, and nothing changes.
	submit := request{method: "POST", path: "/v1/verifications/" + v.ID + "/submit"}
	wantMissing := func(want ...string) {
		t.Helper()
		before := s.snapshot()
		r := s.do(submit)
		if r.status != 409 || r.err.Code != "upload_missing" || !slices.Equal(sorted(r.err.Missing), want) {
			t.Fatalf("submit: %v, want 409 upload_missing %v", r, want)
		}
		if d := before.diff(s.snapshot()); d != "" {
			t.Fatalf("refused submit changed state: %s", d)
		}
	}
	wantMissing("doc_back", "doc_front", "selfie")
	for _, slot := range []storage.Slot{storage.SlotFront, storage.SlotBack} {
		if err := s.Client.Upload(ctx, v.Uploads[string(slot)], files[slot].Data); err != nil {
			t.Fatalf("upload %s: %v", slot, err)
		}
	}
	wantMissing("selfie")
	if got, err := s.Client.Get(ctx, v.ID); err != nil || got.Status != storage.StatusCreated {
		t.Fatalf("after a refused submit: %+v %v", got, err)
	}

	// The last upload, then submit and replay it.
	if err := s.Client.Upload(ctx, v.Uploads[string(storage.SlotSelfie)], files[storage.SlotSelfie].Data); err != nil {
		t.Fatalf("upload selfie: %v", err)
	}
	var first struct {
		Status storage.Status
		Checks []string
	}
	r := s.do(submit)
	if r.status != 202 || json.Unmarshal(r.body, &first) != nil || first.Status != storage.StatusSubmitted {
		t.Fatalf("submit with everything uploaded: %v", r)
	}
	want := []string{}
	for _, c := range first.Checks {
		task, err := tasks.ForCheck(v.ID, c)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, tasks.QueueChecks+" "+task.Type()+" "+tasks.ID(task.Type(), mustPayload(t, task)))
	}
	checkTasks := func() []string {
		var out []string
		for _, x := range s.tasks(v.ID) {
			if strings.HasPrefix(x, tasks.QueueChecks+" ") {
				out = append(out, x)
			}
		}
		return out
	}
	if got := checkTasks(); !slices.Equal(got, sorted(want)) {
		t.Fatalf("check tasks after submit: %v, want %v", got, want)
	}
	sub, err := s.Client.Get(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if r := s.do(submit); r.status != 202 {
			t.Fatalf("replayed submit %d: %v", i, r)
		}
	}
	if got := checkTasks(); !slices.Equal(got, sorted(want)) {
		t.Errorf("check tasks after replays: %v, want %v once each", got, want)
	}
	again, err := s.Client.Get(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !again.SubmittedAt.Equal(*sub.SubmittedAt) || again.CreatedAt != sub.CreatedAt {
		t.Errorf("a replayed submit changed the verification: %+v → %+v", sub, again)
	}

	// The webhook's copy of the same event changes nothing either.
	if r := s.do(webhook(s, s3Event("v/"+v.ID+"/selfie"))); r.status != 200 {
		t.Errorf("webhook after submit: %v", r)
	}
	if got := checkTasks(); !slices.Equal(got, sorted(want)) {
		t.Errorf("check tasks after the webhook: %v", got)
	}

	// Its decision still comes, once.
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	d, err := s.Client.WaitDecision(wctx, v.ID, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.do(submit); r.status != 202 {
		t.Errorf("submit after the decision: %v", r)
	}
	if after, _ := s.Client.Get(ctx, v.ID); after.Decision == nil || after.Decision.Outcome != d.Decision.Outcome || !after.DecidedAt.Equal(*d.DecidedAt) {
		t.Errorf("submit after the decision changed it: %+v → %+v", d.Decision, after.Decision)
	}
}

// TestIdempotentCreate: retrying a create with the same Idempotency-Key
// returns the same verification; the same key with another request is a
// 409 and changes nothing; a retry after submit hands out no new upload
// URLs (which would let a client replace what was checked).
func TestIdempotentCreate(t *testing.T) {
	t.Parallel()
	s := start(t, nil)
	body := createBody("acct-idem", nil)
	key := map[string]string{"Idempotency-Key": "create-1"}
	r1 := s.do(request{method: "POST", path: "/v1/verifications", body: body, header: key})
	r2 := s.do(request{method: "POST", path: "/v1/verifications", body: body, header: key})
	var c1, c2 api.CreateResponse
	if r1.status != 201 || r2.status != 201 || json.Unmarshal(r1.body, &c1) != nil || json.Unmarshal(r2.body, &c2) != nil || c1.ID != c2.ID {
		t.Fatalf("retried create: %v / %v", r1, r2)
	}
	before := s.snapshot()
	for name, edit := range map[string]func(map[string]any){
		"another size":   func(m map[string]any) { upload(m, "doc_front")["size"] = frontSize + 1 },
		"another type":   func(m map[string]any) { upload(m, "selfie")["content_type"] = "video/webm" },
		"another name":   func(m map[string]any) { info(m)["full_name"] = "ERIKA GABLER" },
		"another number": func(m map[string]any) { info(m)["id_number"] = "T22000129" },
		"a flag":         func(m map[string]any) { m["flags"] = []string{"pep"} },
	} {
		r := s.do(request{method: "POST", path: "/v1/verifications", body: createBody("acct-idem", edit), header: key})
		if r.status != 409 || r.err.Code != "idempotency_conflict" {
			t.Errorf("same key, %s: %v, want 409 idempotency_conflict", name, r)
		}
	}
	// The same key for another account is another verification.
	r3 := s.do(request{method: "POST", path: "/v1/verifications", body: createBody("acct-idem-2", nil), header: key})
	var c3 api.CreateResponse
	if r3.status != 201 || json.Unmarshal(r3.body, &c3) != nil || c3.ID == c1.ID {
		t.Errorf("same key, another account: %v", r3)
	}
	if d := before.diff(s.snapshot()); !strings.Contains(d, "verifications") || strings.Count(d, "table verifications") != 1 {
		t.Errorf("expected exactly the new account's verification: %s", d)
	}

	// After submit, a retry reports the state and no upload URLs.
	for slot, size := range map[string]int{"doc_front": frontSize, "doc_back": backSize, "selfie": selfieSize} {
		if err := s.Client.Upload(context.Background(), c1.Uploads[slot], randomBytes(size)); err != nil {
			t.Fatalf("upload %s: %v", slot, err)
		}
	}
	if r := s.do(request{method: "POST", path: "/v1/verifications/" + c1.ID + "/submit"}); r.status != 202 {
		t.Fatalf("submit: %v", r)
	}
	r4 := s.do(request{method: "POST", path: "/v1/verifications", body: body, header: key})
	var c4 api.CreateResponse
	if r4.status != 200 || json.Unmarshal(r4.body, &c4) != nil || c4.ID != c1.ID || c4.Status == storage.StatusCreated || len(c4.Uploads) != 0 {
		t.Errorf("create retried after submit: %v, want 200 with the verification's status and no upload URLs", r4)
	}
}

// TestPresignedURLExpiry: with KYCQ_URL_TTL=1s, a URL used after it
// expired is refused by S3 and the upload is not stored.
func TestPresignedURLExpiry(t *testing.T) {
	t.Parallel()
	s := start(t, harness.Env{"KYCQ_URL_TTL": "1s"})
	ctx := context.Background()
	files := map[storage.Slot]client.File{
		storage.SlotFront:  {ContentType: "image/jpeg", Data: randomBytes(frontSize)},
		storage.SlotBack:   {ContentType: "image/jpeg", Data: randomBytes(backSize)},
		storage.SlotSelfie: {ContentType: "video/mp4", Data: randomBytes(selfieSize)},
	}
	v, err := s.Client.Create(ctx, "acct-expiry", basicInfo(0), files, "")
	if err != nil {
		t.Fatal(err)
	}
	front := v.Uploads[string(storage.SlotFront)]
	if left := time.Until(front.ExpiresAt); left > 2*time.Second {
		t.Errorf("expires_at %v is more than the configured second ahead", front.ExpiresAt)
	}
	// S3 signatures carry whole seconds: wait past the second after the
	// signing time.
	time.Sleep(time.Until(front.ExpiresAt.Truncate(time.Second).Add(2 * time.Second)))
	before := s.snapshot()
	status, body := put(t, "PUT", front.URL, front.Headers, files[storage.SlotFront].Data, int64(frontSize))
	if status != 403 {
		t.Errorf("expired URL: %d %s, want 403", status, trim(body))
	}
	if d := before.diff(s.snapshot()); d != "" {
		t.Errorf("expired URL changed state: %s", d)
	}
	if _, err := s.App.Blobs.Head(ctx, "v/"+v.ID+"/doc_front"); err == nil {
		t.Error("the expired upload was stored")
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func mustPayload(t testing.TB, task interface{ Payload() []byte }) tasks.Verification {
	t.Helper()
	p, err := tasks.ParseVerification(task.Payload())
	if err != nil {
		t.Fatal(err)
	}
	return p
}
