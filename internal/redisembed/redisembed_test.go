package redisembed

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"
)

// TestAsynqRoundTrip runs a real asynq server and client against the
// embedded Redis: a task enqueued is processed, and a duplicate TaskID is
// refused, as the backbone relies on.
func TestAsynqRoundTrip(t *testing.T) {
	s, err := Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opt := asynq.RedisClientOpt{Addr: s.Addr()}
	client := asynq.NewClient(opt)
	defer client.Close()
	done := make(chan string, 1)
	srv := asynq.NewServer(opt, asynq.Config{Concurrency: 1, LogLevel: asynq.ErrorLevel})
	mux := asynq.NewServeMux()
	mux.HandleFunc("t", func(ctx context.Context, tk *asynq.Task) error { done <- string(tk.Payload()); return nil })
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	if _, err := client.Enqueue(asynq.NewTask("t", []byte("hello")), asynq.TaskID("one"), asynq.Retention(time.Hour)); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-done:
		if got != "hello" {
			t.Fatalf("payload %q", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("task not processed on the embedded Redis")
	}
	if _, err := client.Enqueue(asynq.NewTask("t", nil), asynq.TaskID("one")); !errors.Is(err, asynq.ErrTaskIDConflict) {
		t.Fatalf("duplicate TaskID: err = %v, want ErrTaskIDConflict", err)
	}
}
