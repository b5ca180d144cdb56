// Package ollama connects chatdojo to Ollama servers through the official client
// (github.com/ollama/ollama/api); it is the only package that imports it. Its Client
// writes model customers' messages for the simulator (simulator.Writer) over one or
// more hosts, used in turn; a host that fails is skipped until it recovers.
package ollama

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ollama/ollama/api"

	"chatdojo/scenarios"
	"chatdojo/simulator"
)

var _ simulator.Writer = (*Client)(nil)

// Config configures a Client.
type Config struct {
	// Hosts are the servers' base URLs ("http://127.0.0.1:11434").
	Hosts []string
	// Timeout bounds one request (default 60s).
	Timeout time.Duration
	// PerHost is how many requests a host gets at once (default 4).
	PerHost int
	// Retry is how long a failed host is skipped (default 30s).
	Retry time.Duration
	// Now is the clock, for tests.
	Now func() time.Time
}

// Client sends requests to Ollama hosts in turn.
type Client struct {
	cfg   Config
	hosts []*host
	mu    sync.Mutex
	next  int
}

type host struct {
	url   string
	c     *api.Client
	slots chan struct{}
	mu    sync.Mutex
	// downUntil is when a failed host may be tried again.
	downUntil time.Time
	lastErr   error
}

// ParseHosts reads a comma-separated list of host URLs; a bare host:port gets http://.
func ParseHosts(list string) ([]string, error) {
	var out []string
	for _, h := range strings.Split(list, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if !strings.Contains(h, "://") {
			h = "http://" + h
		}
		u, err := url.Parse(h)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, scenarios.Errorf(scenarios.EINVALID, "%q is not an Ollama host URL, expected http://HOST:PORT", h)
		}
		out = append(out, strings.TrimRight(u.String(), "/"))
	}
	return out, nil
}

// New returns a client for the hosts.
func New(cfg Config) (*Client, error) {
	if len(cfg.Hosts) == 0 {
		return nil, scenarios.Errorf(scenarios.EINVALID, "no Ollama host given")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.PerHost <= 0 {
		cfg.PerHost = 4
	}
	if cfg.Retry <= 0 {
		cfg.Retry = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg}
	for _, h := range cfg.Hosts {
		u, err := url.Parse(h)
		if err != nil {
			return nil, scenarios.Errorf(scenarios.EINVALID, "%q is not a URL", h)
		}
		c.hosts = append(c.hosts, &host{url: h, c: api.NewClient(u, &http.Client{}), slots: make(chan struct{}, cfg.PerHost)})
	}
	return c, nil
}

// order returns the hosts to try for one request: those up, starting after the one
// used last; when every host is down, all of them (one may have recovered).
func (c *Client) order() []*host {
	c.mu.Lock()
	start := c.next
	c.next = (c.next + 1) % len(c.hosts)
	c.mu.Unlock()
	now := c.cfg.Now()
	var up, down []*host
	for i := range c.hosts {
		h := c.hosts[(start+i)%len(c.hosts)]
		h.mu.Lock()
		isDown := now.Before(h.downUntil)
		h.mu.Unlock()
		if isDown {
			down = append(down, h)
		} else {
			up = append(up, h)
		}
	}
	if len(up) == 0 {
		return down
	}
	return up
}

func (h *host) fail(err error, until time.Time) {
	h.mu.Lock()
	h.downUntil, h.lastErr = until, err
	h.mu.Unlock()
}

func (h *host) ok() {
	h.mu.Lock()
	h.downUntil, h.lastErr = time.Time{}, nil
	h.mu.Unlock()
}

// do runs fn on the hosts in turn until one answers. A host is marked down when it
// cannot be reached or fails with a server error; a request error (an unknown model)
// is returned at once.
func (c *Client) do(ctx context.Context, fn func(ctx context.Context, h *host) error) error {
	var errs []error
	for _, h := range c.order() {
		select {
		case h.slots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		rctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		err := fn(rctx, h)
		cancel()
		<-h.slots
		if err == nil {
			h.ok()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var se api.StatusError
		if errors.As(err, &se) && se.StatusCode < 500 || isModelMissing(err) {
			return fmt.Errorf("ollama %s: %w", h.url, err)
		}
		h.fail(err, c.cfg.Now().Add(c.cfg.Retry))
		errs = append(errs, fmt.Errorf("%s: %w", h.url, err))
	}
	return fmt.Errorf("no Ollama host answered: %w", errors.Join(errs...))
}

// isModelMissing reports the client's error for a model the server does not have
// (v0.6.5 returns it as a plain error, not a StatusError).
func isModelMissing(err error) bool {
	return strings.Contains(err.Error(), "not found, try pulling it first")
}

// Write asks a model for the customer's next message.
func (c *Client) Write(ctx context.Context, req simulator.WriteRequest) (string, error) {
	msgs := []api.Message{{Role: "system", Content: req.System}}
	for _, m := range req.Messages {
		msgs = append(msgs, api.Message{Role: m.Role, Content: m.Content})
	}
	opts := map[string]any{"seed": req.Seed}
	if req.Temperature != nil {
		opts["temperature"] = *req.Temperature
	}
	if req.TopP != nil {
		opts["top_p"] = *req.TopP
	}
	if req.MaxChars > 0 {
		// English runs at about four characters a token: a cap of MaxChars/6 tokens
		// leaves a reply of one to three sentences room and keeps it under the limit.
		opts["num_predict"] = max(req.MaxChars/6, 16)
	}
	return c.chat(ctx, &api.ChatRequest{Model: req.Model, Messages: msgs, Options: opts})
}

// chat sends one chat request, without streaming, to the hosts in turn and returns the
// reply.
func (c *Client) chat(ctx context.Context, req *api.ChatRequest) (string, error) {
	stream := false
	req.Stream = &stream
	var reply strings.Builder
	err := c.do(ctx, func(ctx context.Context, h *host) error {
		reply.Reset()
		err := h.c.Chat(ctx, req, func(r api.ChatResponse) error {
			reply.WriteString(r.Message.Content)
			return nil
		})
		if err == nil && ctx.Err() != nil {
			// The v0.6.5 client returns nil when its context ends mid-stream.
			return ctx.Err()
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return reply.String(), nil
}

// Status is what a host says about itself, for doctor and the catalogue.
type Status struct {
	URL     string
	Version string
	Models  []string
	Err     error
}

// Check asks every host for its version and models.
func (c *Client) Check(ctx context.Context) []Status {
	out := make([]Status, len(c.hosts))
	for i, h := range c.hosts {
		out[i].URL = h.url
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		v, err := h.c.Version(rctx)
		if err == nil {
			var list *api.ListResponse
			list, err = h.c.List(rctx)
			if err == nil {
				for _, m := range list.Models {
					out[i].Models = append(out[i].Models, m.Name)
				}
			}
		}
		cancel()
		out[i].Version, out[i].Err = v, err
	}
	return out
}

// Reachable reports whether at least one host answers.
func (c *Client) Reachable(ctx context.Context) bool {
	for _, s := range c.Check(ctx) {
		if s.Err == nil {
			return true
		}
	}
	return false
}
