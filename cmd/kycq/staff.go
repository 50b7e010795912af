package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kycq/kycq/internal/app"
)

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
	fs := flags("kycq staff "+sub, stderr)
	username := fs.String("username", "", "the new user's login name (a-z, 0-9, '.', '_', '-')")
	role := fs.String("role", "", "reviewer, senior_reviewer, support, auditor or admin")
	stdinPW := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	// Service settings (DATABASE_URL, KYCQ_DATA_DIR…) come from the
	// environment; flags here are the subcommand's own.
	c, err := app.Load(flag.NewFlagSet("kycq staff", flag.ContinueOnError), nil, os.Getenv)
	if err != nil {
		return fail(stderr, "kycq staff", err, 2)
	}
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	a, err := app.OpenStaffStore(ctx, c)
	if err != nil {
		return fail(stderr, "kycq staff", err, 1)
	}
	defer a.Close()
	switch sub {
	case "add":
		var pw string
		if *stdinPW {
			if pw, err = app.ReadStaffPassword(os.Stdin); err != nil {
				return fail(stderr, "kycq staff add", err, 2)
			}
		}
		st, shown, err := a.AddStaff(ctx, *username, *role, pw, !*stdinPW)
		if err != nil {
			return fail(stderr, "kycq staff add", err, 1)
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", st.Username, st.Role)
		if shown != "" {
			fmt.Fprintf(stdout, "password: %s   (shown once; kycq keeps only its bcrypt hash)\n", shown)
		}
	case "list":
		list, err := a.State.ListStaff(ctx)
		if err != nil {
			return fail(stderr, "kycq staff list", err, 1)
		}
		app.WriteStaffTable(stdout, list)
	case "disable", "enable":
		if fs.NArg() != 1 {
			return fail(stderr, "kycq staff "+sub, errors.New("name one user"), 2)
		}
		if err := a.Review().SetDisabled(ctx, nil, fs.Arg(0), sub == "disable"); err != nil {
			return fail(stderr, "kycq staff "+sub, err, 1)
		}
		fmt.Fprintf(stdout, "%sd %s\n", sub, fs.Arg(0))
	default:
		fmt.Fprintf(stderr, "kycq staff: unknown subcommand %q\n\n%s\n", sub, staffUsage)
		return 2
	}
	return 0
}
