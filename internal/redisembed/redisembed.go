// Package redisembed runs an in-process Redis (miniredis) for the
// one-command "kycq run". It keeps nothing across restarts.
//
// miniredis only expires keys when its clock is advanced, so the server
// ticks FastForward once a second; asynq's leases and retention then expire
// as they would on a real Redis.
package redisembed

import (
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// Server is a running embedded Redis.
type Server struct {
	mr   *miniredis.Miniredis
	stop chan struct{}
	once sync.Once
}

// Start starts an embedded Redis on addr ("127.0.0.1:0" picks a port).
func Start(addr string) (*Server, error) {
	mr := miniredis.NewMiniRedis()
	if err := mr.StartAddr(addr); err != nil {
		return nil, err
	}
	s := &Server{mr: mr, stop: make(chan struct{})}
	go s.tick(time.Second)
	return s, nil
}

func (s *Server) tick(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mr.FastForward(every)
		}
	}
}

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.mr.Addr() }

// Close stops the server.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.stop)
		s.mr.Close()
	})
}
