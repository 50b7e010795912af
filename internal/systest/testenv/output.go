package testenv

import (
	"net"
	"strings"
	"sync"
)

// FreeAddr returns a loopback address with a port free right now.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Output collects what a process or logger writes, safely across
// goroutines. Max caps what is kept (0: everything); writes past it are
// dropped but reported as written.
type Output struct {
	Max int

	mu sync.Mutex
	b  strings.Builder
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.Max <= 0 || o.b.Len() < o.Max {
		o.b.Write(p)
	}
	return len(p), nil
}

// String returns everything kept so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}
