package loadgen

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// startProgress draws a progress bar on w until the returned stop is
// called: redrawn in place four times a second on a terminal, one line
// every ten seconds otherwise (a log file).
func startProgress(w io.Writer, total int, c *counters) (stop func()) {
	if w == nil {
		return func() {}
	}
	tty := isTerminal(w)
	every := 10 * time.Second
	if tty {
		every = 250 * time.Millisecond
	}
	quit, finished := make(chan struct{}), make(chan struct{})
	start := time.Now()
	draw := func(last bool) {
		line := progressLine(total, c, time.Since(start))
		switch {
		case tty && last:
			fmt.Fprintf(w, "\r%s\n", line)
		case tty:
			fmt.Fprintf(w, "\r%s", line)
		default:
			fmt.Fprintln(w, line)
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-quit:
				draw(true)
				return
			case <-t.C:
				draw(false)
			}
		}
	}()
	return func() { close(quit); <-finished }
}

// progressLine is "[#####.....] 12/100 decided 10 failed 0 in flight 2 ·
// 14.2/min · 51s".
func progressLine(total int, c *counters, elapsed time.Duration) string {
	decided, failed, started := int(c.decided.Load()), int(c.failed.Load()), int(c.started.Load())
	done := decided + failed
	const width = 30
	filled := min(width*done/max(total, 1), width)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(decided) / elapsed.Minutes()
	}
	return fmt.Sprintf("[%s%s] %d/%d decided %d failed %d in flight %d · %.1f/min · %s ",
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total,
		decided, failed, started-done, rate, elapsed.Round(time.Second))
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// transport keeps enough idle connections for every applicant in flight.
func transport(conc int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = conc * 2
	return t
}
