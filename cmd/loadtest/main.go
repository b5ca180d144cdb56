// Command loadtest drives many concurrent practice sessions through chatdojo's JSON API
// against a running server, the way API clients (bots, or the web app's trainees) would:
// each session sends an agent message every interval and waits for the customer's
// reply. It prints the reply latency (p50, p90, p99, max), the throughput, the errors,
// and how many acknowledged messages are missing from the database afterwards. It exits
// 1 when there was an error or a lost message, so CI can run it.
//
//	loadtest --url http://127.0.0.1:8080 --token cdj_… [--sessions 500] [--interval 3s] [--duration 60s]
//
// `make loadtest` builds chatdojo, starts it on a throwaway SQLite database, makes a
// token, and runs this against it (scripts/loadtest).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		fmt.Fprintf(os.Stderr, "loadtest: %v\n", err)
		os.Exit(2)
	case errors.Is(err, errReported):
		os.Exit(1)
	default:
		fmt.Fprintf(os.Stderr, "loadtest: %v\n", err)
		os.Exit(1)
	}
}

var (
	// errUsage means the arguments could not be used: exit status 2.
	errUsage = errors.New("usage")
	// errReported means the run finished and its report shows errors or lost messages:
	// exit status 1, nothing more to say.
	errReported = errors.New("the load test failed: see the report")
)

const usage = `
Usage: loadtest --url URL --token TOKEN [flags]

Drives --sessions concurrent practice sessions through the JSON API of the chatdojo
server at URL. Each session sends an agent message every --interval for --duration
and waits for the customer's reply; a session that ends is replaced by a new one so the
load stays constant. The session starts are spread over --ramp. Afterwards every
session is read back and the acknowledged messages missing from it are counted as lost.

Prints sessions, messages sent and acknowledged, errors (any failure except the 409 of
a session that has ended, counted apart), throughput over the period when every session
runs, reply latency p50/p90/p99/max and lost messages. Exits 1 when errors or lost
messages are not 0, 2 on bad arguments.

` + "`make loadtest`" + ` starts a server on a throwaway SQLite database and runs this against it.

Flags:
`

// agentLines are what the load test's agent writes, in turn: greetings, questions,
// acknowledgements, holds and thanks. None offers a solution, explains, reassures or
// sets an expectation, so no library issue is resolved by them and sessions keep going
// for the whole run, with the mood rising rather than falling.
var agentLines = []string{
	"Hi there, I'm Sam from support. Thanks for reaching out.",
	"I'm sorry to hear that, that sounds really frustrating.",
	"Could you tell me a bit more about what happened?",
	"Give me a moment while I look at your account.",
	"Thanks for your patience, I'm still checking.",
	"I understand how annoying this must be.",
	"When did you first notice the problem?",
	"Thanks, that helps.",
	"I can hear how stressful this is for you.",
	"Just a minute please, I'm reading through the details.",
	"Which device are you using at the moment?",
	"I appreciate you explaining all of that.",
}

// config is what the flags ask for.
type config struct {
	url      string
	token    string
	sessions int
	interval time.Duration
	duration time.Duration
	ramp     time.Duration
	scenario string
	seed     int64
	timeout  time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fl := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.StringVar(&c.url, "url", "", "the running chatdojo server's base `URL` (required; make loadtest starts one)")
	fl.StringVar(&c.token, "token", "", "an API `token` of a trainee (chatdojo token create)")
	fl.IntVar(&c.sessions, "sessions", 500, "concurrent sessions `N`")
	fl.DurationVar(&c.interval, "interval", 3*time.Second, "time between two agent messages of one session")
	fl.DurationVar(&c.duration, "duration", 60*time.Second, "how long each session keeps sending")
	fl.DurationVar(&c.ramp, "ramp", 3*time.Second, "the session starts are spread over this time")
	fl.StringVar(&c.scenario, "scenario", "", "the scenario `id` of every session (default: cycle through GET /api/v1/scenarios)")
	fl.Int64Var(&c.seed, "seed", 1, "the seed of the first session started; each next session gets the next seed")
	fl.DurationVar(&c.timeout, "timeout", 10*time.Second, "the timeout of one request")
	fl.Usage = func() {
		fmt.Fprint(stderr, strings.TrimLeft(usage, "\n"))
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case fl.NArg() > 0:
		return nil, fmt.Errorf("%w: loadtest takes no arguments, got %q", errUsage, fl.Args())
	case c.url == "":
		return nil, fmt.Errorf("%w: --url is required (make loadtest starts a server and passes it)", errUsage)
	case c.token == "":
		return nil, fmt.Errorf("%w: --token is required (chatdojo token create --email E)", errUsage)
	case c.sessions < 1:
		return nil, fmt.Errorf("%w: --sessions is %d, expected 1 or more", errUsage, c.sessions)
	case c.interval <= 0 || c.duration <= 0 || c.timeout <= 0:
		return nil, fmt.Errorf("%w: --interval, --duration and --timeout must be more than 0", errUsage)
	case c.ramp < 0:
		return nil, fmt.Errorf("%w: --ramp is %s, expected 0 or more", errUsage, c.ramp)
	case c.seed < 0:
		return nil, fmt.Errorf("%w: --seed is %d, expected 0 or more", errUsage, c.seed)
	}
	c.url = strings.TrimRight(c.url, "/")
	return c, nil
}

// run is the whole program: it returns errUsage for bad arguments and errReported when
// the report shows errors or lost messages.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil || cfg == nil {
		return err
	}
	lt := &loadTest{cfg: cfg, stderr: stderr}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = cfg.sessions + 16
	tr.MaxIdleConnsPerHost = cfg.sessions + 16
	lt.client = &http.Client{Transport: tr, Timeout: cfg.timeout}
	defer tr.CloseIdleConnections()

	if cfg.scenario != "" {
		lt.scenarios = []string{cfg.scenario}
	} else if lt.scenarios, err = lt.listScenarios(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "loadtest: %d sessions against %s, a message every %s for %s each (ramp %s), scenarios: %s\n",
		cfg.sessions, cfg.url, cfg.interval, cfg.duration, cfg.ramp, strings.Join(lt.scenarios, ", "))

	lt.t0 = time.Now()
	stopProgress := lt.progress(ctx)
	var wg sync.WaitGroup
	workers := make([]*worker, cfg.sessions)
	for i := range workers {
		workers[i] = &worker{lt: lt, index: i, acked: map[string]map[string]int{}}
		wg.Go(func() { workers[i].run(ctx) })
	}
	wg.Wait() // every worker waits for its own request in flight
	elapsed := time.Since(lt.t0)
	stopProgress()

	rep := lt.collect(workers, elapsed)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "loadtest: interrupted; checking what was acknowledged so far")
	}
	// Checking needs a context of its own: an interrupted run still says what it lost.
	vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
	defer cancel()
	lt.verify(vctx, workers, rep)
	rep.print(stdout)
	if rep.errors > 0 || rep.lost > 0 {
		return errReported
	}
	return ctx.Err()
}

// loadTest is one run.
type loadTest struct {
	cfg       *config
	client    *http.Client
	scenarios []string
	stderr    io.Writer
	t0        time.Time

	started  atomic.Int64 // sessions started, numbering them for scenario and seed
	sent     atomic.Int64
	acked    atomic.Int64
	failed   atomic.Int64
	printed  atomic.Int64 // error lines printed, to print only the first few
	stderrMu sync.Mutex
}

// maxErrorLines bounds the errors printed as they happen; the report counts them all.
const maxErrorLines = 10

// problem counts a failed request and prints the first few.
func (lt *loadTest) problem(format string, args ...any) {
	lt.failed.Add(1)
	if lt.printed.Add(1) <= maxErrorLines {
		lt.stderrMu.Lock()
		fmt.Fprintf(lt.stderr, "loadtest: error: "+format+"\n", args...)
		lt.stderrMu.Unlock()
	}
}

// progress prints a line every 10 s until stopped.
func (lt *loadTest) progress(ctx context.Context) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-done:
				return
			case <-t.C:
				lt.stderrMu.Lock()
				fmt.Fprintf(lt.stderr, "loadtest: %3.0fs: %d sessions started, %d messages sent, %d acknowledged, %d errors\n",
					time.Since(lt.t0).Seconds(), lt.started.Load(), lt.sent.Load(), lt.acked.Load(), lt.failed.Load())
				lt.stderrMu.Unlock()
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// call sends one API request and reads the whole response: the status (0 when no
// response came), the body and the time it took.
func (lt *loadTest) call(ctx context.Context, method, path string, body any) (int, []byte, time.Duration, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, lt.cfg.url+path, rd)
	if err != nil {
		return 0, nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+lt.cfg.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := lt.client.Do(req)
	if err != nil {
		return 0, nil, time.Since(start), err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err != nil {
		return resp.StatusCode, nil, took, err
	}
	return resp.StatusCode, data, took, nil
}

// listScenarios returns the ids of the server's scenarios.
func (lt *loadTest) listScenarios(ctx context.Context) ([]string, error) {
	st, data, _, err := lt.call(ctx, http.MethodGet, "/api/v1/scenarios", nil)
	if err != nil {
		return nil, fmt.Errorf("list the scenarios: %w", err)
	}
	if st != http.StatusOK {
		return nil, fmt.Errorf("list the scenarios: status %d: %s", st, bytes.TrimSpace(data))
	}
	var list []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("list the scenarios: %w", err)
	}
	var ids []string
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("list the scenarios: the server has none")
	}
	return ids, nil
}

// sample is one request's outcome: when it finished (since the run's start), how long
// it took, and its status (0 when no response came).
type sample struct {
	done    time.Duration
	latency time.Duration
	status  int
}

// worker plays one of the concurrent sessions, replacing it when it ends.
type worker struct {
	lt    *loadTest
	index int

	starts   []sample
	replies  []sample
	sent     int
	ended    int // 409s: the session had ended
	replaced int // sessions started in place of one that ended
	skipped  int // sends skipped because the previous reply came later than the interval
	errors   map[string]int
	// acked counts the acknowledged agent messages by session id and text.
	acked map[string]map[string]int
}

func (w *worker) fail(kind, format string, args ...any) {
	if w.errors == nil {
		w.errors = map[string]int{}
	}
	w.errors[kind]++
	w.lt.problem(format, args...)
}

// errorKind names a failed request for the report: its status, or the kind of
// transport error.
func errorKind(st int, err error) string {
	var ne interface{ Timeout() bool }
	switch {
	case st != 0:
		return fmt.Sprintf("status %d", st)
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	default:
		return "transport"
	}
}

func (w *worker) run(ctx context.Context) {
	cfg := w.lt.cfg
	start := w.lt.t0.Add(time.Duration(int64(cfg.ramp) * int64(w.index) / int64(cfg.sessions)))
	end := start.Add(cfg.duration)
	id, had := "", false
	line := w.index // sessions start at different lines
	for tick := start; tick.Before(end); tick = tick.Add(cfg.interval) {
		if now := time.Now(); tick.Before(now) && tick != start {
			// The previous reply came late: skip the sends that are past, as a person
			// waiting for an answer would.
			for tick.Before(now) && tick.Before(end) {
				tick = tick.Add(cfg.interval)
				w.skipped++
			}
			if !tick.Before(end) {
				break
			}
		}
		if !sleepUntil(ctx, tick) {
			return
		}
		if id == "" {
			if id = w.startSession(ctx); id == "" {
				continue // counted; try again at the next tick
			}
			if had {
				w.replaced++
			}
			had = true
		}
		text := agentLines[line%len(agentLines)]
		line++
		if ended := w.send(ctx, id, text); ended {
			id = ""
		}
	}
}

// sleepUntil waits until t; false when ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-tm.C:
		return true
	}
}

// startSession starts a session and returns its id, "" when that failed.
func (w *worker) startSession(ctx context.Context) string {
	n := w.lt.started.Add(1) - 1
	scenario := w.lt.scenarios[int(n)%len(w.lt.scenarios)]
	body := map[string]any{"scenario": scenario, "seed": w.lt.cfg.seed + n}
	st, data, took, err := w.lt.call(ctx, http.MethodPost, "/api/v1/sessions", body)
	if ctx.Err() != nil {
		return ""
	}
	w.starts = append(w.starts, sample{done: time.Since(w.lt.t0), latency: took, status: st})
	if err != nil || st != http.StatusCreated {
		w.fail(errorKind(st, err), "start a %s session: %s", scenario, describe(st, data, err))
		return ""
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &out); err != nil || out.ID == "" {
		w.fail("bad response", "start a %s session: status %d, body %q: no session id", scenario, st, data)
		return ""
	}
	return out.ID
}

// send posts an agent message and records the reply; it reports whether the session
// has ended (the reply's outcome, or a 409).
func (w *worker) send(ctx context.Context, id, text string) (ended bool) {
	w.sent++
	w.lt.sent.Add(1)
	st, data, took, err := w.lt.call(ctx, http.MethodPost, "/api/v1/sessions/"+id+"/messages", map[string]string{"text": text})
	if ctx.Err() != nil {
		return false
	}
	w.replies = append(w.replies, sample{done: time.Since(w.lt.t0), latency: took, status: st})
	switch {
	case err == nil && st == http.StatusOK:
		var out struct {
			Messages []json.RawMessage `json:"messages"`
			Outcome  *string           `json:"outcome"`
		}
		if err := json.Unmarshal(data, &out); err != nil {
			w.fail("bad response", "message to %s: status 200, body %q: %v", id, data, err)
			return false
		}
		// 200 means the message is stored: from now on it must be in the session.
		if w.acked[id] == nil {
			w.acked[id] = map[string]int{}
		}
		w.acked[id][text]++
		w.lt.acked.Add(1)
		return out.Outcome != nil
	case err == nil && st == http.StatusConflict:
		w.ended++
		return true
	default:
		w.fail(errorKind(st, err), "message to %s: %s", id, describe(st, data, err))
		return st == http.StatusNotFound || st == http.StatusForbidden
	}
}

// describe says what went wrong with a request.
func describe(st int, data []byte, err error) string {
	if err != nil {
		if st != 0 {
			return fmt.Sprintf("status %d: %v", st, err)
		}
		return err.Error()
	}
	body := string(bytes.TrimSpace(data))
	if len(body) > 300 {
		body = body[:300] + "…"
	}
	return fmt.Sprintf("status %d: %s", st, body)
}

// report is what a run found.
type report struct {
	cfg         *config
	elapsed     time.Duration
	started     int
	replaced    int
	sent        int
	acked       int
	ended       int
	skipped     int
	errors      int
	errorKinds  map[string]int
	steady      time.Duration // the period when every session runs
	steadyAcked int
	latencies   []time.Duration // of the acknowledged replies, sorted
	starts      []time.Duration // of the sessions started, sorted
	checked     int             // sessions read back
	lost        int
}

func (lt *loadTest) collect(workers []*worker, elapsed time.Duration) *report {
	r := &report{cfg: lt.cfg, elapsed: elapsed, errorKinds: map[string]int{}}
	// Every session runs from the end of the ramp to the end of the first one's
	// duration; with a ramp as long as the duration, the whole run counts.
	from, to := lt.cfg.ramp, lt.cfg.duration
	if to <= from {
		from, to = 0, elapsed
	}
	r.steady = to - from
	for _, w := range workers {
		r.sent += w.sent
		r.ended += w.ended
		r.replaced += w.replaced
		r.skipped += w.skipped
		for k, n := range w.errors {
			r.errorKinds[k] += n
			r.errors += n
		}
		for _, s := range w.starts {
			r.started++
			if s.status == http.StatusCreated {
				r.starts = append(r.starts, s.latency)
			}
		}
		for _, s := range w.replies {
			if s.status != http.StatusOK {
				continue
			}
			r.latencies = append(r.latencies, s.latency)
			if s.done >= from && s.done < to {
				r.steadyAcked++
			}
		}
		for _, texts := range w.acked {
			for _, n := range texts {
				r.acked += n
			}
		}
	}
	slices.Sort(r.latencies)
	slices.Sort(r.starts)
	return r
}

// verify reads every session with acknowledged messages back and counts the ones
// missing from it. A session that cannot be read is an error.
func (lt *loadTest) verify(ctx context.Context, workers []*worker, r *report) {
	type job struct {
		id    string
		texts map[string]int
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for j := range jobs {
				lost, err := lt.missing(ctx, j.id, j.texts)
				mu.Lock()
				r.checked++
				if err != nil {
					r.errors++
					r.errorKinds["read back"]++
					lt.problem("read back session %s: %v", j.id, err)
				}
				r.lost += lost
				mu.Unlock()
			}
		})
	}
	for _, w := range workers {
		for id, texts := range w.acked {
			jobs <- job{id, texts}
		}
	}
	close(jobs)
	wg.Wait()
}

// missing returns how many of the acknowledged agent messages (counted by text) are not
// in the stored session; all of them when it cannot be read.
func (lt *loadTest) missing(ctx context.Context, id string, acked map[string]int) (int, error) {
	total := 0
	for _, n := range acked {
		total += n
	}
	st, data, _, err := lt.call(ctx, http.MethodGet, "/api/v1/sessions/"+id, nil)
	if err != nil || st != http.StatusOK {
		if st == http.StatusNotFound {
			return total, nil // the whole session is gone
		}
		return 0, errors.New(describe(st, data, err))
	}
	var sess struct {
		Messages []struct {
			Role string `json:"role"`
			Text string `json:"text"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(data, &sess); err != nil {
		return 0, fmt.Errorf("status 200, body not a session: %w", err)
	}
	stored := map[string]int{}
	for _, m := range sess.Messages {
		if m.Role == "agent" {
			stored[m.Text]++
		}
	}
	lost := 0
	for text, n := range acked {
		if d := n - stored[text]; d > 0 {
			lost += d
		}
	}
	return lost, nil
}

// percentile returns the q-quantile (0 < q ≤ 1) of sorted values by the nearest-rank
// method, 0 for none.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*q+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func msec(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

// print writes the report, one "name  value" line each, so that a script can read it.
func (r *report) print(w io.Writer) {
	c := r.cfg
	fmt.Fprintf(w, "chatdojo load test: %s, a message every %s per session for %s (ramp %s), %.1fs in all\n",
		c.url, c.interval, c.duration, c.ramp, r.elapsed.Seconds())
	fmt.Fprintf(w, "sessions          %d concurrent; %d started, %d after one ended\n", c.sessions, r.started, r.replaced)
	fmt.Fprintf(w, "sent              %d\n", r.sent)
	fmt.Fprintf(w, "acknowledged      %d\n", r.acked)
	fmt.Fprintf(w, "ended             %d (409: the session had ended; not errors)\n", r.ended)
	fmt.Fprintf(w, "skipped           %d (sends due while the previous reply was late)\n", r.skipped)
	if r.errors == 0 {
		fmt.Fprintf(w, "errors            0\n")
	} else {
		var kinds []string
		for k, n := range r.errorKinds {
			kinds = append(kinds, fmt.Sprintf("%s: %d", k, n))
		}
		slices.Sort(kinds)
		fmt.Fprintf(w, "errors            %d (%s)\n", r.errors, strings.Join(kinds, ", "))
	}
	rate := 0.0
	if r.steady > 0 {
		rate = float64(r.steadyAcked) / r.steady.Seconds()
	}
	fmt.Fprintf(w, "throughput        %.1f messages/s (acknowledged, over the %.1fs when every session runs)\n", rate, r.steady.Seconds())
	fmt.Fprintf(w, "latency p50       %s\n", msec(percentile(r.latencies, 0.50)))
	fmt.Fprintf(w, "latency p90       %s\n", msec(percentile(r.latencies, 0.90)))
	fmt.Fprintf(w, "latency p99       %s\n", msec(percentile(r.latencies, 0.99)))
	fmt.Fprintf(w, "latency max       %s\n", msec(percentile(r.latencies, 1)))
	fmt.Fprintf(w, "start p50 / p99   %s / %s (POST /api/v1/sessions)\n", msec(percentile(r.starts, 0.50)), msec(percentile(r.starts, 0.99)))
	fmt.Fprintf(w, "lost              %d (acknowledged, missing from the %d sessions read back)\n", r.lost, r.checked)
	if r.errors > 0 || r.lost > 0 {
		fmt.Fprintf(w, "result            FAIL\n")
	} else {
		fmt.Fprintf(w, "result            PASS\n")
	}
}
