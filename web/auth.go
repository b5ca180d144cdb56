package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/csrf"
	"golang.org/x/crypto/bcrypt"

	"chatdojo/scenarios"
	"chatdojo/web/views"
)

const (
	sessionCookie = "chatdojo_session"
	// webSessionTTL is how long a browser stays signed in.
	webSessionTTL = 14 * 24 * time.Hour
	// LoginLinkTTL is how long a one-time sign-in link is valid.
	LoginLinkTTL = 7 * 24 * time.Hour
	// minPassword is the shortest password accepted.
	minPassword = 10
)

// newSecret returns a random token for a link, cookie or API token.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is what the database keeps of a secret: its SHA-256, so a copy of the
// database does not sign anyone in.
func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// CreateUser creates a user without a password and returns a one-time sign-in link for
// them. baseURL is where the app is reached.
func CreateUser(ctx context.Context, st Store, email, name string, role Role, baseURL string, now time.Time) (*User, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\n<>") || len(email) > 254 {
		return nil, "", scenarios.Errorf(scenarios.EINVALID, "%q is not an email address", email)
	}
	if !role.Valid() {
		return nil, "", scenarios.Errorf(scenarios.EINVALID, "unknown role %q, expected admin, trainer or trainee", role)
	}
	if len(name) > 100 {
		return nil, "", scenarios.Errorf(scenarios.EINVALID, "the name is longer than 100 characters")
	}
	u := &User{ID: newID("u_"), Email: email, Name: strings.TrimSpace(name), Role: role, CreatedAt: now}
	if err := st.CreateUser(ctx, u); err != nil {
		return nil, "", err
	}
	link, err := NewLoginLink(ctx, st, u, baseURL, now)
	if err != nil {
		return nil, "", err
	}
	return u, link, nil
}

// NewLoginLink makes a one-time sign-in link for u, valid for LoginLinkTTL.
func NewLoginLink(ctx context.Context, st Store, u *User, baseURL string, now time.Time) (string, error) {
	tok := newSecret()
	if err := st.CreateLoginLink(ctx, LoginLink{TokenHash: hashSecret(tok), UserID: u.ID, ExpiresAt: now.Add(LoginLinkTTL)}); err != nil {
		return "", err
	}
	return strings.TrimRight(baseURL, "/") + "/signin/" + tok, nil
}

// CreateToken makes a new API token for u and returns it; only its hash is kept.
func CreateToken(ctx context.Context, st Store, u *User, name string, now time.Time) (string, error) {
	if len(name) > 100 {
		return "", scenarios.Errorf(scenarios.EINVALID, "the token name is longer than 100 characters")
	}
	tok := "cdj_" + newSecret()
	t := Token{ID: newID("t_"), UserID: u.ID, Name: strings.TrimSpace(name), Hash: hashSecret(tok), CreatedAt: now}
	if err := st.CreateToken(ctx, t); err != nil {
		return "", err
	}
	return tok, nil
}

type ctxKey int

const userKey ctxKey = 0

// userFrom returns the signed-in user of a request, or nil.
func userFrom(r *http.Request) *User {
	u, _ := r.Context().Value(userKey).(*User)
	return u
}

func withUser(r *http.Request, u *User) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), userKey, u))
}

// webAuth finds the user of the session cookie, if any.
func (s *Server) webAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, err := s.store.FindWebSession(r.Context(), hashSecret(c.Value), s.now())
			if err == nil {
				r = withUser(r, u)
			} else if scenarios.ErrorCode(err) != scenarios.ENOTFOUND {
				s.renderError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// requireUser refuses requests from browsers that are not signed in.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r) == nil {
			s.renderError(w, r, scenarios.Errorf(scenarios.EUNAUTHORIZED, "Please sign in."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// apiAuth signs API requests in by their bearer token.
func (s *Server) apiAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The scheme name is case-insensitive (RFC 9110).
		h := r.Header.Get("Authorization")
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			writeJSONError(w, http.StatusUnauthorized, scenarios.EUNAUTHORIZED, "missing API token: send Authorization: Bearer TOKEN (make one with `chatdojo token create` or on the API tokens page)")
			return
		}
		u, err := s.store.FindUserByToken(r.Context(), hashSecret(strings.TrimSpace(tok)), s.now())
		if err != nil {
			if scenarios.ErrorCode(err) == scenarios.ENOTFOUND {
				writeJSONError(w, http.StatusUnauthorized, scenarios.EUNAUTHORIZED, "unknown or revoked API token")
				return
			}
			s.log.Error("api auth", "err", err)
			writeJSONError(w, http.StatusInternalServerError, scenarios.EINTERNAL, "Internal error.")
			return
		}
		next.ServeHTTP(w, withUser(r, u))
	})
}

// pageFor is the layout's view model for a request.
func (s *Server) pageFor(r *http.Request, title string) views.Page {
	p := views.Page{Title: title, CSRF: string(csrf.TemplateField(r))}
	if u := userFrom(r); u != nil {
		p.User, p.Role = u.Email, string(u.Role)
	}
	return p
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return render(w, r, views.Login(views.LoginPage{Page: s.pageFor(r, "Sign in")}))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	fail := func(msg string, st int) error {
		w.WriteHeader(st)
		return render(w, r, views.Login(views.LoginPage{Page: s.pageFor(r, "Sign in"), Email: email, Error: msg}))
	}
	ip := clientIP(r)
	if !s.limiter.allow(ip, email) {
		return fail("Too many failed sign-ins. Wait a few minutes and try again.", http.StatusTooManyRequests)
	}
	u, err := s.store.FindUserByEmail(r.Context(), email)
	if err != nil && scenarios.ErrorCode(err) != scenarios.ENOTFOUND {
		return err
	}
	if u == nil || u.PasswordHash == "" || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		s.limiter.fail(ip, email)
		return fail("Wrong email or password.", http.StatusUnauthorized)
	}
	s.limiter.reset(ip, email)
	if err := s.signIn(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// signIn starts a browser session for u.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, u *User) error {
	tok := newSecret()
	exp := s.now().Add(webSessionTTL)
	if err := s.store.CreateWebSession(r.Context(), WebSession{TokenHash: hashSecret(tok), UserID: u.ID, ExpiresAt: exp}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: tok, Path: "/", Expires: exp, MaxAge: int(webSessionTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r),
	})
	return nil
}

// isHTTPS reports whether the browser reached the app over HTTPS (directly, or through
// a proxy that says so): cookies are then marked Secure.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// signinLinkPage is where a one-time link lands: a button that signs in. Opening the
// link does not use it up, so mail scanners and link previews that fetch it do not
// burn it; the button's POST does.
func (s *Server) signinLinkPage(w http.ResponseWriter, r *http.Request) error {
	return render(w, r, views.SigninLink(views.SigninLinkPage{Page: s.pageFor(r, "Sign in"), Token: chi.URLParam(r, "token")}))
}

// signinLink signs a browser in with a one-time link, once; a used or expired link
// says so.
func (s *Server) signinLink(w http.ResponseWriter, r *http.Request) error {
	u, err := s.store.ConsumeLoginLink(r.Context(), hashSecret(chi.URLParam(r, "token")), s.now())
	if err != nil {
		return err
	}
	if err := s.signIn(w, r, u); err != nil {
		return err
	}
	if u.PasswordHash == "" {
		http.Redirect(w, r, "/account/password", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteWebSession(r.Context(), hashSecret(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r)})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) error {
	return render(w, r, views.Password(views.PasswordPage{Page: s.pageFor(r, "Set your password")}))
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) error {
	pw := r.PostFormValue("password")
	if len([]rune(pw)) < minPassword || len(pw) > 72 {
		w.WriteHeader(http.StatusBadRequest)
		return render(w, r, views.Password(views.PasswordPage{Page: s.pageFor(r, "Set your password"), Error: "Use at least 10 characters (and at most 72 bytes)."}))
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(r.Context(), userFrom(r).ID, string(hash)); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// clientIP is the address a request came from (the first X-Forwarded-For hop when a
// proxy sets one).
func clientIP(r *http.Request) string {
	if f := r.Header.Get("X-Forwarded-For"); f != "" {
		return strings.TrimSpace(strings.Split(f, ",")[0])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginLimiter slows password guessing: after 5 failures for an address or an email
// within 15 minutes, sign-ins from it (or for it) wait until the window has passed. It
// is per instance; behind a load balancer each instance counts on its own.
type loginLimiter struct {
	now   func() time.Time
	mu    sync.Mutex
	fails map[string][]time.Time
}

const (
	loginWindow   = 15 * time.Minute
	loginAttempts = 5
)

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, fails: map[string][]time.Time{}}
}

func (l *loginLimiter) recent(key string) int {
	cutoff := l.now().Add(-loginWindow)
	ts := l.fails[key]
	i := 0
	for i < len(ts) && ts[i].Before(cutoff) {
		i++
	}
	l.fails[key] = ts[i:]
	if len(l.fails[key]) == 0 {
		delete(l.fails, key)
	}
	return len(ts) - i
}

func (l *loginLimiter) allow(ip, email string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.recent("ip:"+ip) < loginAttempts && l.recent("email:"+email) < loginAttempts
}

func (l *loginLimiter) fail(ip, email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.fails["ip:"+ip] = append(l.fails["ip:"+ip], now)
	l.fails["email:"+email] = append(l.fails["email:"+email], now)
}

func (l *loginLimiter) reset(ip, email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, "ip:"+ip)
	delete(l.fails, "email:"+email)
}
