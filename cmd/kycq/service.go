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

// loadConfig parses flags and environment for a service command.
func loadConfig(name string, args []string, stderr io.Writer) (app.Config, int, bool) {
	c, err := app.LoadArgs(name, args, os.Getenv, stderr)
	if err != nil && err != flag.ErrHelp {
		return c, fail(stderr, "kycq "+name, err, 2), false
	}
	return c, 0, err == nil
}

// service returns the run function of a service command running roles.
func service(name string, mode app.Mode, roles app.Roles) func(context.Context, []string, io.Writer, io.Writer) int {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		c, code, ok := loadConfig(name, args, stderr)
		if !ok {
			return code
		}
		switch err := app.Service(ctx, c, mode, roles, stdout, stderr); {
		case err == nil:
			return 0
		case errors.Is(err, app.ErrNoToken):
			return fail(stderr, "kycq "+name, err, 2)
		case !errors.Is(err, app.ErrStopped):
			return fail(stderr, "kycq "+name, err, 1)
		}
		return 1
	}
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, code, ok := loadConfig("migrate", args, stderr)
	if !ok {
		return code
	}
	if err := app.Migrate(ctx, c, stderr); err != nil {
		return fail(stderr, "kycq migrate", err, 1)
	}
	fmt.Fprintln(stdout, "kycq migrate: schema is up to date")
	return 0
}
