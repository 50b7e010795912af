package app

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, func(k string) string { return env[k] })
}

func TestLoadDefaultsEnvThenFlags(t *testing.T) {
	c, err := load(t, map[string]string{"REDIS_ADDR": "10.0.0.1:6379", "KYCQ_CONCURRENCY": "8"}, "-concurrency", "3", "-retention", "1h")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.RedisAddr != "10.0.0.1:6379" || c.Concurrency != 3 || c.Retention != time.Hour {
		t.Fatalf("config %+v", c)
	}
	if c.RejectionWindow != 24*time.Hour || c.RejectionLimit != 3 || c.S3Bucket != "kycq" {
		t.Fatalf("defaults %+v", c)
	}
}

func TestLoadRefusesBadValuesWithoutEchoingSecrets(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{env: map[string]string{"KYCQ_CONCURRENCY": "lots"}},
		{env: map[string]string{"KYCQ_CONCURRENCY": "0"}},
		{env: map[string]string{"KYCQ_LOG_FORMAT": "xml"}},
		{env: map[string]string{"KYCQ_URL_TTL": "500ms"}},
		{env: map[string]string{"KYCQ_URL_TTL": "200h"}},
		{env: map[string]string{"REDIS_SENTINEL_MASTER": "m"}},
		{env: map[string]string{"KYCQ_LIVENESS_CHALLENGES": "nod"}},
		{env: map[string]string{"KYCQ_LIVENESS_CHALLENGES": " , "}},
		{env: map[string]string{"KYCQ_LIVENESS_CHALLENGES": "turn_left,smile"}},
		{env: map[string]string{"KYCQ_LIVENESS_CHALLENGES": "turn_left_left"}},
		{args: []string{"-retention", "soon"}},
		{args: []string{"-no-such-flag"}},
	} {
		if _, err := load(t, tc.env, tc.args...); err == nil {
			t.Errorf("%v %v accepted", tc.env, tc.args)
		}
	}
	_, err := load(t, map[string]string{"REDIS_DB": "x"})
	if err == nil || !strings.Contains(err.Error(), "REDIS_DB") {
		t.Fatalf("err = %v", err)
	}
}

func TestLivenessChallenges(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want string
	}{
		{"", "turn_left,turn_right"},
		{"blink", "blink"},
		{" turn_left , blink ", "turn_left,blink"},
		{"turn_left_right,turn_right_left", "turn_left_right,turn_right_left"},
	} {
		env := map[string]string{}
		if tc.env != "" {
			env["KYCQ_LIVENESS_CHALLENGES"] = tc.env
		}
		c, err := load(t, env)
		if err != nil {
			t.Fatalf("%q: %v", tc.env, err)
		}
		if got := strings.Join(c.Challenges, ","); got != tc.want {
			t.Errorf("KYCQ_LIVENESS_CHALLENGES=%q: %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestEverySettingHasAFlagAndHelp(t *testing.T) {
	var b strings.Builder
	PrintSettings(&b)
	for _, s := range settings {
		want := "-" + flagName(s.env)
		if s.secret {
			want = s.env + "_FILE"
		}
		if s.help == "" || !strings.Contains(b.String(), s.env) || !strings.Contains(b.String(), want) {
			t.Errorf("%s missing from help", s.env)
		}
	}
}
