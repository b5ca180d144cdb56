// Package web is chatdojo's web app and JSON API: chi routes, handlers, middleware,
// server-sent events, and the practice service that runs sessions on the database. Pages
// are templ views (web/views); static files are embedded (web/static).
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/gorilla/csrf"

	"chatdojo/docs"
	"chatdojo/scenarios"
	"chatdojo/web/views"
)

//go:embed static
var staticFiles embed.FS

// Limits on what a client may send.
const (
	// MaxMessageBytes is the longest agent message accepted.
	MaxMessageBytes = 4000
	// maxBodyBytes bounds every request body.
	maxBodyBytes = 64 << 10
)

// Server is the web app.
type Server struct {
	store    Store
	practice *Practice
	log      *slog.Logger
	now      func() time.Time
	baseURL  string
	limiter  *loginLimiter
	// typing scales the customer's typing delay on the chat page; 0 turns it off.
	typing float64
	// poll is how often a live stream looks for changes made through another instance.
	poll    time.Duration
	handler http.Handler
	// closing is closed when the server shuts down, to end the event streams.
	closing   chan struct{}
	closeOnce sync.Once
}

// CloseStreams ends the open event streams, so that a graceful shutdown need not wait
// for them.
func (s *Server) CloseStreams() {
	s.closeOnce.Do(func() { close(s.closing) })
}

// Config builds a Server.
type Config struct {
	Store    Store
	Practice *Practice
	Log      *slog.Logger
	Now      func() time.Time
	// BaseURL is where users reach the app, for links ("http://localhost:8080").
	BaseURL string
	// CSRFKey signs CSRF tokens: 32 bytes, the same on every instance.
	CSRFKey []byte
	// Typing scales the typing delay (1 = about a person's speed, 0 = none).
	Typing float64
	// Poll is how often live streams look for changes from other instances; default 1s.
	Poll time.Duration
}

// New builds the web app.
func New(cfg Config) (*Server, error) {
	if len(cfg.CSRFKey) != 32 {
		return nil, fmt.Errorf("web: the CSRF key must be 32 bytes, got %d", len(cfg.CSRFKey))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	s := &Server{
		store: cfg.Store, practice: cfg.Practice, log: cfg.Log, now: cfg.Now,
		baseURL: strings.TrimRight(cfg.BaseURL, "/"), limiter: newLoginLimiter(cfg.Now),
		typing: cfg.Typing, poll: cfg.Poll, closing: make(chan struct{}),
	}
	s.handler = s.routes(cfg.CSRFKey)
	return s, nil
}

// ServeHTTP serves the app.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// SetBaseURL sets where users reach the app, once the listener's port is known.
func (s *Server) SetBaseURL(u string) { s.baseURL = strings.TrimRight(u, "/") }

func (s *Server) routes(csrfKey []byte) http.Handler {
	r := chi.NewRouter()
	r.Use(s.recoverer, s.logRequests, limitBody)

	static, _ := fs.Sub(staticFiles, "static")
	r.Handle("/static/*", http.StripPrefix("/static/", cacheStatic(http.FileServer(http.FS(static)))))
	r.Get("/healthz", s.healthz)
	r.Get("/docs/api", s.page(s.apiDocs))
	r.Get("/docs/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		w.Write(docs.OpenAPI)
	})

	// The JSON API: bearer tokens, no cookies, so no CSRF token either.
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(s.apiAuth)
		r.Get("/scenarios", s.api(s.apiScenarios))
		r.Post("/sessions", s.api(s.apiStartSession))
		r.Get("/sessions", s.api(s.apiSessions))
		r.Get("/sessions/{id}", s.api(s.apiSession))
		r.Post("/sessions/{id}/messages", s.api(s.apiPostMessage))
		r.Post("/sessions/{id}/end", s.api(s.apiEndSession))
		r.Get("/sessions/{id}/grade", s.api(s.apiGrade))
		r.Get("/sessions/{id}/events", s.api(s.apiEvents))
		r.NotFound(s.api(func(w http.ResponseWriter, r *http.Request) error {
			return scenarios.Errorf(scenarios.ENOTFOUND, "no API endpoint %s %s", r.Method, r.URL.Path)
		}))
		r.MethodNotAllowed(s.api(func(w http.ResponseWriter, r *http.Request) error {
			return scenarios.Errorf(errMethod, "%s is not allowed on %s", r.Method, r.URL.Path)
		}))
	})

	// The pages: cookies, so every form carries a CSRF token.
	protect := csrf.Protect(csrfKey,
		csrf.Path("/"), csrf.HttpOnly(true), csrf.SameSite(csrf.SameSiteLaxMode), csrf.FieldName("csrf_token"),
		csrf.CookieName("chatdojo_csrf"),
		csrf.ErrorHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.renderError(w, r, scenarios.Errorf(scenarios.EFORBIDDEN, "This form has expired or did not come from chatdojo (%s). Reload the page and try again.", csrf.FailureReason(r)))
		})),
	)
	r.Group(func(r chi.Router) {
		r.Use(markPlaintext, protect, s.webAuth)
		r.Get("/login", s.page(s.loginPage))
		r.Post("/login", s.page(s.login))
		r.Get("/signin/{token}", s.page(s.signinLinkPage))
		r.Post("/signin/{token}", s.page(s.signinLink))
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Post("/logout", s.page(s.logout))
			r.Get("/", s.page(s.catalogPage))
			r.Post("/sessions", s.page(s.startSession))
			r.Get("/sessions/{id}", s.page(s.chatPage))
			r.Post("/sessions/{id}/messages", s.page(s.postMessage))
			r.Post("/sessions/{id}/end", s.page(s.endSession))
			r.Get("/sessions/{id}/stream", s.page(s.chatStream))
			r.Get("/sessions/{id}/debrief", s.page(s.debriefPage))
			r.Get("/history", s.page(s.historyPage))
			r.Get("/report", s.page(s.reportPage))
			r.Get("/account/password", s.page(s.passwordPage))
			r.Post("/account/password", s.page(s.setPassword))
			r.Get("/account/tokens", s.page(s.tokensPage))
			r.Post("/account/tokens", s.page(s.createToken))
			r.Post("/account/tokens/{id}/revoke", s.page(s.revokeToken))
			r.Get("/admin/users", s.page(s.usersPage))
			r.Post("/admin/users", s.page(s.inviteUser))
		})
	})
	r.NotFound(s.page(func(w http.ResponseWriter, r *http.Request) error {
		return scenarios.Errorf(scenarios.ENOTFOUND, "There is no page at %s.", r.URL.Path)
	}))
	return r
}

// healthz reports whether the app and its database answer.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if _, err := s.store.CountUsers(ctx); err != nil {
		s.log.Error("healthz", "err", err)
		http.Error(w, "database unavailable\n", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// status maps an error code to an HTTP status.
func status(code string) int {
	switch code {
	case scenarios.EINVALID:
		return http.StatusBadRequest
	case scenarios.ENOTFOUND:
		return http.StatusNotFound
	case scenarios.ECONFLICT:
		return http.StatusConflict
	case scenarios.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case scenarios.EFORBIDDEN:
		return http.StatusForbidden
	case errTooMany:
		return http.StatusTooManyRequests
	case errTooLarge:
		return http.StatusRequestEntityTooLarge
	case errMethod:
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

// Error codes of the web layer beyond the domain's.
const (
	errTooMany  = "too_many_requests"
	errTooLarge = "too_large"
	errMethod   = "method_not_allowed"
)

// page wraps a page handler: an error becomes an error page with the right status;
// internal errors are logged and shown as "Internal error.".
func (s *Server) page(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	err = bodyError(err)
	code := scenarios.ErrorCode(err)
	if code == scenarios.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == scenarios.EUNAUTHORIZED && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	st := status(code)
	if r.Header.Get("HX-Request") == "true" {
		writeJSONError(w, st, code, scenarios.ErrorMessage(err))
		return
	}
	w.WriteHeader(st)
	titles := map[int]string{400: "That did not work", 401: "Please sign in", 403: "Not allowed", 404: "Not found", 409: "Too late", 413: "Too long", 429: "Slow down"}
	title := titles[st]
	if title == "" {
		title = "Something went wrong"
	}
	views.Error(views.ErrorPage{Page: s.pageFor(r, title), Status: st, Message: scenarios.ErrorMessage(err)}).Render(r.Context(), w)
}

// render writes a templ component as the page.
func render(w http.ResponseWriter, r *http.Request, c templ.Component) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return c.Render(r.Context(), w)
}

// api wraps an API handler: errors are JSON {"error": {"code", "message"}}.
func (s *Server) api(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			err = bodyError(err)
			code := scenarios.ErrorCode(err)
			if code == scenarios.EINTERNAL {
				s.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			}
			writeJSONError(w, status(code), code, scenarios.ErrorMessage(err))
		}
	}
}

func writeJSONError(w http.ResponseWriter, st int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(st)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func writeJSON(w http.ResponseWriter, st int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(st)
	return json.NewEncoder(w).Encode(v)
}

// bodyError turns a too-large request body into a clear error.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return scenarios.Errorf(errTooLarge, "the request is larger than %d bytes", mbe.Limit)
	}
	return err
}

// limitBody bounds every request body.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// markPlaintext tells the CSRF check that a request without TLS is plain HTTP on
// purpose (local use, or TLS ended at a proxy that says so).
func markPlaintext(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
			r = csrf.PlaintextHTTPRequest(r)
		}
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(st int) {
	if w.status == 0 {
		w.status = st
	}
	w.ResponseWriter.WriteHeader(st)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets server-sent events through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			return
		}
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration_ms", time.Since(start).Milliseconds())
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, "Internal error.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
