package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
)

// Roles are the parts a service process runs.
type Roles struct {
	// API serves the HTTP API (and the console) on Config.Addr.
	API bool
	// Work runs the task workers.
	Work bool
}

// ErrNoToken is what Service's refusal to serve an API without a token
// matches (errors.Is): a usage error, found before anything is opened
// where the configuration alone shows it.
var ErrNoToken = errors.New("app: no API token")

// tokenRefusal is the refusal to serve an API nobody could call.
type tokenRefusal string

func (r tokenRefusal) Error() string      { return string(r) }
func (tokenRefusal) Is(target error) bool { return target == ErrNoToken }

const (
	noTokenConfigured tokenRefusal = "KYCQ_API_TOKEN (or KYCQ_API_TOKEN_FILE) is required: without it nobody could use the API (generate one with: openssl rand -hex 20)"
	noToken           tokenRefusal = "KYCQ_API_TOKEN is required: without it nobody could use the API (generate one with: openssl rand -hex 20)"
)

// Service runs a kycq service process until ctx ends: it listens on
// c.Addr when roles include the API, opens the dependencies for mode
// (logging to logw), in Embedded mode writes the start-up banner to out
// (with the login of the first admin, when it creates one), and runs the
// roles (Run). An API without a token is refused with an error matching
// ErrNoToken; in Production mode before anything is opened, so that a
// service nobody can call neither migrates a database nor takes a port.
func Service(ctx context.Context, c Config, mode Mode, roles Roles, out, logw io.Writer) error {
	if roles.API && mode != Embedded && c.APIToken == "" {
		return noTokenConfigured
	}
	log := NewLogger(c, logw)
	RouteLibraryLogs(log)
	var l net.Listener
	if roles.API {
		var err error
		if l, err = net.Listen("tcp", c.Addr); err != nil {
			return err
		}
		defer l.Close()
	}
	a, err := Open(ctx, c, mode, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if roles.API && a.Config.APIToken == "" {
		return noToken
	}
	if mode == Embedded {
		a.writeBanner(out, l)
		if roles.API {
			admin, err := a.EnsureFirstAdmin(ctx)
			if err != nil {
				return err
			}
			writeConsoleBanner(out, l, admin)
		}
	}
	return a.Run(ctx, l, roles.API, roles.Work)
}

// Migrate applies the database schema migrations: it opens the
// dependencies in Production mode, which migrates, and closes them.
func Migrate(ctx context.Context, c Config, logw io.Writer) error {
	a, err := Open(ctx, c, Production, NewLogger(c, logw))
	if err != nil {
		return err
	}
	a.Close()
	return nil
}

// writeBanner writes where the API, dashboard and metrics of kycq run are
// served (when l is not nil) and which dependencies are embedded.
func (a *App) writeBanner(w io.Writer, l net.Listener) {
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

// writeConsoleBanner writes where the review console is and, the first
// time, how to log in as the admin kycq just created.
func writeConsoleBanner(w io.Writer, l net.Listener, admin *FirstAdmin) {
	fmt.Fprintf(w, "  console      http://%s/console/   (staff logins; manage them with kycq staff add|list|disable)\n", l.Addr())
	if admin != nil {
		fmt.Fprintf(w, "  first admin  user %s, password %s   (shown once: kycq keeps only its hash; add reviewers with kycq staff add)\n",
			admin.Username, admin.Password)
	}
}
