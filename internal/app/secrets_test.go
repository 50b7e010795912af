package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Secrets come from the environment or a NAME_FILE, never from flags
// (issue 12, item 11): ps shows every process's arguments.
func TestSecretsNeverFromFlags(t *testing.T) {
	for _, s := range settings {
		if !s.secret {
			continue
		}
		_, err := load(t, nil, "-"+flagName(s.env), "x")
		if err == nil || !strings.Contains(err.Error(), "flag provided but not defined") {
			t.Errorf("-%s: err = %v, want an undefined flag", flagName(s.env), err)
		}
	}
	// Every setting that holds a credential is marked secret.
	for _, s := range settings {
		name := s.env
		if (strings.Contains(name, "TOKEN") || strings.Contains(name, "PASSWORD") || strings.Contains(name, "SECRET") ||
			strings.HasSuffix(name, "_KEY") || name == "DATABASE_URL") && !s.secret {
			t.Errorf("%s holds a credential but is not secret", name)
		}
	}
}

func TestSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := load(t, map[string]string{"KYCQ_API_TOKEN_FILE": tokenFile, "REDIS_PASSWORD": "from-env"})
	if err != nil {
		t.Fatal(err)
	}
	if c.APIToken != "from-a-file" || c.RedisPassword != "from-env" {
		t.Fatalf("token %q, password %q", c.APIToken, c.RedisPassword)
	}
	for name, env := range map[string]map[string]string{
		"both set":     {"KYCQ_API_TOKEN": "a", "KYCQ_API_TOKEN_FILE": tokenFile},
		"missing file": {"KYCQ_WEBHOOK_TOKEN_FILE": filepath.Join(dir, "nope")},
	} {
		if _, err := load(t, env); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "from-a-file") {
			t.Errorf("%s: the error shows the secret: %v", name, err)
		}
	}
}
