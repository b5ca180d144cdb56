package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"chatdojo/internal/testenv"
	"chatdojo/internal/testserver"
)

// browserTimeout bounds the whole browser session, so that a hang fails the test
// instead of blocking it until go test's own timeout.
const browserTimeout = 180 * time.Second

// waitTimeout bounds each wait for the page to reach a state. It is generous: a wait
// ends as soon as the state is reached, and on a busy 2-core machine a model-driven
// customer's reply (a CPU model, under the race detector) once took longer than 20 s.
const waitTimeout = 60 * time.Second

// screenshotPath is the README's screenshot of the chat page, written by
// TestBrowserPractice when UPDATE_SCREENSHOT=1.
var screenshotPath = filepath.Join("..", "docs", "screenshot-chat.png")

// xssProbe is an agent message that would run as a script if a page put a message's
// text into its HTML unescaped.
const xssProbe = `<script>window.__xss=1</script>`

// TestBrowserPractice drives real headless Chromium through a practice session:
// sign in with the admin's one-time link, set a password, sign out and sign in again
// with it, filter the catalogue, start the double-charge scenario, chat to a
// resolution with the customer's answers arriving over server-sent events, and read
// the debrief with its scores, mood chart and annotated transcript.
func TestBrowserPractice(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process and Chromium")
	}
	chromium := testenv.Chromium(t)
	srv := testserver.Start(t, filepath.Join(t.TempDir(), "b.db"), "--typing", "0.05")
	if srv.AdminLink == "" {
		t.Fatalf("the first start printed no admin sign-in link:\n%s", srv.Log())
	}
	b := newBrowser(t, chromium)

	// The one-time link's button signs the admin in and asks for a password.
	b.navigate(srv.AdminLink)
	b.clickToLoad(`[data-testid=signin-continue]`)
	b.wantPath("/account/password")
	const email, password = "admin@localhost", "correct horse battery"
	b.do("type the new password", chromedp.SendKeys(chromedp.CSS(`[data-testid=new-password]`), password))
	b.clickToLoad(`[data-testid=set-password]`)
	b.wantPath("/")

	// Sign out with the header's button, and in again with the password.
	b.clickToLoad(`[data-testid=logout]`)
	b.wantPath("/login")
	b.do("fill the sign-in form",
		chromedp.SendKeys(chromedp.CSS(`[data-testid=login-email]`), email),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=login-password]`), password),
	)
	b.clickToLoad(`[data-testid=login-submit]`)
	b.wantPath("/")
	if got := b.text(`[data-testid=signed-in-as]`); !strings.Contains(got, email) {
		t.Fatalf("signed in as %q, want %s", got, email)
	}

	// The catalogue, filtered to live chat: the double-charge card is there, the
	// email scenarios are not.
	b.do("filter by channel", chromedp.SetValue(chromedp.CSS(`[data-testid=filters] select[name=channel]`), "chat"))
	b.clickToLoad(`[data-testid=filters] button[type=submit]`)
	b.wantPath("/")
	if q := b.location().Query(); q.Get("channel") != "chat" {
		t.Fatalf("the filter form sent %q, want channel=chat", q.Encode())
	}
	if n := b.count(`[data-testid=scenario-double-charge]`); n != 1 {
		t.Fatalf("%d double-charge cards with channel=chat, want 1", n)
	}
	if n := b.count(`[data-testid=scenario-blender-doa-email]`); n != 0 {
		t.Fatalf("the channel=chat filter still lists the email scenario blender-doa-email")
	}

	// The chat page: the customer opens.
	b.clickToLoad(`[data-testid=start-double-charge]`)
	chatURL := b.location()
	if !regexp.MustCompile(`^/sessions/[^/]+$`).MatchString(chatURL.Path) {
		t.Fatalf("Start led to %s, want /sessions/ID", chatURL)
	}
	b.waitJS("the customer's opening message", `document.querySelectorAll('[data-testid=msg-customer]').length === 1`)
	// The typing indicator shows only for a moment: a mutation observer records
	// whether it ever did.
	b.do("watch the typing indicator", chromedp.Evaluate[chromedp.Void](`(() => {
		const typing = document.querySelector('[data-testid=typing]');
		window.__sawTyping = false;
		new MutationObserver(() => { if (!typing.hidden) window.__sawTyping = true; })
			.observe(typing, {attributes: true, attributeFilter: ['hidden']});
	})()`))

	// The probe goes first; the customer answers it like any other off-topic line.
	replies := append([]string{xssProbe}, goodScript(t, "double-charge")...)
	for i, line := range replies {
		customers := b.count(`[data-testid=msg-customer]`)
		b.do("type reply "+strconv.Itoa(i+1), chromedp.SendKeys(chromedp.CSS(`[data-testid=reply-text]`), line))
		b.do("send reply "+strconv.Itoa(i+1), chromedp.Click(chromedp.CSS(`[data-testid=send]`)))
		// The agent's message and the customer's answer arrive over the event
		// stream; the form is cleared once the post is answered. Typing the next
		// reply before then would lose it to the form's reset.
		b.waitJS("reply "+strconv.Itoa(i+1)+" and the customer's answer", `(() => {
			const form = document.querySelector('[data-testid=reply-form]');
			return document.querySelectorAll('[data-testid=msg-agent]').length === `+strconv.Itoa(i+1)+` &&
				document.querySelectorAll('[data-testid=msg-customer]').length === `+strconv.Itoa(customers+1)+` &&
				(!form || (!form.classList.contains('htmx-request') && form.querySelector('textarea').value === ''));
		})()`)
		if got := b.lastText(`[data-testid=msg-agent] .bubble`); got != line {
			t.Fatalf("reply %d shows as %q, want %q", i+1, got, line)
		}
	}
	b.waitJS("the outcome", `!!document.querySelector('[data-testid=outcome]')`)
	b.do("the outcome is visible", chromedp.WaitVisible(chromedp.CSS(`[data-testid=outcome]`)))
	if got := b.text(`[data-testid=outcome]`); !strings.Contains(got, "Resolved") {
		t.Fatalf("outcome %q, want it to say Resolved", got)
	}
	if n := b.count(`[data-testid=reply-form]`); n != 0 {
		t.Errorf("the reply form is still there after the session ended")
	}
	if !eval[bool](b, `window.__sawTyping === true`) {
		t.Errorf("the typing indicator never showed while the customer typed")
	}
	if !eval[bool](b, `document.querySelector('[data-testid=typing]').hidden`) {
		t.Errorf("the typing indicator still shows after the session ended")
	}

	// The probe is shown as text and never ran, on the chat page. (Its message came
	// over the event stream: the page rendered by the server is checked below.)
	b.checkNoXSS("the chat page")
	agentTexts := eval[[]string](b, `Array.from(document.querySelectorAll('[data-testid=msg-agent] .bubble'), e => e.textContent)`)
	if diff := cmp.Diff(replies, agentTexts); diff != "" {
		t.Errorf("agent messages on the chat page (-sent +shown):\n%s", diff)
	}

	shot, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.fatalf("screenshot: %v", err)
	}
	if !bytes.HasPrefix(shot, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("the screenshot is not a PNG (%d bytes)", len(shot))
	}
	if os.Getenv("UPDATE_SCREENSHOT") == "1" {
		if err := os.WriteFile(screenshotPath, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", screenshotPath, len(shot))
	}

	// The debrief: the scores are numbers, the mood chart is drawn, every agent
	// message has its annotation with feedback.
	b.clickToLoad(`[data-testid=debrief-link]`)
	if !strings.HasSuffix(b.location().Path, "/debrief") {
		t.Fatalf("the debrief link led to %s", b.location())
	}
	for _, id := range []string{"score-overall", "score-empathy", "score-de-escalation"} {
		got := b.text(`[data-testid=` + id + `] .value`)
		if n, err := strconv.Atoi(strings.TrimSpace(got)); err != nil || n < 0 || n > 100 {
			t.Errorf("%s shows %q, want a number from 0 to 100", id, got)
		}
	}
	if n := b.count(`[data-testid=mood-chart] svg`); n != 1 {
		t.Errorf("%d svg in the mood chart, want 1", n)
	}
	if n := b.count(`[data-testid=mood-chart] svg polyline`); n < 1 {
		t.Errorf("the mood chart has no polyline")
	}
	if n := b.count(`[data-testid=annotation]`); n != len(replies) {
		t.Errorf("%d annotations, want one for each of the %d agent messages", n, len(replies))
	}
	feedback := eval[[]string](b, `Array.from(document.querySelectorAll('[data-testid=feedback]'), e => e.textContent.trim())`)
	if len(feedback) != len(replies) {
		t.Errorf("%d feedback lines, want %d", len(feedback), len(replies))
	}
	for i, f := range feedback {
		if f == "" {
			t.Errorf("the feedback on agent message %d is empty", i+1)
		}
	}
	b.checkNoXSS("the debrief")

	// The chat page of the ended session, as the server renders it: the same
	// conversation, the outcome, no reply form.
	b.navigate(chatURL.String())
	b.do("the outcome is visible", chromedp.WaitVisible(chromedp.CSS(`[data-testid=outcome]`)))
	b.checkNoXSS("the reloaded chat page")
	reloaded := eval[[]string](b, `Array.from(document.querySelectorAll('[data-testid=msg-agent] .bubble'), e => e.textContent)`)
	if diff := cmp.Diff(replies, reloaded); diff != "" {
		t.Errorf("agent messages on the reloaded chat page (-sent +shown):\n%s", diff)
	}
	if n := b.count(`[data-testid=reply-form]`); n != 0 {
		t.Errorf("the reloaded chat page of an ended session has a reply form")
	}
	b.checkConsole()
}

// browser is one headless Chromium tab of a test.
type browser struct {
	t *testing.T
	// ctx runs the test's actions; it ends browserTimeout after the start.
	ctx context.Context
	// tab is the tab's context without that timeout, to read the page when a test
	// fails, even after ctx has ended.
	tab context.Context

	mu sync.Mutex
	// problems are the console's errors and the pages' uncaught exceptions.
	problems []string
}

// newBrowser starts headless Chromium with one tab; it stops when the test ends.
// The page's HTML is logged when the test fails.
func newBrowser(t *testing.T, execPath string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1200, 900),
	)
	// The allocator outlives the actions' timeout by a little, so that a test that
	// timed out can still read the page for its log; then Chromium is killed.
	root, cancelRoot := context.WithTimeout(context.Background(), browserTimeout+30*time.Second)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancel := context.WithTimeout(tab, browserTimeout)
	b := &browser{t: t, ctx: ctx, tab: tab}
	t.Cleanup(func() {
		if t.Failed() {
			b.logPage()
		}
		cancel()
		cancelTab()
		cancelAlloc() // waits for Chromium to exit
		cancelRoot()
	})
	// The first action starts Chromium and binds it to the tab's context. The
	// window's size includes the browser's own bars, so the viewport is set too:
	// the screenshot is 1200x900.
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatalf("start Chromium (%s): %v", execPath, err)
	}
	// Every page's errors are recorded, for checkConsole.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// The app has no favicon; the browser's request for one is not the
			// pages' doing.
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !strings.HasSuffix(m.URL, "/favicon.ico") {
				b.mu.Lock()
				b.problems = append(b.problems, m.URL+": "+m.String())
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// checkConsole fails the test when a page wrote an error to the console or threw an
// uncaught exception.
func (b *browser) checkConsole() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("console: %s", p)
	}
}

// logPage logs the page's address and its body's HTML.
func (b *browser) logPage() {
	ctx, cancel := context.WithTimeout(b.tab, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.outerHTML : document.documentElement.outerHTML`))
	if err != nil {
		b.t.Logf("page %s: cannot read its HTML: %v", loc, err)
		return
	}
	b.t.Logf("page %s:\n%s", loc, html)
}

// fatalf fails the test now; the page is logged by the cleanup.
func (b *browser) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf(format, args...)
}

// do runs actions, failing the test with what they were for.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

func (b *browser) navigate(u string) {
	b.t.Helper()
	b.do("open "+u, chromedp.Navigate(u))
}

// clickToLoad clicks an element that leads to another page (a link, a form's button)
// and waits for that page's load event.
func (b *browser) clickToLoad(sel string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		b.fatalf("click %s and wait for the next page: %v", sel, err)
	}
}

// location is the page's address.
func (b *browser) location() *url.URL {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.fatalf("read the location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.fatalf("location %q: %v", loc, err)
	}
	return u
}

func (b *browser) wantPath(path string) {
	b.t.Helper()
	if got := b.location(); got.Path != path {
		b.fatalf("at %s, want the path %s", got, path)
	}
}

// text is the visible text of the first element sel matches, waiting for it.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fatalf("read the text of %s: %v", sel, err)
	}
	return s
}

// lastText is the text content of the last element sel matches, "" when none does.
func (b *browser) lastText(sel string) string {
	b.t.Helper()
	return eval[string](b, `(() => { const es = document.querySelectorAll(`+jsString(sel)+`);
		return es.length ? es[es.length - 1].textContent : ''; })()`)
}

// count is how many elements sel matches now.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, `document.querySelectorAll(`+jsString(sel)+`).length`)
}

// waitJS polls a JavaScript condition until it is true, failing the test after
// waitTimeout.
func (b *browser) waitJS(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if b.ctx.Err() != nil || time.Now().After(deadline) {
			if err == nil {
				err = errors.New("still false")
			}
			b.fatalf("waiting for %s: gave up after %s: %v", what, waitTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkNoXSS checks that the page shows the probe as text and that it never ran.
func (b *browser) checkNoXSS(where string) {
	b.t.Helper()
	if !eval[bool](b, `document.body.textContent.includes(`+jsString(xssProbe)+`)`) {
		b.t.Errorf("%s does not show the message %s as text", where, xssProbe)
	}
	if got := eval[string](b, `typeof window.__xss`); got != "undefined" {
		b.t.Errorf("on %s window.__xss is a %s: the message %s ran as a script", where, got, xssProbe)
	}
	if n := b.count(`[data-testid=msg-agent] script, [data-testid=transcript] script`); n != 0 {
		b.t.Errorf("%s has %d script elements inside messages", where, n)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	data, _ := json.Marshal(s)
	return string(data)
}
