package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kycq/kycq/internal/privacy"
)

// localSecrets are generated once for the one-command run and kept in the
// data directory, so data sealed yesterday opens today.
type localSecrets struct {
	DataKey      string `json:"data_key"`
	HashKey      string `json:"hash_key"`
	APIToken     string `json:"api_token"`
	WebhookToken string `json:"webhook_token"`
	S3AccessKey  string `json:"s3_access_key"`
	S3SecretKey  string `json:"s3_secret_key"`
}

// loadLocalSecrets reads DATA_DIR/secrets.json, creating it (mode 0600)
// with fresh random values when it does not exist.
func loadLocalSecrets(dir string) (localSecrets, error) {
	var s localSecrets
	path := filepath.Join(dir, "secrets.json")
	b, err := os.ReadFile(path)
	if err == nil {
		if err := json.Unmarshal(b, &s); err != nil {
			return s, fmt.Errorf("%s: %v", path, err)
		}
		return s, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return s, err
	}
	s = localSecrets{
		DataKey: privacy.NewRandomKey(), HashKey: privacy.NewRandomKey(),
		APIToken: privacy.NewRandomKey()[:40], WebhookToken: privacy.NewRandomKey()[:40],
		S3AccessKey: "kycq" + privacy.NewRandomKey()[:16], S3SecretKey: privacy.NewRandomKey()[:40],
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return s, err
	}
	b, _ = json.MarshalIndent(s, "", "  ")
	return s, os.WriteFile(path, b, 0o600)
}

// keys builds the privacy keys from the configuration.
func (c Config) keys() (*privacy.Keys, error) {
	if c.DataKey == "" || c.HashKey == "" {
		return nil, errors.New("KYCQ_DATA_KEY and KYCQ_HASH_KEY are required (64 hex digits each; generate with: openssl rand -hex 32)")
	}
	d, err := privacy.ParseKey(c.DataKey)
	if err != nil {
		return nil, fmt.Errorf("KYCQ_DATA_KEY: %v", err)
	}
	h, err := privacy.ParseKey(c.HashKey)
	if err != nil {
		return nil, fmt.Errorf("KYCQ_HASH_KEY: %v", err)
	}
	return privacy.NewKeys(d, h)
}
