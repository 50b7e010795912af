package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/kycq/kycq/internal/app"
)

func init() {
	register(command{name: "run", summary: "API and workers in one process; embedded Redis, S3 and database for what is not configured", run: runRun})
	register(command{name: "serve", summary: "the HTTP API only (production: needs REDIS_ADDR, S3_ENDPOINT, DATABASE_URL)", run: runServe})
	register(command{name: "work", summary: "the task workers only (production: needs REDIS_ADDR, S3_ENDPOINT, DATABASE_URL)", run: runWork})
	register(command{name: "migrate", summary: "apply the database schema migrations and exit", run: runMigrate})
}

// loadConfig parses flags and environment for a service command.
func loadConfig(name string, args []string, stderr io.Writer) (app.Config, int, bool) {
	fs := flag.NewFlagSet("kycq "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: kycq %s [flags]\n\n", name)
		app.PrintSettings(stderr)
	}
	c, err := app.Load(fs, args, os.Getenv)
	if err == flag.ErrHelp {
		return c, 0, false
	}
	if err != nil {
		fmt.Fprintf(stderr, "kycq %s: %v\n", name, err)
		return c, 2, false
	}
	return c, 0, true
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return service(ctx, "run", args, stdout, stderr, app.Embedded, true, true)
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return service(ctx, "serve", args, stdout, stderr, app.Production, true, false)
}

func runWork(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return service(ctx, "work", args, stdout, stderr, app.Production, false, true)
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, code, ok := loadConfig("migrate", args, stderr)
	if !ok {
		return code
	}
	a, err := app.Open(ctx, c, app.Production, app.NewLogger(c, stderr))
	if err != nil {
		fmt.Fprintf(stderr, "kycq migrate: %v\n", err)
		return 1
	}
	defer a.Close()
	fmt.Fprintln(stdout, "kycq migrate: schema is up to date")
	return 0
}

func service(ctx context.Context, name string, args []string, stdout, stderr io.Writer, mode app.Mode, api, work bool) int {
	c, code, ok := loadConfig(name, args, stderr)
	if !ok {
		return code
	}
	if api && mode != app.Embedded && c.APIToken == "" {
		// Refused before anything is opened: a service nobody can call must
		// not migrate a database or take a port first. (kycq run generates
		// a token when it opens its embedded stores.)
		fmt.Fprintf(stderr, "kycq %s: KYCQ_API_TOKEN (or KYCQ_API_TOKEN_FILE) is required: without it nobody could use the API (generate one with: openssl rand -hex 20)\n", name)
		return 2
	}
	log := app.NewLogger(c, stderr)
	app.RouteLibraryLogs(log)
	var l net.Listener
	if api {
		var err error
		if l, err = net.Listen("tcp", c.Addr); err != nil {
			fmt.Fprintf(stderr, "kycq %s: %v\n", name, err)
			return 1
		}
		defer l.Close()
	}
	a, err := app.Open(ctx, c, mode, log)
	if err != nil {
		fmt.Fprintf(stderr, "kycq %s: %v\n", name, err)
		return 1
	}
	defer a.Close()
	if api && a.Config.APIToken == "" {
		fmt.Fprintf(stderr, "kycq %s: KYCQ_API_TOKEN is required: without it nobody could use the API (generate one with: openssl rand -hex 20)\n", name)
		return 2
	}
	if mode == app.Embedded {
		banner(stdout, a, l)
		if api {
			admin, err := a.EnsureFirstAdmin(ctx)
			if err != nil {
				fmt.Fprintf(stderr, "kycq %s: %v\n", name, err)
				return 1
			}
			consoleBanner(stdout, l, admin)
		}
	}
	switch err := a.Run(ctx, l, api, work); {
	case errors.Is(err, app.ErrStopped):
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "kycq %s: %v\n", name, err)
		return 1
	}
	return 0
}

func banner(w io.Writer, a *app.App, l net.Listener) {
	fmt.Fprintln(w, "kycq is running on embedded defaults:")
	if l != nil {
		fmt.Fprintf(w, "  API          http://%s   (token: %s)\n", l.Addr(), a.Config.APIToken)
		fmt.Fprintf(w, "  dashboard    http://%s/monitoring/   (user any, password: the token)\n", l.Addr())
		fmt.Fprintf(w, "  metrics      http://%s/metrics\n", l.Addr())
	}
	for _, k := range []string{"redis", "s3", "database"} {
		if v, ok := a.Embedded[k]; ok {
			fmt.Fprintf(w, "  %-12s %s (embedded)\n", k, v)
		} else {
			fmt.Fprintf(w, "  %-12s configured\n", k)
		}
	}
	if _, ok := a.Embedded["redis"]; ok {
		fmt.Fprintln(w, "WARNING: the embedded Redis keeps nothing: queued tasks are lost when kycq stops (the sweeper re-enqueues submitted verifications at the next start). Set REDIS_ADDR for anything real.")
	}
	fmt.Fprintf(w, "  data dir     %s   (secrets.json holds the generated keys and token)\n", a.Config.DataDir)
}

// consoleBanner says where the review console is and, the first time, how
// to log in as the admin kycq just created.
func consoleBanner(w io.Writer, l net.Listener, admin *app.FirstAdmin) {
	fmt.Fprintf(w, "  console      http://%s/console/   (staff logins; manage them with kycq staff add|list|disable)\n", l.Addr())
	if admin != nil {
		fmt.Fprintf(w, "  first admin  user %s, password %s   (shown once: kycq keeps only its hash; add reviewers with kycq staff add)\n",
			admin.Username, admin.Password)
	}
}
