package privacy_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycq/kycq/internal/app"
	"github.com/kycq/kycq/internal/systest/harness"
)

// secretSettings are the settings that hold secrets: they come from the
// environment only, with no default compiled in.
var secretSettings = []string{
	"KYCQ_API_TOKEN", "KYCQ_WEBHOOK_TOKEN", "KYCQ_METRICS_TOKEN", "KYCQ_DATA_KEY", "KYCQ_HASH_KEY",
	"REDIS_PASSWORD", "S3_ACCESS_KEY", "S3_SECRET_KEY", "DATABASE_URL",
}

func load(t *testing.T, env map[string]string) (app.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return app.Load(fs, nil, func(k string) string { return env[k] })
}

// TestSecretsHaveNoDefaults: `kycq help run` (app.PrintSettings) lists
// every secret setting without a default, and a configuration loaded from
// an empty environment holds no secret.
func TestSecretsHaveNoDefaults(t *testing.T) {
	var help strings.Builder
	app.PrintSettings(&help)
	lines := map[string]string{}
	for _, l := range strings.Split(help.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = l
		}
	}
	for _, s := range secretSettings {
		l, ok := lines[s]
		if !ok {
			t.Errorf("%s is not a setting (kycq help run does not list it)", s)
			continue
		}
		if strings.Contains(l, "(default ") { // PrintSettings' form; "(default: …)" in a help text is prose
			t.Errorf("secret %s has a default: %s", s, l)
		}
	}
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"APIToken": c.APIToken, "WebhookToken": c.WebhookToken, "MetricsToken": c.MetricsToken,
		"DataKey": c.DataKey, "HashKey": c.HashKey, "RedisPassword": c.RedisPassword, "S3AccessKey": c.S3AccessKey,
		"S3SecretKey": c.S3SecretKey, "DatabaseURL": c.DatabaseURL} {
		if v != "" {
			t.Errorf("an empty environment gives %s a value", name)
		}
	}
}

// TestProductionRefusesMissingKeys: outside the one-command run, kycq does
// not start without the data and hash keys, and says which is missing
// without echoing a bad value.
func TestProductionRefusesMissingKeys(t *testing.T) {
	t.Parallel()
	env := harness.RealEnv(t)
	const badKey = "not-a-key-but-a-secret-value-0123456789"
	for _, tc := range []struct {
		name    string
		change  map[string]string
		mention string
	}{
		{"no data key", map[string]string{"KYCQ_DATA_KEY": ""}, "KYCQ_DATA_KEY"},
		{"no hash key", map[string]string{"KYCQ_HASH_KEY": ""}, "KYCQ_HASH_KEY"},
		{"bad data key", map[string]string{"KYCQ_DATA_KEY": badKey}, "KYCQ_DATA_KEY"},
		{"bad hash key", map[string]string{"KYCQ_HASH_KEY": badKey}, "KYCQ_HASH_KEY"},
	} {
		c, err := load(t, env.Clone(tc.change))
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.Open(context.Background(), c, app.Production, slog.New(slog.DiscardHandler))
		if err == nil {
			a.Close()
			t.Errorf("%s: kycq opened", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.mention) || strings.Contains(err.Error(), badKey) {
			t.Errorf("%s: %v (want it to name %s and not echo the value)", tc.name, err, tc.mention)
		}
	}
}

// TestNoTokenMeansNoAccess: a production kycq started without an API
// token (and without a metrics token) lets nobody in: no empty bearer, no
// empty Basic password.
func TestNoTokenMeansNoAccess(t *testing.T) {
	t.Parallel()
	svc := harness.Start(t, harness.RealEnv(t).Clone(harness.Env{"KYCQ_API_TOKEN": "", "KYCQ_METRICS_TOKEN": ""}), false)
	for _, path := range []string{"/v1/id-types", "/v1/verifications/v_aaaaaaaaaaaaaaaaaaaaaaaaaa", "/metrics", "/monitoring/"} {
		for _, auth := range []string{"", "Bearer ", "Bearer  ", "Basic " + base64.StdEncoding.EncodeToString([]byte(":")),
			"Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"))} {
			req, _ := http.NewRequest("GET", svc.URL+path, nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("GET %s with %q and no token configured: %d, want 401", path, auth, resp.StatusCode)
			}
		}
	}
}

// TestEmbeddedRunGeneratesSecrets: the one-command run generates its
// secrets into DATA_DIR/secrets.json, readable by its owner only, uses
// them, never logs them, and a second data directory gets other secrets
// (so none is compiled in).
//
// Not parallel: the embedded S3 server changes the process's working
// directory while it runs, which the other tests' testenv relies on.
func TestEmbeddedRunGeneratesSecrets(t *testing.T) {
	var seen []map[string]string
	for i := 0; i < 2; i++ {
		env := harness.EmbeddedEnv(t)
		svc := harness.Start(t, env, true)
		path := filepath.Join(env["KYCQ_DATA_DIR"], "secrets.json")
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var secrets map[string]string
		if err := json.Unmarshal(b, &secrets); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"data_key", "hash_key", "api_token", "webhook_token", "s3_secret_key"} {
			if len(secrets[k]) < 32 {
				t.Errorf("secrets.json %s is %q: not a generated secret", k, secrets[k])
			}
		}
		if svc.Token != secrets["api_token"] {
			t.Error("the service does not use the generated API token")
		}
		svc.Stop()
		logs := svc.Logs.String()
		for k, v := range secrets {
			if strings.Contains(logs, v) {
				t.Errorf("the logs hold the generated %s", k)
			}
		}
		seen = append(seen, secrets)
	}
	for k, v := range seen[0] {
		if seen[1][k] == v {
			t.Errorf("two data directories got the same %s: a default, not a generated secret", k)
		}
	}
}
