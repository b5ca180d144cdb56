package e2e

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chatdojo/internal/ollamatest"
	"chatdojo/internal/testenv"
	"chatdojo/internal/testserver"
	"chatdojo/scenarios"
)

// TestBrowserModelScenario plays a model and a hybrid library scenario in headless
// Chromium against a server whose customers are written by a real Ollama server with
// the generated model: the catalogue says a model writes the customer, the customer's
// answers arrive, and the debrief grades the session.
func TestBrowserModelScenario(t *testing.T) {
	for _, id := range []string{"warranty-claim", "router-setup"} {
		t.Run(id, func(t *testing.T) { browserModelScenario(t, id) })
	}
}

func browserModelScenario(t *testing.T, id string) {
	chromium := testenv.Chromium(t)
	ol := ollamatest.Start(t)
	model := ol.CreateTinyModel(t, "chatdojo-tiny")
	db := filepath.Join(t.TempDir(), "m.db")
	srv := testserver.Start(t, db, "--typing", "0.05", "--ollama", ol.URL, "--model", model)
	b := newBrowser(t, chromium)
	b.navigate(srv.AdminLink)
	b.clickToLoad(`[data-testid=signin-continue]`)
	b.wantPath("/account/password")
	b.navigate(srv.URL + "/")
	if got := b.text(`[data-testid=model-note-` + id + `]`); !strings.Contains(got, "language model") {
		t.Fatalf("the catalogue's note on %s is %q, want it to say a language model writes it", id, got)
	}
	b.clickToLoad(`[data-testid=start-` + id + `]`)
	b.waitJS("the customer's opening message", `document.querySelectorAll('[data-testid=msg-customer]').length === 1`)
	lines := []string{
		"Good morning, I'm sorry to hear about this. That sounds really frustrating.",
		"Could you tell me a little more about what happened?",
	}
	for i, line := range lines {
		customers := b.count(`[data-testid=msg-customer]`)
		b.do("type reply "+strconv.Itoa(i+1), chromedp.SendKeys(chromedp.CSS(`[data-testid=reply-text]`), line))
		b.do("send reply "+strconv.Itoa(i+1), chromedp.Click(chromedp.CSS(`[data-testid=send]`)))
		b.waitJS("the customer's answer to reply "+strconv.Itoa(i+1), `(() => {
			const form = document.querySelector('[data-testid=reply-form]');
			return document.querySelectorAll('[data-testid=msg-customer]').length === `+strconv.Itoa(customers+1)+` &&
				(!form || (!form.classList.contains('htmx-request') && form.querySelector('textarea').value === ''));
		})()`)
	}
	sessID := strings.TrimPrefix(b.location().Path, "/sessions/")
	b.do("end the session", chromedp.Click(chromedp.CSS(`[data-testid=end-session]`)))
	b.waitJS("the debrief", `!!document.querySelector('[data-testid=score-overall]')`)
	if n := b.count(`[data-testid=annotation]`); n != len(lines) {
		t.Errorf("the debrief annotates %d agent lines, want %d", n, len(lines))
	}
	b.checkConsole()

	// The customer's words came from the model (the page does not show the source;
	// the API does).
	out := strings.TrimSpace(testserver.Run(t, "token", "create", "--email", "admin@localhost", "--db", db))
	tok := out[strings.LastIndexByte(out, '\n')+1:]
	var sess session
	if st, err := testserver.NewClient(srv.URL, tok).Do(context.Background(), "GET", "/api/v1/sessions/"+sessID, nil, &sess); err != nil || st != 200 {
		t.Fatalf("GET the session: %d %v", st, err)
	}
	models := 0
	for _, m := range sess.Messages {
		if m.Role == scenarios.RoleCustomer && m.Source == scenarios.SourceModel {
			models++
		}
	}
	if models == 0 {
		t.Errorf("no customer message of the browser session came from the model: %+v", sess.Messages)
	}
}
