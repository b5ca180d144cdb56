package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkGradeStream grades streams of 1,000, 10,000 and 100,000 conversations through
// the CLI and reports the peak heap while it runs: it must stay flat as the stream grows.
func BenchmarkGradeStream(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("conversations=%d", n), func(b *testing.B) {
			var peak atomic.Uint64
			for i := 0; i < b.N; i++ {
				pr, pw := io.Pipe()
				go func() {
					for j := 0; j < n; j++ {
						fmt.Fprintf(pw, `{"id": "c%d", "messages": [{"role": "customer", "text": "My order %d never arrived and nobody answers!", "at": "2026-01-01T09:00:00Z"}, {"role": "agent", "text": "I'm so sorry about that. Could you confirm the order number so I can look into it?", "at": "2026-01-01T09:00:40Z"}, {"role": "customer", "text": "It's 48213.", "at": "2026-01-01T09:01:00Z"}, {"role": "agent", "text": "Thanks. I've sent a replacement today; you'll have it by Friday.", "at": "2026-01-01T09:01:30Z"}]}`+"\n", j, j)
					}
					pw.Close()
				}()
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					var ms runtime.MemStats
					for {
						runtime.ReadMemStats(&ms)
						if ms.HeapInuse > peak.Load() {
							peak.Store(ms.HeapInuse)
						}
						select {
						case <-stop:
							return
						case <-time.After(20 * time.Millisecond):
						}
					}
				}()
				err := run(context.Background(), []string{"grade"}, func(string) string { return "" }, pr, io.Discard, io.Discard)
				close(stop)
				<-done
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "conversations/s")
		})
	}
}
