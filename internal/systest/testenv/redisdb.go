package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisDBs is how many numbered databases a default Redis has; database 0
// holds the leases and is never handed out.
const redisDBs = 16

// RedisDB leases a Redis database of its own to the test, empty, and
// empties it again at cleanup. asynq's queues live in fixed keys, so two
// tests (or two test binaries: go test runs packages in parallel) sharing a
// database would take each other's tasks; a database each keeps them apart.
// It waits up to a minute for a free database.
func RedisDB(t testing.TB) (addr string, db int) {
	t.Helper()
	addr = Redis(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	leases := redis.NewClient(&redis.Options{Addr: addr, DB: 0})
	defer leases.Close()
	token := Name("lease_")
	for {
		for n := 1; n < redisDBs; n++ {
			key := fmt.Sprintf("kycq:testenv:redisdb:%d", n)
			ok, err := leases.SetNX(ctx, key, token, 30*time.Minute).Result()
			if err != nil {
				Unavailable(t, "Redis at "+addr, err)
			}
			if !ok {
				continue
			}
			flush(t, addr, n)
			t.Cleanup(func() {
				flush(t, addr, n)
				c := redis.NewClient(&redis.Options{Addr: addr, DB: 0})
				defer c.Close()
				cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer ccancel()
				if v, _ := c.Get(cctx, key).Result(); v == token {
					c.Del(cctx, key)
				}
			})
			return addr, n
		}
		select {
		case <-ctx.Done():
			t.Fatalf("testenv: no free Redis database after a minute (leases in db 0, keys kycq:testenv:redisdb:*)")
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func flush(t testing.TB, addr string, db int) {
	c := redis.NewClient(&redis.Options{Addr: addr, DB: db})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Logf("testenv: flush Redis db %d: %v", db, err)
	}
}
