package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeEndToEnd runs the real program's run() with serve on port 0 in a temporary
// folder: it listens, prints the admin's one-time link on the first start, answers
// /healthz, accepts a user and a token made by the user and token commands, plays a
// session over the API, and shuts down cleanly when its context ends; a second start
// on the same database prints no new admin link.
func TestServeEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "e2e.db")
	start := func() (string, *syncBuffer, func() int) {
		ctx, cancel := context.WithCancel(context.Background())
		errb := &syncBuffer{}
		done := make(chan int, 1)
		go func() {
			err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--typing", "0"}, func(string) string { return "" }, strings.NewReader(""), io.Discard, errb)
			done <- exitCode(err, errb)
		}()
		re := regexp.MustCompile(`msg="chatdojo listening" url=(\S+)`)
		deadline := time.Now().Add(30 * time.Second)
		for {
			if m := re.FindStringSubmatch(errb.String()); m != nil {
				return m[1], errb, func() int {
					cancel()
					select {
					case code := <-done:
						return code
					case <-time.After(15 * time.Second):
						t.Fatal("serve did not stop within 15s of its context ending")
						return -1
					}
				}
			}
			select {
			case code := <-done:
				t.Fatalf("serve exited with %d before listening:\n%s", code, errb.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("serve did not listen within 30s:\n%s", errb.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	url, log, stop := start()
	if !regexp.MustCompile(`http://127\.0\.0\.1:\d+/signin/\S+`).MatchString(log.String()) {
		t.Errorf("the first start printed no admin sign-in link:\n%s", log.String())
	}
	resp, err := http.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	out, errOut, code := runCmd(t, "", "user", "add", "--email", "Bot@Example.com", "--role", "trainee", "--db", db, "--base-url", url)
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), url+"/signin/") {
		t.Fatalf("user add: exit %d, out %q, err %q", code, out, errOut)
	}
	out, errOut, code = runCmd(t, "", "token", "create", "--email", "bot@example.com", "--db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	tok := lines[len(lines)-1]
	if code != 0 || !strings.HasPrefix(tok, "cdj_") {
		t.Fatalf("token create: exit %d, out %q, err %q", code, out, errOut)
	}
	if _, errOut, code := runCmd(t, "", "token", "create", "--email", "nobody@example.com", "--db", db); code == 0 || !strings.Contains(errOut, "no user") {
		t.Errorf("token create for an unknown user: exit %d, %q", code, errOut)
	}

	api := func(method, path, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	st, s := api("POST", "/api/v1/sessions", `{"scenario": "double-charge", "seed": 3}`)
	if st != 201 {
		t.Fatalf("start a session: %d %v", st, s)
	}
	id, _ := s["id"].(string)
	st, r := api("POST", "/api/v1/sessions/"+id+"/messages", `{"text": "Hi Dana, I'm so sorry about the double charge. Could you confirm the email on the account?"}`)
	if msgs, _ := r["messages"].([]any); st != 200 || len(msgs) != 1 {
		t.Fatalf("post a message: %d %v", st, r)
	}
	if st, s := api("POST", "/api/v1/sessions/"+id+"/end", ""); st != 200 || s["outcome"] != "unresolved" {
		t.Fatalf("end the session: %d %v", st, s)
	}
	// The ended session was graded; report --db reads it, naming the trainee by email.
	out, errOut, code = runCmd(t, "", "report", "--db", db, "--format", "json")
	if code != 0 || !strings.Contains(out, `"user": "bot@example.com"`) || !strings.Contains(out, `"graded": 1`) {
		t.Errorf("report --db: exit %d, err %q, out:\n%s", code, errOut, out)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exited with %d after its context ended, want 0:\n%s", code, log.String())
	}
	if !strings.Contains(log.String(), "stopped") {
		t.Errorf("serve did not log a clean stop:\n%s", log.String())
	}

	// A second start on the same database: no new admin, the session is still there.
	url, log, stop = start()
	defer stop()
	if strings.Contains(log.String(), "/signin/") {
		t.Errorf("a second start printed an admin link again:\n%s", log.String())
	}
	st, s = api("GET", "/api/v1/sessions/"+id, "")
	if msgs, _ := s["messages"].([]any); st != 200 || len(msgs) != 3 {
		t.Errorf("the session after a restart: %d, %d messages, want 3", st, len(msgs))
	}
}

// TestMigrateCommand migrates a fresh database, then says it is up to date.
func TestMigrateCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	out, errOut, code := runCmd(t, "", "migrate", "--db", db)
	if code != 0 || strings.Count(out, "applied ") != 2 {
		t.Fatalf("first migrate: exit %d, out %q, err %q", code, out, errOut)
	}
	out, _, code = runCmd(t, "", "migrate", "--db", db)
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("second migrate: exit %d, out %q", code, out)
	}
	if _, errOut, code := runCmd(t, "", "user", "add", "--email", "not-an-email", "--db", db); code != 2 || !strings.Contains(errOut, "not an email") {
		t.Errorf("user add with a bad email: exit %d, %q", code, errOut)
	}
}
