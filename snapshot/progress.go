package snapshot

import (
	"fmt"
	"sync"
	"time"
)

// progressEvery is how often a service's line is redrawn: often enough to look alive,
// rarely enough that drawing costs nothing beside the copy.
const progressEvery = 200 * time.Millisecond

// NewProgress turns the bytes copied per service into one line per service (bytes, rate)
// for show, which the caller gives a terminal only (output.Printer.Live).
func NewProgress(verb string, show func(key, text string)) func(service string, bytes int64) {
	var mu sync.Mutex
	began := map[string]time.Time{}
	last := map[string]time.Time{}
	return func(service string, bytes int64) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if _, ok := began[service]; !ok {
			began[service] = now
		}
		if now.Sub(last[service]) < progressEvery {
			return
		}
		last[service] = now
		rate := float64(bytes) / max(now.Sub(began[service]).Seconds(), 0.001)
		show(service, fmt.Sprintf("%-12s %s %s (%s/s)", service, verb, humanBytes(bytes), humanBytes(int64(rate))))
	}
}
