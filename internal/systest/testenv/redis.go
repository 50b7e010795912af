package testenv

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// Redis returns the address of a Redis server answering PING
// (KYCQ_TEST_REDIS, default 127.0.0.1:6379). Tests share the server: use
// key prefixes or a DB number of your own, and clean up what you write.
func Redis(t testing.TB) string {
	t.Helper()
	addr := env(EnvRedis, DefaultRedis)
	if err := pingRedis(addr); err != nil {
		Unavailable(t, "Redis at "+addr, err)
	}
	return addr
}

// pingRedis sends an inline PING and expects +PONG (or an auth error,
// which still proves a Redis answers).
func pingRedis(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") && !strings.HasPrefix(line, "-NOAUTH") {
		return errorf("unexpected reply %q", strings.TrimSpace(line))
	}
	return nil
}
