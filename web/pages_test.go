package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"chatdojo/web"
)

func count(body, testid string) int {
	return strings.Count(body, `data-testid="`+testid+`"`)
}

// TestCatalogFilters filters the catalogue by channel, trait and difficulty.
func TestCatalogFilters(t *testing.T) {
	a := newApp(t, false)
	b, _ := a.user("hana@example.com", web.RoleTrainee)
	all := count(b.get("/").Body, "scenario-double-charge") + strings.Count(b.get("/").Body, `class="card"`)
	if all < 17 {
		t.Fatalf("the catalogue lists %d scenarios, want the 17 of the library", all)
	}
	tests := []struct {
		query string
		has   []string
		hasnt []string
	}{
		{"channel=email", []string{"scenario-blender-doa-email"}, []string{"scenario-double-charge"}},
		{"channel=chat", []string{"scenario-double-charge"}, []string{"scenario-blender-doa-email"}},
		{"difficulty=3&channel=chat", []string{"scenario-double-charge"}, nil},
		{"trait=no-such-trait", []string{"no-scenarios"}, []string{"scenario-double-charge"}},
	}
	for _, tt := range tests {
		body := b.get("/?" + tt.query).Body
		for _, id := range tt.has {
			if count(body, id) == 0 {
				t.Errorf("?%s: %s missing", tt.query, id)
			}
		}
		for _, id := range tt.hasnt {
			if count(body, id) != 0 {
				t.Errorf("?%s: %s listed", tt.query, id)
			}
		}
	}
}

// TestPracticeToDebrief plays the double-charge scenario to a resolution through the
// pages and reads the debrief, the history and the readiness report.
func TestPracticeToDebrief(t *testing.T) {
	for _, pg := range []bool{false, true} {
		name := "sqlite"
		if pg {
			name = "postgres"
		}
		t.Run(name, func(t *testing.T) {
			a := newApp(t, pg)
			b, _ := a.user("ivan@example.com", web.RoleTrainee)
			chat := startChat(t, b)
			lines := goodScript(t, "double-charge")
			for i, line := range lines {
				r := b.post(chat+"/messages", url.Values{"text": {line}})
				if r.StatusCode != http.StatusOK {
					t.Fatalf("line %d: status %d", i, r.StatusCode)
				}
				if got := count(r.Body, "msg-customer"); got != i+2 {
					t.Fatalf("after line %d the chat shows %d customer messages, want %d", i, got, i+2)
				}
			}
			r := b.get(chat)
			if count(r.Body, "outcome") != 1 || !strings.Contains(r.Body, "Resolved") || count(r.Body, "reply-form") != 0 {
				t.Fatalf("the ended chat shows no outcome, or still the reply form")
			}
			d := b.get(chat + "/debrief")
			if d.StatusCode != 200 {
				t.Fatalf("debrief: status %d", d.StatusCode)
			}
			for _, id := range []string{"score-empathy", "score-de-escalation", "score-timing", "score-resolution", "score-overall", "kpis", "mood-chart", "transcript"} {
				if count(d.Body, id) != 1 {
					t.Errorf("the debrief has no %s", id)
				}
			}
			if n := count(d.Body, "annotation"); n != len(lines) {
				t.Errorf("the debrief annotates %d agent lines, want %d", n, len(lines))
			}
			if n := count(d.Body, "feedback"); n != len(lines) {
				t.Errorf("the debrief has %d feedback lines, want %d", n, len(lines))
			}
			if !regexp.MustCompile(`data-testid="score-resolution"><span class="name">Resolution</span> <span class="value good">100</span>`).MatchString(d.Body) {
				t.Errorf("a resolved session's resolution score is not 100 in the debrief")
			}
			if !strings.Contains(d.Body, "<polyline") {
				t.Error("the mood chart has no line")
			}
			h := b.get("/history")
			if count(h.Body, "history-row") != 1 || !strings.Contains(h.Body, "Resolved") {
				t.Errorf("the history does not list the resolved session")
			}
			rep := b.get("/report")
			if count(rep.Body, "trend-charts") != 1 || count(rep.Body, "report") != 1 || !strings.Contains(rep.Body, "ivan@example.com") {
				t.Errorf("the readiness report is missing its charts or its body:\n%s", rep.Body)
			}
			// The grade is stored once the session ends.
			if _, err := a.Store.FindGrade(context.Background(), strings.TrimPrefix(chat, "/sessions/")); err != nil {
				t.Errorf("no grade stored for the ended session: %v", err)
			}
		})
	}
}

// TestEmptyStates shows the history and the report of a new trainee.
func TestEmptyStates(t *testing.T) {
	a := newApp(t, false)
	b, _ := a.user("jo@example.com", web.RoleTrainee)
	if count(b.get("/history").Body, "no-sessions") != 1 {
		t.Error("an empty history does not say so")
	}
	if count(b.get("/report").Body, "report-empty") != 1 {
		t.Error("an empty report does not say so")
	}
	if r := b.get("/sessions/s_doesnotexist"); r.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown session: status %d", r.StatusCode)
	}
	if r := b.get("/no/such/page"); r.StatusCode != http.StatusNotFound || count(r.Body, "error-message") != 1 {
		t.Errorf("an unknown page: status %d", r.StatusCode)
	}
	guest := newBrowser(t, a.URL)
	if r := guest.get("/history"); !strings.HasSuffix(r.URL, "/login") {
		t.Errorf("a guest asking for /history ends at %s, want /login", r.URL)
	}
}

// TestTokensPage makes an API token on its page, uses it, and revokes it.
func TestTokensPage(t *testing.T) {
	a := newApp(t, false)
	b, _ := a.user("kim@example.com", web.RoleTrainee)
	b.get("/account/tokens")
	r := b.post("/account/tokens", url.Values{"name": {"my bot"}})
	m := regexp.MustCompile(`data-testid="new-token">(cdj_[A-Za-z0-9_-]+)<`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("the new token is not shown: status %d", r.StatusCode)
	}
	tok := m[1]
	if st, _ := apiGet(t, a.URL+"/api/v1/scenarios", tok); st != 200 {
		t.Fatalf("the new token does not work: %d", st)
	}
	// The row of "my bot" (the harness made another token for this user).
	id := regexp.MustCompile(`<td>my bot</td>.*?/account/tokens/(t_[0-9a-f]+)/revoke`).FindStringSubmatch(b.get("/account/tokens").Body)
	if id == nil {
		t.Fatal("the tokens page lists no revoke button")
	}
	b.post("/account/tokens/"+id[1]+"/revoke", nil)
	if st, _ := apiGet(t, a.URL+"/api/v1/scenarios", tok); st != http.StatusUnauthorized {
		t.Errorf("a revoked token: status %d, want 401", st)
	}
}

// TestSilenceChaseOnServerClock lets the server's clock pass the customer's patience:
// the chase arrives without the browser doing anything.
func TestSilenceChaseOnServerClock(t *testing.T) {
	a := newApp(t, false)
	b, _ := a.user("lee@example.com", web.RoleTrainee)
	chat := startChat(t, b)
	if err := a.Practice.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count(b.get(chat).Body, "msg-customer"); n != 1 {
		t.Fatalf("before the patience runs out: %d customer messages, want 1", n)
	}
	a.Advance(95e9) // double-charge's patience is 90s
	if err := a.Practice.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count(b.get(chat).Body, "msg-customer"); n != 2 {
		t.Errorf("after the patience ran out: %d customer messages, want 2 (the chase)", n)
	}
	a.Advance(20 * 60e9) // past the 15-minute limit
	if err := a.Practice.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := b.get(chat); count(r.Body, "outcome") != 1 {
		t.Errorf("past the time limit (or the walk-away) the session has not ended")
	}
}
