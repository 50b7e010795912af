package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/storage"
)

func TestLoadgenCommandRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, token string
		args        []string
		want        string
	}{
		{"no token", "", []string{"loadgen", "-n", "1"}, "KYCQ_API_TOKEN"},
		{"remote target", "tok", []string{"loadgen", "-url", "http://192.0.2.7:8080"}, "only loopback targets"},
		{"bad flag", "tok", []string{"loadgen", "-n", "many"}, "invalid value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KYCQ_API_TOKEN", tc.token)
			var out, errb bytes.Buffer
			if code := dispatch(context.Background(), tc.args, &out, &errb); code != 2 || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errb.String(), tc.want)
			}
		})
	}
}

// TestLoadgenCommandTSV runs kycq loadgen with a samples directory
// against a stand-in API that decides at once.
func TestLoadgenCommandTSV(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"front.jpg": "f", "back.jpg": "b", "selfie.mp4": "s",
		"info.json": `{"full_name": "ANNA TEST", "id_type": "id_card", "id_number": "T22000129"}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sub := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dec := sub.Add(2 * time.Second)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" && r.Method != http.MethodPut {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/verifications":
			var req api.CreateRequest
			_ = json.NewDecoder(r.Body).Decode(&req)
			resp := api.CreateResponse{ID: "v_" + req.AccountID, Uploads: map[string]api.UploadURL{}}
			for slot := range req.Uploads {
				resp.Uploads[slot] = api.UploadURL{Method: http.MethodPut, URL: "http://" + r.Host + "/s3/" + slot}
			}
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(resp)
		case r.Method == http.MethodPut:
		case strings.HasSuffix(r.URL.Path, "/submit"):
			w.WriteHeader(http.StatusAccepted)
			_, _ = w.Write([]byte("{}"))
		default:
			_ = json.NewEncoder(w).Encode(api.VerificationResponse{Status: storage.StatusDecided,
				SubmittedAt: &sub, DecidedAt: &dec, Decision: &api.DecisionView{Outcome: storage.Approved}})
		}
	}))
	defer srv.Close()
	t.Setenv("KYCQ_API_TOKEN", "tok")
	var out, errb bytes.Buffer
	code := dispatch(context.Background(), []string{"loadgen", "-url", srv.URL, "-samples", dir, "-n", "3", "-c", "2",
		"-duration", "1m", "-quiet", "-tsv"}, &out, &errb)
	fields := strings.Split(strings.TrimSpace(out.String()), "\t")
	if code != 0 || len(fields) != 11 || fields[0] != "3" || fields[1] != "0" || fields[4] != "2.00" || fields[8] != "3" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
