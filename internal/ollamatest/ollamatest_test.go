package ollamatest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ollama/ollama/api"

	"chatdojo/internal/ollamatest"
)

func TestWriteTinyGGUF(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.gguf"), filepath.Join(dir, "b.gguf"), filepath.Join(dir, "c.gguf")
	for _, f := range []struct {
		path string
		seed int64
	}{{a, 1}, {b, 1}, {c, 2}} {
		if err := ollamatest.WriteTinyGGUF(f.path, f.seed); err != nil {
			t.Fatal(err)
		}
	}
	da, db, dc := read(t, a), read(t, b), read(t, c)
	if string(da[:4]) != "GGUF" {
		t.Errorf("magic = %q, want GGUF", da[:4])
	}
	if n := len(da); n < 100<<10 || n > 1<<20 {
		t.Errorf("size = %d bytes, want a few hundred KB", n)
	}
	if string(da) != string(db) {
		t.Error("two files from the same seed differ")
	}
	if string(da) == string(dc) {
		t.Error("files from seeds 1 and 2 are the same")
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestServer talks to a real Ollama server through the official client, with
// the tiny model: one server and one model for all the subtests, since
// starting and loading take a few seconds.
func TestServer(t *testing.T) {
	start := time.Now()
	srv := ollamatest.Start(t)
	t.Logf("server at %s ready in %s", srv.URL, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	model := srv.CreateTinyModel(t, "chatdojo-tiny-test")
	t.Logf("model %s created in %s", model, time.Since(start).Round(time.Millisecond))

	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	client := api.NewClient(base, http.DefaultClient)

	messages := []api.Message{
		{Role: "system", Content: "You are a customer whose parcel is late."},
		{Role: "user", Content: "Hello, how can I help you today?"},
	}
	options := func(numPredict int) map[string]any {
		return map[string]any{"temperature": 0.8, "seed": 42, "num_predict": numPredict}
	}

	// The first request loads the model; the subtests after it then measure
	// only their own work.
	start = time.Now()
	err = client.Chat(context.Background(), &api.ChatRequest{
		Model: model, Messages: messages, Stream: new(false), Options: options(1),
	}, func(api.ChatResponse) error { return nil })
	if err != nil {
		t.Fatalf("load %s: %v", model, err)
	}
	t.Logf("model loaded and answered in %s", time.Since(start).Round(time.Millisecond))

	t.Run("streaming chat", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var chunks int
		var text string
		var last api.ChatResponse
		err := client.Chat(ctx, &api.ChatRequest{
			Model: model, Messages: messages, Options: options(20),
		}, func(r api.ChatResponse) error {
			if !r.Done {
				chunks++
			}
			text += r.Message.Content
			last = r
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if chunks < 1 {
			t.Errorf("got %d streamed chunks before done, want at least 1", chunks)
		}
		if !last.Done {
			t.Error("the last response is not done")
		}
		if last.EvalCount < 1 || last.EvalCount > 20 {
			t.Errorf("eval count = %d, want 1..20 (num_predict 20)", last.EvalCount)
		}
		if last.Message.Role != "assistant" {
			t.Errorf("role = %q, want assistant", last.Message.Role)
		}
		if !utf8.ValidString(text) {
			t.Errorf("reply is not valid UTF-8: %q", text)
		}
		t.Logf("%d chunks, done_reason %q, %d prompt tokens: %q", chunks, last.DoneReason, last.PromptEvalCount, text)
	})

	t.Run("same seed same reply", func(t *testing.T) {
		reply := func() string {
			var s string
			err := client.Chat(context.Background(), &api.ChatRequest{
				Model: model, Messages: messages, Stream: new(false), Options: options(10),
			}, func(r api.ChatResponse) error { s += r.Message.Content; return nil })
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if a, b := reply(), reply(); a != b {
			t.Errorf("two replies with seed 42 differ:\n%q\n%q", a, b)
		}
	})

	t.Run("format with a JSON schema", func(t *testing.T) {
		schema := `{
			"type": "object",
			"properties": {
				"reason": {"type": "string", "maxLength": 20},
				"level": {"type": "integer", "minimum": 0, "maximum": 3}
			},
			"required": ["reason", "level"]
		}`
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var content string
		var last api.ChatResponse
		err := client.Chat(ctx, &api.ChatRequest{
			Model: model, Messages: messages, Stream: new(false),
			Format: json.RawMessage(schema),
			// Enough tokens for the longest object the grammar allows; the
			// grammar then leaves only the end of text.
			Options: options(200),
		}, func(r api.ChatResponse) error {
			content += r.Message.Content
			last = r
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Reason *string `json:"reason"`
			Level  *int    `json:"level"`
		}
		if err := json.Unmarshal([]byte(content), &got); err != nil {
			t.Fatalf("reply does not parse as JSON (done_reason %q): %v\n%q", last.DoneReason, err, content)
		}
		if got.Reason == nil || got.Level == nil {
			t.Fatalf("reply misses a required property: %q", content)
		}
		if n := utf8.RuneCountInString(*got.Reason); n > 20 {
			t.Errorf("reason has %d characters, want at most 20: %q", n, *got.Reason)
		}
		if *got.Level < 0 || *got.Level > 3 {
			t.Errorf("level = %d, want 0..3", *got.Level)
		}
		t.Logf("%d tokens: %s", last.EvalCount, content)
	})

	t.Run("clean words", func(t *testing.T) {
		var text string
		var last api.ChatResponse
		err := client.Chat(context.Background(), &api.ChatRequest{
			Model: model, Messages: messages, Stream: new(false), Options: options(200),
		}, func(r api.ChatResponse) error { text += r.Message.Content; last = r; return nil })
		if err != nil {
			t.Fatal(err)
		}
		// The model never ends a reply by itself: it runs to num_predict.
		if last.DoneReason != "length" || last.EvalCount != 200 {
			t.Errorf("done_reason %q after %d tokens, want length after 200", last.DoneReason, last.EvalCount)
		}
		for _, r := range text {
			if !unicode.IsLetter(r) && !strings.ContainsRune(" .,!?'", r) {
				t.Errorf("reply has %q, want only letters, spaces and . , ! ? ': %q", r, text)
				break
			}
		}
		t.Logf("%q", text)
	})

	t.Run("cancel mid-stream", func(t *testing.T) {
		// As when a trainee leaves: the request's context is cancelled from
		// elsewhere while the reply streams in.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var chunks int
		var done bool
		first := make(chan struct{})
		go func() {
			<-first
			cancel()
		}()
		start := time.Now()
		err := client.Chat(ctx, &api.ChatRequest{
			Model: model, Messages: messages, Options: options(100000),
		}, func(r api.ChatResponse) error {
			chunks++
			if chunks == 1 {
				close(first)
			}
			done = done || r.Done
			return nil
		})
		elapsed := time.Since(start)
		// The v0.6.5 client ends the stream without an error when the context
		// is cancelled while it reads the body (it does not check the
		// scanner's error), so a caller must look at ctx.Err() too.
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want nil or context.Canceled", err)
		}
		if done {
			t.Error("the reply was done, want it cut off")
		}
		if ctx.Err() == nil {
			t.Error("ctx is not cancelled")
		}
		if elapsed > 20*time.Second {
			t.Errorf("Chat returned %s after the start, want promptly", elapsed)
		}
		t.Logf("Chat returned %v after %d chunks, %s after the start", err, chunks, elapsed.Round(time.Millisecond))

		// The server stopped that reply: the next request is answered at once.
		start = time.Now()
		err = client.Chat(context.Background(), &api.ChatRequest{
			Model: model, Messages: messages, Stream: new(false), Options: options(5),
		}, func(api.ChatResponse) error { return nil })
		if err != nil {
			t.Errorf("request after the cancel: %v", err)
		}
		t.Logf("next request answered in %s", time.Since(start).Round(time.Millisecond))
	})

	t.Run("cancel from the callback", func(t *testing.T) {
		// The way to get the context's error from the v0.6.5 client: the
		// callback returns it, and Chat returns what the callback returned.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var chunks int
		err := client.Chat(ctx, &api.ChatRequest{
			Model: model, Messages: messages, Options: options(100000),
		}, func(r api.ChatResponse) error {
			chunks++
			if chunks == 3 {
				cancel()
			}
			return ctx.Err()
		})
		if !errors.Is(err, context.Canceled) || chunks != 3 {
			t.Fatalf("err = %v after %d chunks, want context.Canceled after 3", err, chunks)
		}
	})

	t.Run("unknown model", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// Chat answers 404, but the v0.6.5 client returns the server's message
		// as a plain error when the body carries one; Show keeps the status.
		err := client.Chat(ctx, &api.ChatRequest{
			Model: "no-such-model:latest", Messages: messages, Options: options(5),
		}, func(api.ChatResponse) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("Chat: err = %v, want model not found", err)
		}
		_, err = client.Show(ctx, &api.ShowRequest{Model: "no-such-model:latest"})
		var se api.StatusError
		if !errors.As(err, &se) || se.StatusCode != http.StatusNotFound {
			t.Errorf("Show: err = %v, want a StatusError with status 404", err)
		}
		resp, err := http.Post(srv.URL+"/api/chat", "application/json",
			strings.NewReader(`{"model":"no-such-model:latest","messages":[{"role":"user","content":"hi"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST /api/chat: status %d, want 404", resp.StatusCode)
		}
	})
}
