package app

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"strings"
)

// OpenStaffStore opens only the state store, for managing staff users
// (kycq staff): DATABASE_URL when it is set, else the SQLite file of
// "kycq run" under the data directory. It logs nothing.
func OpenStaffStore(ctx context.Context, c Config) (*App, error) {
	mode := Embedded
	if c.DatabaseURL != "" {
		mode = Production
	}
	return OpenState(ctx, c, mode, NewLogger(c, io.Discard))
}

// NewStaffPassword returns a random password for a staff user: 15 random
// bytes, 20 characters of unpadded URL-safe base64.
func NewStaffPassword() string {
	b := make([]byte, 15)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ReadStaffPassword returns the first line of r, without its line end, as
// a staff user's password ("kycq staff add -password-stdin").
func ReadStaffPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
