// Package testserver runs the real chatdojo binary for tests: built once per test
// binary, started as a separate process on a free port, so that a test can kill it
// (kill -9), restart it on the same database, or run two of them side by side.
package testserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds cmd/chatdojo once per test binary and returns its path.
func Binary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "chatdojo-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "chatdojo")
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/chatdojo")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

// moduleRoot finds the directory of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Server is a running chatdojo serve process.
type Server struct {
	// URL is where it listens ("http://127.0.0.1:PORT").
	URL string
	// AdminLink is the one-time admin sign-in link of a first start, "" otherwise.
	AdminLink string
	// DB is the database it runs on.
	DB   string
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{}
}

var (
	listenRE = regexp.MustCompile(`msg="chatdojo listening" url=(\S+)`)
	linkRE   = regexp.MustCompile(`link=(http\S+/signin/\S+)`)
)

// Start runs `chatdojo serve --addr 127.0.0.1:0 --db db` plus extra arguments, waits
// until it listens, and stops it when the test ends.
func Start(tb testing.TB, db string, extra ...string) *Server {
	tb.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)
	cmd := exec.Command(Binary(tb), args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL=")
	log := &syncBuffer{}
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	cmd.Stdout = log
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s := &Server{DB: db, cmd: cmd, log: log, done: make(chan struct{})}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(nil, 1<<20)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			log.Write([]byte(line + "\n"))
			if m := linkRE.FindStringSubmatch(line); m != nil && s.AdminLink == "" {
				s.AdminLink = m[1]
			}
			if m := listenRE.FindStringSubmatch(line); m != nil && !signalled {
				s.URL = m[1]
				signalled = true
				close(ready)
			}
		}
	}()
	go func() {
		cmd.Wait()
		pw.Close()
		close(s.done)
	}()
	select {
	case <-ready:
	case <-s.done:
		tb.Fatalf("chatdojo serve exited before listening:\n%s", log.String())
	case <-time.After(60 * time.Second):
		s.Kill()
		tb.Fatalf("chatdojo serve did not listen within 60s:\n%s", log.String())
	}
	tb.Cleanup(func() {
		s.Stop()
		if tb.Failed() {
			tb.Logf("server log (%s):\n%s", s.URL, s.log.String())
		}
	})
	return s
}

// Log returns what the server wrote so far.
func (s *Server) Log() string { return s.log.String() }

// Kill kills the process with SIGKILL, as a crash would, and waits for it to go.
func (s *Server) Kill() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-s.done
}

// Stop asks the process to shut down (SIGTERM) and waits, killing it after 15s.
func (s *Server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.Kill()
	}
}

// ExitCode is the process's exit status once it has stopped.
func (s *Server) ExitCode() int {
	<-s.done
	return s.cmd.ProcessState.ExitCode()
}

// Run runs a chatdojo command (user add, token create…) and returns its standard
// output, failing the test when it fails.
func Run(tb testing.TB, args ...string) string {
	tb.Helper()
	cmd := exec.Command(Binary(tb), args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		tb.Fatalf("chatdojo %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// Token makes a user (when missing) and an API token for them on db, and returns the
// token.
func Token(tb testing.TB, db, email, role string) string {
	tb.Helper()
	cmd := exec.Command(Binary(tb), "user", "add", "--email", email, "--role", role, "--db", db)
	cmd.Env = append(os.Environ(), "DATABASE_URL=")
	cmd.Run() // "already exists" is fine
	out := strings.TrimSpace(Run(tb, "token", "create", "--email", email, "--db", db))
	lines := strings.Split(out, "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// Client calls the JSON API of a server with a token.
type Client struct {
	URL   string
	Token string
	HTTP  *http.Client
}

// NewClient returns an API client for base URL u.
func NewClient(u, token string) *Client {
	return &Client{URL: strings.TrimRight(u, "/"), Token: token, HTTP: &http.Client{Timeout: 30 * time.Second}}
}

// Do sends a JSON request and decodes a JSON answer into out (when not nil); it
// returns the status.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: status %d, body %q: %w", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode, nil
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
