package app

import (
	"net/http"

	"github.com/hibiken/asynqmon"

	"github.com/kycq/kycq/api"
)

// MonitoringPath is where the Asynqmon dashboard is mounted.
const MonitoringPath = "/monitoring"

// mountMonitoring mounts the Asynqmon dashboard and its JSON API under
// MonitoringPath, behind the API token (also accepted as the HTTP Basic
// password, so a browser can log in).
//
// Two guards sit in front of Asynqmon's own handler:
//   - in read-only mode (KYCQ_MONITORING_READONLY) every method but GET and
//     HEAD is refused with 405, whatever route it names. Asynqmon refuses
//     non-GET calls to the routes it knows too; this guard does not depend
//     on its router matching every mutating path;
//   - mutating calls from another origin are refused with 403
//     (http.CrossOriginProtection): a browser holding the Basic credentials
//     would otherwise send them along with a forged cross-site form post.
func (a *App) mountMonitoring(mux interface{ Handle(string, http.Handler) }) {
	mon := asynqmon.New(asynqmon.Options{
		RootPath:          MonitoringPath,
		RedisConnOpt:      a.Redis,
		ReadOnly:          a.Config.MonitoringReadOnly,
		PrometheusAddress: a.Config.PrometheusURL,
	})
	a.closers = append(a.closers, func() { mon.Close() })
	var h http.Handler = mon
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "cross_origin", "cross-origin requests may not change the queues")
	}))
	h = csrf.Handler(h)
	if a.Config.MonitoringReadOnly {
		h = readOnly(h)
	}
	deny := func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusUnauthorized, "unauthorized", "a valid bearer token (or HTTP Basic password) is required")
	}
	mux.Handle(MonitoringPath+"/", api.RequireToken(a.Config.APIToken, h, deny))
	mux.Handle(MonitoringPath, http.RedirectHandler(MonitoringPath+"/", http.StatusMovedPermanently))
}

// readOnly refuses every request that is not a GET or HEAD.
func readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "read_only", "the monitoring dashboard is read-only (KYCQ_MONITORING_READONLY)")
			return
		}
		next.ServeHTTP(w, r)
	})
}
