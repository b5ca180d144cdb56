// Package e2e holds the tests that run the real chatdojo binary as separate processes:
// a server killed with SIGKILL mid-session and restarted, and two servers on one
// PostgreSQL database serving the same session.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"chatdojo/internal/testenv"
	"chatdojo/internal/testserver"
	"chatdojo/scenarios"
)

// session is a session as the API returns it.
type session struct {
	ID       string              `json:"id"`
	Outcome  *string             `json:"outcome"`
	Messages []scenarios.Message `json:"messages"`
}

// reply is the answer to a posted agent message.
type reply struct {
	Messages []scenarios.Message `json:"messages"`
	Outcome  *string             `json:"outcome"`
}

// goodScript is the reference agent script of a library scenario, without the delays.
func goodScript(t *testing.T, id string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "scenarios", "library", id+".good.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		line = regexp.MustCompile(`^\+\d+[a-z]+\s+`).ReplaceAllString(strings.TrimSpace(line), "")
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// simulated is the transcript `chatdojo simulate` plays for a script and seed, with
// the agent answering quickly (no chase, no time limit): what a live session must say.
func simulated(t *testing.T, id string, seed int64, lines []string) []string {
	t.Helper()
	dir := t.TempDir()
	script := filepath.Join(dir, "agent.txt")
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("+2s " + l + "\n")
	}
	if err := os.WriteFile(script, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := testserver.Run(t, "simulate", "--scenario", id, "--agent", script, "--seed", fmt.Sprint(seed), "--json")
	var tr scenarios.Transcript
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatal(err)
	}
	return texts(tr.Messages)
}

func texts(ms []scenarios.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m.Role) + ": " + m.Text
	}
	return out
}

// TestCrashResume kills the server with SIGKILL while sessions are being written to,
// starts it again on the same SQLite file, and checks that every acknowledged message
// is there, and that each session goes on exactly where it was: the same customer, the
// same mood, the next line the engine would say.
func TestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	db := filepath.Join(t.TempDir(), "crash.db")
	srv := testserver.Start(t, db)
	tok := testserver.Token(t, db, "trainee@example.com", "trainee")
	ctx := context.Background()
	api := testserver.NewClient(srv.URL, tok)

	const sessions = 4
	lines := goodScript(t, "double-charge")
	ids := make([]string, sessions)
	for i := range ids {
		var s session
		if st, err := api.Do(ctx, "POST", "/api/v1/sessions", map[string]any{"scenario": "double-charge", "seed": 7}, &s); err != nil || st != 201 {
			t.Fatalf("start session: status %d, %v", st, err)
		}
		ids[i] = s.ID
	}

	// Writers post the script's lines to every session; the server is killed while
	// they are at it. acked records each agent message the server acknowledged, with
	// the customer messages it answered with.
	var mu sync.Mutex
	acked := map[string][]string{}
	sent := map[string]int{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 3; n++ { // stop short of the end: the session must still be open
				select {
				case <-stop:
					return
				default:
				}
				var r reply
				st, err := api.Do(ctx, "POST", "/api/v1/sessions/"+id+"/messages", map[string]string{"text": lines[n]}, &r)
				if err != nil || st != 200 {
					return // the server is gone
				}
				mu.Lock()
				acked[id] = append(acked[id], "agent: "+lines[n])
				acked[id] = append(acked[id], texts(r.Messages)...)
				sent[id] = n + 1
				mu.Unlock()
			}
		}()
	}
	// Kill once a few messages are in, while others are on their way.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		total := 0
		for _, n := range sent {
			total += n
		}
		mu.Unlock()
		if total >= sessions || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.Kill()
	close(stop)
	wg.Wait()
	total := 0
	for _, n := range sent {
		total += n
	}
	if total == 0 {
		t.Fatal("no message was acknowledged before the kill: the test proved nothing")
	}

	srv2 := testserver.Start(t, db)
	api2 := testserver.NewClient(srv2.URL, tok)
	want := simulated(t, "double-charge", 7, lines)
	for _, id := range ids {
		var s session
		if st, err := api2.Do(ctx, "GET", "/api/v1/sessions/"+id, nil, &s); err != nil || st != 200 {
			t.Fatalf("session %s after the restart: status %d, %v", id, st, err)
		}
		got := texts(s.Messages)
		// Every acknowledged message is stored, in order, after the opening. The
		// server may have stored one more whose acknowledgement the kill cut off.
		mu.Lock()
		ack := acked[id]
		mu.Unlock()
		if len(got) < 1+len(ack) {
			t.Fatalf("session %s lost acknowledged messages: %d stored, %d acknowledged\nstored: %q\nacked: %q", id, len(got), 1+len(ack), got, ack)
		}
		if diff := cmp.Diff(ack, got[1:1+len(ack)], cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("session %s: stored messages differ from acknowledged ones (-acked +stored):\n%s", id, diff)
		}
		if diff := cmp.Diff(want[:len(got)], got); diff != "" {
			t.Errorf("session %s: stored transcript is not what the engine plays (-want +got):\n%s", id, diff)
		}
		// The session goes on where it was: the rest of the script gets the same
		// answers as an uninterrupted simulation, the moods included.
		agentDone := 0
		for _, m := range s.Messages {
			if m.Role == scenarios.RoleAgent {
				agentDone++
			}
		}
		for _, line := range lines[agentDone:] {
			var r reply
			if st, err := api2.Do(ctx, "POST", "/api/v1/sessions/"+id+"/messages", map[string]string{"text": line}, &r); err != nil || st != 200 {
				t.Fatalf("session %s: post after the restart: status %d, %v", id, st, err)
			}
		}
		var end session
		if _, err := api2.Do(ctx, "GET", "/api/v1/sessions/"+id, nil, &end); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, texts(end.Messages)); diff != "" {
			t.Errorf("session %s after resuming differs from an uninterrupted one (-want +got):\n%s", id, diff)
		}
		if end.Outcome == nil || *end.Outcome != "resolved" {
			t.Errorf("session %s: outcome %v, want resolved", id, end.Outcome)
		}
	}
}

// TestTwoInstances runs two servers on one PostgreSQL database and plays one session
// through both in turn: every message sent through one is seen by the other, and the
// conversation is the one the engine plays uninterrupted.
func TestTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dsn := testenv.FreshPostgresDB(t)
	a := testserver.Start(t, dsn)
	b := testserver.Start(t, dsn)
	tok := testserver.Token(t, dsn, "trainee@example.com", "trainee")
	ctx := context.Background()
	apis := []*testserver.Client{testserver.NewClient(a.URL, tok), testserver.NewClient(b.URL, tok)}

	var s session
	if st, err := apis[0].Do(ctx, "POST", "/api/v1/sessions", map[string]any{"scenario": "double-charge", "seed": 11}, &s); err != nil || st != 201 {
		t.Fatalf("start through A: status %d, %v", st, err)
	}
	lines := goodScript(t, "double-charge")
	for i, line := range lines {
		api := apis[(i+1)%2] // B first, then A, then B…
		var r reply
		if st, err := api.Do(ctx, "POST", "/api/v1/sessions/"+s.ID+"/messages", map[string]string{"text": line}, &r); err != nil || st != 200 {
			t.Fatalf("message %d through instance %d: status %d, %v", i, (i+1)%2, st, err)
		}
		if len(r.Messages) == 0 {
			t.Fatalf("message %d: no customer answer", i)
		}
		// The other instance sees the change at once.
		var other session
		if _, err := apis[i%2].Do(ctx, "GET", "/api/v1/sessions/"+s.ID, nil, &other); err != nil {
			t.Fatal(err)
		}
		if got := texts(other.Messages); got[len(got)-1] != texts(r.Messages)[len(r.Messages)-1] {
			t.Fatalf("after message %d the other instance shows %q last, want %q", i, got[len(got)-1], texts(r.Messages)[len(r.Messages)-1])
		}
	}
	var end session
	if _, err := apis[1].Do(ctx, "GET", "/api/v1/sessions/"+s.ID, nil, &end); err != nil {
		t.Fatal(err)
	}
	want := simulated(t, "double-charge", 11, lines)
	if diff := cmp.Diff(want, texts(end.Messages)); diff != "" {
		t.Errorf("the session played across two instances differs from one played on one (-want +got):\n%s", diff)
	}
	if end.Outcome == nil || *end.Outcome != "resolved" {
		t.Errorf("outcome %v, want resolved", end.Outcome)
	}
	// Posting to the ended session is a conflict, through either instance.
	for i, api := range apis {
		if st, _ := api.Do(ctx, "POST", "/api/v1/sessions/"+s.ID+"/messages", map[string]string{"text": "Anything else?"}, nil); st != 409 {
			t.Errorf("posting to an ended session through instance %d: status %d, want 409", i, st)
		}
	}
	// The grade is the same through both.
	var g1, g2 map[string]any
	apis[0].Do(ctx, "GET", "/api/v1/sessions/"+s.ID+"/grade", nil, &g1)
	apis[1].Do(ctx, "GET", "/api/v1/sessions/"+s.ID+"/grade", nil, &g2)
	if g1["scores"] == nil || cmp.Diff(g1, g2) != "" {
		t.Errorf("grades differ between the instances or are empty:\n%v\n%v", g1, g2)
	}
}
