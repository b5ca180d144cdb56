package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chatdojo/web"
)

// startChat starts a double-charge session through the pages and returns its path.
func startChat(t *testing.T, b *browser) string {
	t.Helper()
	b.get("/")
	r := b.post("/sessions", url.Values{"scenario": {"double-charge"}})
	i := strings.Index(r.URL, "/sessions/s_")
	if r.StatusCode != 200 || i < 0 {
		t.Fatalf("start a session: status %d at %s", r.StatusCode, r.URL)
	}
	return r.URL[i:]
}

// TestTraineeCannotReadOthersSessions checks that a session is invisible to another
// trainee — its chat page, stream, debrief, API object, grade and events all answer
// 404, and the history does not list it — while a trainer and an admin can read it.
func TestTraineeCannotReadOthersSessions(t *testing.T) {
	a := newApp(t, false)
	alice, _ := a.user("alice@example.com", web.RoleTrainee)
	bob, bobTok := a.user("bob@example.com", web.RoleTrainee)
	trainer, trainerTok := a.user("tess@example.com", web.RoleTrainer)
	admin, _ := a.user("root@example.com", web.RoleAdmin)

	chat := startChat(t, alice)
	id := strings.TrimPrefix(chat, "/sessions/")
	alice.post(chat+"/messages", url.Values{"text": {"Hi Dana, I'm sorry about the double charge. What's the email on the account?"}})
	alice.post(chat+"/end", nil)

	for _, path := range []string{chat, chat + "/debrief", chat + "/stream?after=0"} {
		if r := bob.get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("bob GET %s: status %d, want 404", path, r.StatusCode)
		} else if strings.Contains(r.Body, "double charge") {
			t.Errorf("bob GET %s: the 404 page shows the conversation", path)
		}
	}
	bob.get("/")
	if r := bob.post(chat+"/messages", url.Values{"text": {"hijack"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("bob posting into alice's session: status %d, want 404", r.StatusCode)
	}
	if r := bob.get("/history"); strings.Contains(r.Body, id) {
		t.Errorf("bob's history lists alice's session %s", id)
	}

	for _, path := range []string{"", "/grade", "/events?after=0"} {
		st, body := apiGet(t, a.URL+"/api/v1/sessions/"+id+path, bobTok)
		if st != http.StatusNotFound {
			t.Errorf("bob API GET /sessions/%s%s: status %d, want 404", id, path, st)
		}
		var e struct{ Error struct{ Code string } }
		if json.Unmarshal([]byte(body), &e); e.Error.Code != "not_found" {
			t.Errorf("bob API GET /sessions/%s%s: error code %q, want not_found (body %s)", id, path, e.Error.Code, body)
		}
	}

	// A trainer and an admin read it, but do not write in it.
	for name, b := range map[string]*browser{"trainer": trainer, "admin": admin} {
		if r := b.get(chat + "/debrief"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `data-testid="scores"`) {
			t.Errorf("%s reading alice's debrief: status %d", name, r.StatusCode)
		}
		if r := b.get("/history"); !strings.Contains(r.Body, id) {
			t.Errorf("%s's history does not list alice's session", name)
		}
	}
	if st, _ := apiGet(t, a.URL+"/api/v1/sessions/"+id, trainerTok); st != http.StatusOK {
		t.Errorf("trainer API GET: status %d, want 200", st)
	}
}

func apiGet(t *testing.T, u, tok string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5e9)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil || b.Len() > 1<<20 {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// TestFormWithoutCSRFTokenIsRefused posts every kind of form without the CSRF token
// (and with a wrong one): each is refused with 403 and changes nothing.
func TestFormWithoutCSRFTokenIsRefused(t *testing.T) {
	a := newApp(t, false)
	b, _ := a.user("carol@example.com", web.RoleAdmin)
	chat := startChat(t, b)
	ctx := context.Background()
	before, err := a.Store.FindSessions(ctx, web.SessionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	forms := []struct {
		path string
		form url.Values
	}{
		{"/sessions", url.Values{"scenario": {"double-charge"}}},
		{chat + "/messages", url.Values{"text": {"Hello"}}},
		{chat + "/end", url.Values{}},
		{"/account/tokens", url.Values{"name": {"x"}}},
		{"/admin/users", url.Values{"email": {"mallory@example.com"}, "role": {"admin"}}},
		{"/account/password", url.Values{"password": {"hunter2hunter2"}}},
		{"/logout", url.Values{}},
	}
	for _, f := range forms {
		for _, tok := range []string{"", "forged-token"} {
			form := url.Values{}
			for k, v := range f.form {
				form[k] = v
			}
			form.Set("csrf_token", tok)
			if r := b.post(f.path, form); r.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with csrf_token=%q: status %d, want 403", f.path, tok, r.StatusCode)
			}
		}
	}
	after, err := a.Store.FindSessions(ctx, web.SessionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || after[0].Outcome != "" {
		t.Errorf("refused forms changed the sessions: before %+v, after %+v", before, after)
	}
	if _, err := a.Store.FindUserByEmail(ctx, "mallory@example.com"); err == nil {
		t.Error("a refused invitation created the user")
	}
	sess, err := a.Store.FindSessionByID(ctx, strings.TrimPrefix(chat, "/sessions/"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Messages) != 1 {
		t.Errorf("a refused message was stored: %d messages", len(sess.Messages))
	}
	// The same browser with the token still works: the refusals were about the token.
	b.get(chat)
	if r := b.post(chat+"/messages", url.Values{"text": {"Hello Dana"}}); r.StatusCode != http.StatusOK {
		t.Errorf("posting with the token: status %d", r.StatusCode)
	}
}

// TestScriptTagIsText sends a message with HTML in it: every page and stream shows it
// as text, never as markup.
func TestScriptTagIsText(t *testing.T) {
	a := newApp(t, false)
	b, tok := a.user("dave@example.com", web.RoleTrainee)
	chat := startChat(t, b)
	evil := `<script>alert("x")</script><img src=x onerror=alert(1)> I'm sorry about that`
	if r := b.post(chat+"/messages", url.Values{"text": {evil}}); r.StatusCode != http.StatusOK {
		t.Fatalf("post: status %d", r.StatusCode)
	}
	b.post(chat+"/end", nil)
	id := strings.TrimPrefix(chat, "/sessions/")
	pages := map[string]string{"chat": b.get(chat).Body, "debrief": b.get(chat + "/debrief").Body, "report": b.get("/report").Body}
	// The session has ended, so its stream sends every message and closes.
	pages["stream"] = b.get(chat + "/stream?after=0").Body
	for name, body := range pages {
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s page has the message's markup unescaped", name)
		}
		if name != "report" && !strings.Contains(body, "&lt;script&gt;alert(") {
			t.Errorf("%s page does not show the message as escaped text", name)
		}
	}
	// The API returns the text as it was written (JSON is not HTML).
	st, body := apiGet(t, a.URL+"/api/v1/sessions/"+id, tok)
	var s struct{ Messages []struct{ Text string } }
	if err := json.Unmarshal([]byte(body), &s); st != 200 || err != nil || s.Messages[1].Text != evil {
		t.Errorf("API session: status %d, err %v, text %q", st, err, s.Messages)
	}
}

// TestLoginRateLimit fails a password five times and checks that the sixth attempt,
// even with the right password, waits; a success before the limit resets the count.
func TestLoginRateLimit(t *testing.T) {
	a := newApp(t, false)
	b, _ := a.user("erin@example.com", web.RoleTrainee)
	b.get("/account/password")
	if r := b.post("/account/password", url.Values{"password": {"correct horse battery"}}); r.StatusCode != http.StatusOK {
		t.Fatalf("set password: status %d", r.StatusCode)
	}
	guest := newBrowser(t, a.URL)
	guest.get("/login")
	login := func(pw string) int {
		return guest.post("/login", url.Values{"email": {"erin@example.com"}, "password": {pw}}).StatusCode
	}
	for i := 0; i < 5; i++ {
		if st := login("wrong password"); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d with a wrong password: status %d, want 401", i+1, st)
		}
	}
	if st := login("correct horse battery"); st != http.StatusTooManyRequests {
		t.Errorf("the right password after 5 failures: status %d, want 429", st)
	}
	a.Advance(16 * 60e9)
	if st := login("correct horse battery"); st != http.StatusOK {
		t.Errorf("the right password after the window: status %d, want 200", st)
	}
	if r := guest.get("/history"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "erin@example.com") {
		t.Errorf("not signed in after a successful login: status %d", r.StatusCode)
	}
	// Signing out ends the session: the cookie no longer opens pages.
	guest.post("/logout", nil)
	if r := guest.get("/history"); !strings.HasSuffix(r.URL, "/login") {
		t.Errorf("after sign-out /history ends at %s, want the login page", r.URL)
	}
}

// TestSigninLinkIsOneTime uses an invitation link twice: the second use is refused.
func TestSigninLinkIsOneTime(t *testing.T) {
	a := newApp(t, false)
	admin, _ := a.user("fay@example.com", web.RoleAdmin)
	admin.get("/admin/users")
	r := admin.post("/admin/users", url.Values{"email": {"New.Hire@Example.com"}, "role": {"trainee"}})
	i := strings.Index(r.Body, a.URL+"/signin/")
	if r.StatusCode != 200 || i < 0 {
		t.Fatalf("invite: status %d, no link in the page", r.StatusCode)
	}
	link := r.Body[i : i+strings.IndexByte(r.Body[i:], '<')]
	nb := newBrowser(t, a.URL)
	// Opening the link (as a mail scanner would) does not use it up.
	for i := 0; i < 2; i++ {
		if r := nb.get(link); r.StatusCode != 200 || !strings.Contains(r.Body, `data-testid="signin-continue"`) {
			t.Fatalf("opening the link: status %d", r.StatusCode)
		}
	}
	if r := nb.post(link, nil); r.StatusCode != 200 || !strings.Contains(r.Body, "new.hire@example.com (trainee)") {
		t.Fatalf("first use of the link: status %d", r.StatusCode)
	}
	other := newBrowser(t, a.URL)
	other.get(link)
	if r := other.post(link, nil); r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "already used") {
		t.Errorf("second use of the link: status %d, want 404 saying it was used", r.StatusCode)
	}
	// A trainee cannot invite.
	nb.get("/")
	if r := nb.post("/admin/users", url.Values{"email": {"x@example.com"}, "role": {"admin"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a trainee inviting: status %d, want 403", r.StatusCode)
	}
	// A duplicate invitation says so.
	if r := admin.post("/admin/users", url.Values{"email": {"new.hire@example.com"}, "role": {"trainee"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "already exists") {
		t.Errorf("inviting an existing email: status %d", r.StatusCode)
	}
}

// TestLimits sends a message over the length limit and a body over the size limit:
// each gets a clear error and nothing is stored.
func TestLimits(t *testing.T) {
	a := newApp(t, false)
	b, _ := a.user("gus@example.com", web.RoleTrainee)
	chat := startChat(t, b)
	r := b.post(chat+"/messages", url.Values{"text": {strings.Repeat("a", web.MaxMessageBytes+1)}})
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "limit is 4000") {
		t.Errorf("a message over the limit: status %d", r.StatusCode)
	}
	r = b.post(chat+"/messages", url.Values{"text": {strings.Repeat("a", 70<<10)}})
	if r.StatusCode != http.StatusRequestEntityTooLarge && r.StatusCode != http.StatusForbidden {
		t.Errorf("a body over 64 KiB: status %d, want 413 (or 403 when the form could not be read)", r.StatusCode)
	}
	r = b.post(chat+"/messages", url.Values{"text": {"   "}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "empty") {
		t.Errorf("an empty message: status %d", r.StatusCode)
	}
	sess, err := a.Store.FindSessionByID(context.Background(), strings.TrimPrefix(chat, "/sessions/"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Messages) != 1 {
		t.Errorf("rejected messages were stored: %d messages", len(sess.Messages))
	}
}
