package web_test

import (
	"context"
	"crypto/rand"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/internal/testenv"
	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/store"
	"chatdojo/web"
)

// app is a chatdojo web app on a real database, served by httptest.
type app struct {
	t        *testing.T
	URL      string
	Store    *store.Store
	Practice *web.Practice
	Server   *web.Server
	// Now is the app's clock; tests may move it (SetNow).
	mu  sync.Mutex
	now time.Time
	// cfg is the practice service's configuration, to build a second one.
	cfg web.PracticeConfig
}

var (
	clsOnce sync.Once
	cls     *moves.Classifier
)

// sharedClassifier builds the moves classifier once: it is safe for concurrent use.
func sharedClassifier() *moves.Classifier {
	clsOnce.Do(func() { cls = moves.New() })
	return cls
}

// newApp starts the app on a fresh SQLite file, or on a fresh PostgreSQL database
// when pg is true (skipped without TEST_POSTGRES_DSN outside CI).
func newApp(t *testing.T, pg bool) *app {
	t.Helper()
	return newAppWith(t, pg, nil)
}

// newAppWith is newApp with a change to the practice service's configuration (a model
// customer, say).
func newAppWith(t *testing.T, pg bool, customize func(*web.PracticeConfig)) *app {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "test.db")
	if pg {
		dsn = testenv.FreshPostgresDB(t)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cat, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{}
	for _, sc := range cat.All() {
		src, err := fs.ReadFile(library.FS(), sc.File)
		if err != nil {
			t.Fatal(err)
		}
		sources[sc.ID] = src
	}
	a := &app{t: t, Store: st, now: time.Now().UTC()}
	c := sharedClassifier()
	cfg := web.PracticeConfig{
		Store: st, Catalog: cat, Sources: sources, Classifier: c, Now: a.Now,
		Grader: grading.New(c, grading.Options{Lookup: func(id string) (*scenarios.Scenario, bool) {
			sc, err := cat.FindScenarioByID(id)
			return sc, err == nil
		}}),
	}
	if customize != nil {
		customize(&cfg)
	}
	a.cfg = cfg
	p, err := web.NewPractice(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	srv, err := web.New(web.Config{Store: st, Practice: p, Now: a.Now, CSRFKey: key, Typing: 0, Poll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.CloseStreams()
		hs.Close()
	})
	srv.SetBaseURL(hs.URL)
	a.URL, a.Practice, a.Server = hs.URL, p, srv
	return a
}

// Now is the app's clock.
func (a *app) Now() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.now
}

// Advance moves the app's clock forward.
func (a *app) Advance(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.now = a.now.Add(d)
}

// user creates a user with a role and returns a browser signed in as them (through
// their one-time sign-in link) and an API token.
func (a *app) user(email string, role web.Role) (*browser, string) {
	a.t.Helper()
	ctx := context.Background()
	u, link, err := web.CreateUser(ctx, a.Store, email, "", role, a.URL, a.Now())
	if err != nil {
		a.t.Fatal(err)
	}
	tok, err := web.CreateToken(ctx, a.Store, u, "test", a.Now())
	if err != nil {
		a.t.Fatal(err)
	}
	b := newBrowser(a.t, a.URL)
	b.get(link)
	resp := b.post(link, nil)
	if resp.StatusCode != 200 {
		a.t.Fatalf("sign in %s by link: status %d", email, resp.StatusCode)
	}
	return b, tok
}

// browser is an HTTP client with cookies that reads CSRF tokens from pages, like a
// browser without JavaScript.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	// csrf is the token of the last page read.
	csrf string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// response is a read response.
type response struct {
	StatusCode int
	Body       string
	Header     http.Header
	// URL is where the request ended, after redirects.
	URL string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return response{StatusCode: resp.StatusCode, Body: string(body), Header: resp.Header, URL: resp.Request.URL.String()}
}

// get fetches a page (a path or a full URL).
func (b *browser) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.abs(path), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post submits a form with the CSRF token of the last page read (unless the form
// sets csrf_token itself; an empty value sends none).
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["csrf_token"]; !set {
		form.Set("csrf_token", b.csrf)
	} else if form.Get("csrf_token") == "" {
		form.Del("csrf_token")
	}
	req, err := http.NewRequest("POST", b.abs(path), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) abs(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.base + path
}
