package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RouteLibraryLogs sends what libraries log on their own through l, so
// that a kycq process writes nothing but l's structured lines: the
// standard log package (asynq's queue metrics collector and Asynqmon
// report errors there) at level INFO, and the Redis client's connection
// messages at WARN. Call it once per process, before starting anything.
func RouteLibraryLogs(l *slog.Logger) {
	slog.SetDefault(l)
	redis.SetLogger(redisLogger{l.With("component", "redis")})
}

// redisLogger adapts slog to go-redis' logging interface.
type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.WarnContext(ctx, strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: "))
}
