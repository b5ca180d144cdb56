package web_test

import (
	"net/url"
	"strings"
	"testing"

	"chatdojo/web"
)

// TestSmokeChat starts a session through the pages, answers once, and sees the
// customer's answer on the chat page.
func TestSmokeChat(t *testing.T) {
	a := newApp(t, false)
	b, _ := a.user("dana.trainee@example.com", web.RoleTrainee)
	b.get("/")
	r := b.post("/sessions", url.Values{"scenario": {"double-charge"}})
	if r.StatusCode != 200 || !strings.Contains(r.URL, "/sessions/s_") {
		t.Fatalf("start: status %d at %s", r.StatusCode, r.URL)
	}
	chat := r.URL
	r = b.post(strings.TrimPrefix(chat, a.URL)+"/messages", url.Values{"text": {"Hi Dana, I'm so sorry about the double charge. Could you confirm the email on the account?"}})
	if r.StatusCode != 200 {
		t.Fatalf("post: status %d: %s", r.StatusCode, r.Body)
	}
	if n := strings.Count(r.Body, `data-testid="msg-customer"`); n != 2 {
		t.Errorf("the chat shows %d customer messages after one reply, want 2 (the opening and the answer)", n)
	}
}
