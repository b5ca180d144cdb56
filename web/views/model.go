// Package views renders chatdojo's pages with templ. Each page takes one typed view
// model, defined here; the web package fills them.
package views

import (
	"time"

	"chatdojo/grading"
	"chatdojo/scenarios"
)

// Page is what every page's layout needs.
type Page struct {
	Title string
	// User is the signed-in user's email, "" when nobody is signed in.
	User string
	// Role is the signed-in user's role.
	Role string
	// CSRF is the hidden form field that carries the CSRF token.
	CSRF string
	// Flash is a one-line notice at the top of the page.
	Flash string
}

// SeesEveryone reports whether the user is a trainer or an admin.
func (p Page) SeesEveryone() bool { return p.Role == "admin" || p.Role == "trainer" }

// LoginPage is the sign-in form.
type LoginPage struct {
	Page
	Email string
	Error string
}

// SigninLinkPage is where a one-time sign-in link lands.
type SigninLinkPage struct {
	Page
	Token string
}

// PasswordPage lets a signed-in user set their password.
type PasswordPage struct {
	Page
	Error string
}

// CatalogPage lists the scenarios a trainee can start, filtered.
type CatalogPage struct {
	Page
	Scenarios []ScenarioCard
	// The filter's choices and current values.
	Traits, Channels           []string
	Trait, Channel, Difficulty string
}

// ScenarioCard is one scenario in the catalogue.
type ScenarioCard struct {
	ID, Title, Description string
	Channel                string
	Difficulty             int
	Persona                string
	Traits                 []string
	Issues                 int
	Mode                   string
	// ModelNote says how a model or hybrid scenario plays now ("" for scripted ones).
	ModelNote string
}

// ChatPage is a practice session in progress (or ended).
type ChatPage struct {
	Page
	SessionID string
	Scenario  ScenarioCard
	// Customer is the persona's name.
	Customer string
	Messages []ChatMessage
	Ended    bool
	Outcome  string
	// Owner reports whether the viewer is the trainee who practises; others watch.
	Owner bool
}

// ChatMessage is one message in the chat.
type ChatMessage struct {
	Index int
	Role  string
	Text  string
	At    time.Time
	// Who is the sender's name as shown.
	Who string
	// Channel styles the message: chat, email or social.
	Channel string
	Subject string
}

// DebriefPage is a session's grade, right after it ends.
type DebriefPage struct {
	Page
	SessionID string
	Scenario  ScenarioCard
	User      string
	Outcome   string
	Grade     grading.Grade
	KPIs      []KPIRow
	Turns     []DebriefTurn
	// MoodSVG is the customer's mood over time, a server-rendered SVG.
	MoodSVG string
	Next    []ScenarioCard
}

// KPIRow is one KPI against its target.
type KPIRow struct {
	Name, Value, Target string
	// Met is "yes", "no" or "" when it cannot be said.
	Met string
}

// DebriefTurn is one message of the transcript, annotated when it is the agent's.
type DebriefTurn struct {
	Role     string
	Who      string
	Text     string
	At       time.Time
	Mood     *int
	Agent    *grading.Turn
	Feedback string
}

// HistoryPage lists practice sessions.
type HistoryPage struct {
	Page
	Sessions []HistoryRow
	// Everyone reports that the list holds every user's sessions.
	Everyone bool
}

// HistoryRow is one session in the history.
type HistoryRow struct {
	ID, User, Scenario, Outcome string
	StartedAt                   time.Time
	Overall                     *int
	Ended                       bool
}

// ReportPage is a readiness report.
type ReportPage struct {
	Page
	Report  grading.ReadinessReport
	Users   []string
	Current string
	// Charts are SVG trend charts, one per skill, in the report's skill order.
	Charts []Chart
	Empty  bool
}

// Chart is a named SVG chart.
type Chart struct {
	Name string
	SVG  string
}

// TokensPage lists a user's API tokens.
type TokensPage struct {
	Page
	Tokens []TokenRow
	// New is a token just created, shown once.
	New string
}

// TokenRow is one API token.
type TokenRow struct {
	ID, Name   string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// UsersPage is the admin's list of users, with the invitation form.
type UsersPage struct {
	Page
	Users []UserRow
	// Link is an invitation just made, shown once.
	Link, LinkFor string
	Error         string
}

// UserRow is one user.
type UserRow struct {
	Email, Name, Role string
	CreatedAt         time.Time
}

// ErrorPage is shown for an error.
type ErrorPage struct {
	Page
	Status  int
	Message string
}

// Outcomes in words.
func OutcomeText(o string) string {
	switch scenarios.Outcome(o) {
	case scenarios.OutcomeResolved:
		return "Resolved"
	case scenarios.OutcomeWalkedAway:
		return "The customer walked away"
	case scenarios.OutcomeTimedOut:
		return "Out of time"
	case scenarios.OutcomeUnresolved:
		return "Ended unresolved"
	case "":
		return "In progress"
	}
	return o
}
