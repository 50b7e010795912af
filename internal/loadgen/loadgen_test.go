package loadgen

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCheckLoopback(t *testing.T) {
	for u, ok := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://127.5.5.5": true, "http://[::1]:80": true, "http://localhost:1": true,
		"http://10.0.0.1:8080": false, "http://192.168.1.2": false, "http://example.com": false, "http://8.8.8.8": false,
	} {
		if err := CheckLoopback(u); (err == nil) != ok {
			t.Errorf("CheckLoopback(%s) = %v", u, err)
		}
	}
	_, err := Run(context.Background(), Config{BaseURL: "http://10.1.2.3", N: 1, Concurrency: 1, Duration: time.Second}, nil)
	if !errors.Is(err, ErrNotLoopback) {
		t.Fatalf("Run to a private address: %v", err)
	}
}

func TestPercentiles(t *testing.T) {
	r := &Result{Elapsed: 30 * time.Second, Decided: 10}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	if r.Percentile(50) != 50*time.Millisecond || r.Percentile(99) != 99*time.Millisecond || r.Percentile(100) != 100*time.Millisecond {
		t.Fatalf("p50 %s p99 %s", r.Percentile(50), r.Percentile(99))
	}
	if r.PerMinute() != 20 {
		t.Fatalf("per minute %v", r.PerMinute())
	}
	if (&Result{}).Percentile(50) != 0 {
		t.Fatal("empty percentile")
	}
}
