package app

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kycq/kycq/storage"
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

// WriteStaffTable writes the staff users as a table: username, role,
// status and creation date; never a password hash.
func WriteStaffTable(w io.Writer, list []*storage.Staff) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tSTATUS\tCREATED")
	for _, st := range list {
		status := "enabled"
		if st.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", st.Username, st.Role, status, st.CreatedAt.Format("2006-01-02"))
	}
	tw.Flush()
}

// AddStaff adds the review-console user username with role and password.
// With generate, a random password (NewStaffPassword) replaces password
// and is returned, to be shown once; else the returned password is empty.
func (a *App) AddStaff(ctx context.Context, username, role, password string, generate bool) (*storage.Staff, string, error) {
	shown := ""
	if generate {
		password = NewStaffPassword()
		shown = password
	}
	st, err := a.Review().AddStaff(ctx, nil, username, storage.StaffRole(role), password)
	return st, shown, err
}
