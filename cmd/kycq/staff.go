package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/kycq/kycq/internal/app"
	"github.com/kycq/kycq/storage"
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
	svc := a.Review()
	switch sub {
	case "add":
		pw, generated := "", false
		if *stdinPW {
			if pw, err = app.ReadStaffPassword(os.Stdin); err != nil {
				return fail(stderr, "kycq staff add", err, 2)
			}
		} else {
			pw, generated = app.NewStaffPassword(), true
		}
		st, err := svc.AddStaff(ctx, nil, *username, storage.StaffRole(*role), pw)
		if err != nil {
			return fail(stderr, "kycq staff add", err, 1)
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", st.Username, st.Role)
		if generated {
			fmt.Fprintf(stdout, "password: %s   (shown once; kycq keeps only its bcrypt hash)\n", pw)
		}
	case "list":
		list, err := a.State.ListStaff(ctx)
		if err != nil {
			return fail(stderr, "kycq staff list", err, 1)
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
			return fail(stderr, "kycq staff "+sub, err, 1)
		}
		fmt.Fprintf(stdout, "%sd %s\n", sub, fs.Arg(0))
	default:
		fmt.Fprintf(stderr, "kycq staff: unknown subcommand %q\n\n%s\n", sub, staffUsage)
		return 2
	}
	return 0
}
