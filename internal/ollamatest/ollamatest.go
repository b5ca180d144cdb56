// Package ollamatest gives Go tests a real Ollama server and a tiny model
// that the tests make themselves, since no model weights can be downloaded
// where they run.
//
// Start uses the server that `make test` starts (TEST_OLLAMA_HOST, see
// scripts/with-services), or else starts `ollama serve` itself on a free
// loopback port with models in a temp dir. CreateTinyModel writes a llama
// model with random weights (WriteTinyGGUF) and creates it on that server:
// its words are noise, but streaming, the chat template, structured output
// (format), options, cancellation and errors are all real.
//
// When there is no Ollama binary, a test that asks for the server is skipped
// with a message saying how to get it, except under CI=true, where it fails.
package ollamatest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Version is the Ollama release the tests run against: the newest that builds
// from the Go module proxy with `go install`.
const Version = "v0.6.5"

// InstallCommand builds the Ollama server into $(go env GOPATH)/bin (cgo,
// CPU only; a few minutes the first time).
const InstallCommand = "go install github.com/ollama/ollama@" + Version

// TinyTemplate is the chat template of the tiny model: each message as
// <|role|>content on a line, then <|assistant|> for the reply.
const TinyTemplate = "{{ range .Messages }}<|{{ .Role }}|>{{ .Content }}\n{{ end }}<|assistant|>"

// TinyContext is the context length, in tokens, of the tiny model.
const TinyContext = tinyContext

// startTimeout bounds how long `ollama serve` may take to answer.
const startTimeout = 60 * time.Second

// Server is an Ollama server for tests.
type Server struct {
	// URL is the server's base URL, such as http://127.0.0.1:41234, as the
	// Ollama client and OLLAMA_HOST take it.
	URL string
}

// inCI reports whether the tests run under CI, where a missing service is an error.
func inCI() bool {
	return os.Getenv("CI") == "true"
}

// Start returns an Ollama server for the test: the one at TEST_OLLAMA_HOST
// when it is set, else a new `ollama serve` on a free port of 127.0.0.1, with
// its models and home in temp dirs, stopped when the test ends. The binary is
// OLLAMA_BIN, else ollama on PATH, else $(go env GOPATH)/bin/ollama. When
// there is none, the test fails under CI=true and is skipped otherwise.
func Start(tb testing.TB) *Server {
	tb.Helper()
	if host := os.Getenv("TEST_OLLAMA_HOST"); host != "" {
		u := host
		if !strings.Contains(u, "://") {
			u = "http://" + u
		}
		u = strings.TrimRight(u, "/")
		if err := waitVersion(context.Background(), u, 10*time.Second, nil); err != nil {
			tb.Fatalf("ollamatest: TEST_OLLAMA_HOST=%s does not answer: %v", host, err)
		}
		return &Server{URL: u}
	}

	bin := findBinary()
	if bin == "" {
		if inCI() {
			tb.Fatal("no Ollama binary under CI=true: TEST_OLLAMA_HOST and OLLAMA_BIN are not set, " +
				"there is no ollama on PATH nor in $(go env GOPATH)/bin; make test installs it " +
				"(scripts/with-services runs `" + InstallCommand + "`); see its warnings above")
		}
		tb.Skip("skipping: needs an Ollama server; run `make test` with OLLAMA_INSTALL=1 " +
			"(or `" + InstallCommand + "`, a few minutes), or set OLLAMA_BIN or TEST_OLLAMA_HOST")
	}

	models := tb.TempDir()
	home := tb.TempDir()
	logPath := filepath.Join(tb.TempDir(), "ollama.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		tb.Fatalf("ollamatest: %v", err)
	}
	port, err := freePort()
	if err != nil {
		tb.Fatalf("ollamatest: %v", err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)

	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"OLLAMA_HOST="+addr,
		"OLLAMA_MODELS="+models,
		"OLLAMA_NOPRUNE=1",
		"HOME="+home, // its key pair goes to ~/.ollama
	)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		logFile.Close()
		tb.Fatalf("ollamatest: start %s serve: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	tb.Cleanup(func() { stop(tb, cmd, exited) })

	s := &Server{URL: "http://" + addr}
	if err := waitVersion(context.Background(), s.URL, startTimeout, exited); err != nil {
		tb.Fatalf("ollamatest: %s serve on %s: %v; its log:\n%s", bin, addr, err, tail(logPath, 30))
	}
	return s
}

// findBinary returns the path of the ollama binary, or "" when there is none.
func findBinary() string {
	if p := os.Getenv("OLLAMA_BIN"); p != "" {
		return p
	}
	if p, err := exec.LookPath("ollama"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	if gopath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "ollama")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// freePort returns a TCP port of 127.0.0.1 that nothing listened on just now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitVersion polls GET /api/version until it answers 200, the timeout
// passes, or exited (if not nil) is closed.
func waitVersion(ctx context.Context, baseURL string, timeout time.Duration, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/version", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /api/version: %s", resp.Status)
		}
		last = err
		select {
		case <-exited:
			return errors.New("the server exited while starting")
		case <-ctx.Done():
			return fmt.Errorf("no answer within %s: %w", timeout, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stop ends the server: SIGTERM (it unloads its models and stops their
// runners), then after 10s a kill of its whole process group. The group is
// killed in any case, so that no runner outlives the test.
func stop(tb testing.TB, cmd *exec.Cmd, exited <-chan struct{}) {
	defer kill(cmd)
	select {
	case <-exited:
		return
	default:
	}
	terminate(cmd)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		tb.Logf("ollamatest: ollama serve (pid %d) did not stop within 10s of SIGTERM; killing it", cmd.Process.Pid)
		kill(cmd)
		<-exited
	}
}

// tail returns the last n lines of the file at path, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// CreateTinyModel writes the tiny model (WriteTinyGGUF, seed 1) and its
// Modelfile to a temp dir, creates it on the server as name, and returns
// name. The model has TinyTemplate as its template and a context of
// TinyContext tokens. Creating it takes well under a second; the server
// loads it on first use.
func (s *Server) CreateTinyModel(tb testing.TB, name string) string {
	tb.Helper()
	// make test-ollama MODEL=… runs the same tests on a real model.
	if m := os.Getenv("TEST_OLLAMA_MODEL"); m != "" {
		return m
	}
	dir := tb.TempDir()
	gguf := filepath.Join(dir, "tiny.gguf")
	if err := WriteTinyGGUF(gguf, 1); err != nil {
		tb.Fatalf("ollamatest: %v", err)
	}
	// The Modelfile is what `ollama create NAME -f Modelfile` would take; it is
	// kept beside the GGUF for anyone debugging by hand. The API is given the
	// same through the blob and the create request below.
	modelfile := fmt.Sprintf("FROM ./tiny.gguf\nTEMPLATE \"\"\"%s\"\"\"\nPARAMETER num_ctx %d\n", TinyTemplate, TinyContext)
	if err := os.WriteFile(filepath.Join(dir, "Modelfile"), []byte(modelfile), 0o644); err != nil {
		tb.Fatalf("ollamatest: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data, err := os.ReadFile(gguf)
	if err != nil {
		tb.Fatalf("ollamatest: %v", err)
	}
	sum := sha256.Sum256(data)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	if err := s.post(ctx, "/api/blobs/"+digest, "application/octet-stream", bytes.NewReader(data)); err != nil {
		tb.Fatalf("ollamatest: upload tiny.gguf: %v", err)
	}
	create, err := json.Marshal(map[string]any{
		"model":      name,
		"files":      map[string]string{"tiny.gguf": digest},
		"template":   TinyTemplate,
		"parameters": map[string]any{"num_ctx": TinyContext},
		"stream":     false,
	})
	if err != nil {
		tb.Fatalf("ollamatest: %v", err)
	}
	if err := s.post(ctx, "/api/create", "application/json", bytes.NewReader(create)); err != nil {
		tb.Fatalf("ollamatest: create model %s: %v", name, err)
	}
	return name
}

// post sends body to the server's path and returns an error unless the answer
// is 2xx.
func (s *Server) post(ctx context.Context, path, contentType string, body io.Reader) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %s: %s", path, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
