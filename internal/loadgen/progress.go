package loadgen

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// progress draws a bar on w until the returned stop is called.
func progress(w io.Writer, total int, done *atomic.Int64) (stop func()) {
	if w == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	draw := func() {
		n := int(done.Load())
		const width = 30
		filled := width * n / max(total, 1)
		fmt.Fprintf(w, "\r[%s%s] %d/%d  %s ", strings.Repeat("#", filled), strings.Repeat(".", width-filled), n, total,
			time.Since(start).Round(time.Second))
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-quit:
				draw()
				fmt.Fprintln(w)
				return
			case <-t.C:
				draw()
			}
		}
	}()
	return func() { close(quit); <-finished }
}

func transport(conc int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = conc * 2
	return t
}
