package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/kycq/kycq/internal/app"
	"github.com/kycq/kycq/storage"
)

func init() {
	register(command{name: "staff", summary: "manage review-console staff users: add, list, disable, enable", run: runStaff})
}

const staffUsage = `Usage:
  kycq staff add -username NAME -role ROLE [-password-stdin]
  kycq staff list
  kycq staff disable NAME
  kycq staff enable NAME

Roles: reviewer, senior_reviewer (second approvals), support, auditor (read-only), admin.
Without -password-stdin a random password is generated and printed once.
The database is DATABASE_URL, or the SQLite file of "kycq run" under KYCQ_DATA_DIR.`

func runStaff(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprintln(stdout, staffUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("kycq staff "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	username := fs.String("username", "", "the new user's login name (a-z, 0-9, '.', '_', '-')")
	role := fs.String("role", "", "reviewer, senior_reviewer, support, auditor or admin")
	stdinPW := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	// Service settings (DATABASE_URL, KYCQ_DATA_DIR…) come from the
	// environment; flags here are the subcommand's own.
	c, err := app.Load(flag.NewFlagSet("kycq staff", flag.ContinueOnError), nil, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "kycq staff: %v\n", err)
		return 2
	}
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	mode := app.Embedded
	if c.DatabaseURL != "" {
		mode = app.Production
	}
	a, err := app.OpenState(ctx, c, mode, app.NewLogger(c, io.Discard))
	if err != nil {
		fmt.Fprintf(stderr, "kycq staff: %v\n", err)
		return 1
	}
	defer a.Close()
	svc := a.Review()
	switch sub {
	case "add":
		pw, generated := "", false
		if *stdinPW {
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && line == "" {
				fmt.Fprintln(stderr, "kycq staff add: no password on standard input")
				return 2
			}
			pw = strings.TrimRight(line, "\r\n")
		} else {
			b := make([]byte, 15)
			rand.Read(b)
			pw, generated = base64.RawURLEncoding.EncodeToString(b), true
		}
		st, err := svc.AddStaff(ctx, nil, *username, storage.StaffRole(*role), pw)
		if err != nil {
			fmt.Fprintf(stderr, "kycq staff add: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", st.Username, st.Role)
		if generated {
			fmt.Fprintf(stdout, "password: %s   (shown once; kycq keeps only its bcrypt hash)\n", pw)
		}
	case "list":
		list, err := a.State.ListStaff(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "kycq staff list: %v\n", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tSTATUS\tCREATED")
		for _, st := range list {
			status := "enabled"
			if st.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", st.Username, st.Role, status, st.CreatedAt.Format("2006-01-02"))
		}
		tw.Flush()
	case "disable", "enable":
		if fs.NArg() != 1 {
			fmt.Fprintf(stderr, "kycq staff %s: name one user\n", sub)
			return 2
		}
		if err := svc.SetDisabled(ctx, nil, fs.Arg(0), sub == "disable"); err != nil {
			fmt.Fprintf(stderr, "kycq staff %s: %v\n", sub, err)
			return 1
		}
		fmt.Fprintf(stdout, "%sd %s\n", sub, fs.Arg(0))
	default:
		fmt.Fprintf(stderr, "kycq staff: unknown subcommand %q\n\n%s\n", sub, staffUsage)
		return 2
	}
	return 0
}
