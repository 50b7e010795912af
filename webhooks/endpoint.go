package webhooks

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
)

// Endpoint is where events are POSTed and the secret they are signed
// with. Its ID, derived from the URL, is what the store, the tasks, the
// logs and the API show: never the URL (it may hold a token) or the
// secret.
type Endpoint struct {
	ID     string
	URL    string
	Secret []byte
}

// NewEndpoint checks an endpoint's URL (absolute http or https, with a
// host, without user info) and secret (at least MinSecretLen bytes).
func NewEndpoint(rawURL, secret string) (Endpoint, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Endpoint{}, errors.New("webhooks: endpoint URL must be an absolute http:// or https:// URL")
	}
	if u.User != nil {
		return Endpoint{}, errors.New("webhooks: endpoint URL must not carry user info")
	}
	if len(secret) < MinSecretLen {
		return Endpoint{}, fmt.Errorf("webhooks: endpoint secret must be at least %d bytes", MinSecretLen)
	}
	return Endpoint{ID: EndpointID(rawURL), URL: rawURL, Secret: []byte(secret)}, nil
}

// EndpointID returns the id of the endpoint at rawURL: "ep_" and 12 hex
// digits of its SHA-256.
func EndpointID(rawURL string) string {
	sum := sha256.Sum256([]byte(rawURL))
	return "ep_" + hex.EncodeToString(sum[:6])
}
