package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"chatdojo/docs"
	"chatdojo/grading"
	"chatdojo/scenarios"
	"chatdojo/web/views"
)

// card is a scenario as the catalogue shows it.
func card(sc *scenarios.Scenario) views.ScenarioCard {
	return views.ScenarioCard{
		ID: sc.ID, Title: sc.Title, Description: sc.Description, Channel: string(sc.Channel), Difficulty: sc.Difficulty,
		Persona: sc.Persona.Name + ". ", Traits: sc.Persona.Traits, Issues: len(sc.Issues), Mode: string(sc.Mode),
	}
}

func (s *Server) catalogPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	m := views.CatalogPage{Page: s.pageFor(r, "Scenarios"), Trait: q.Get("trait"), Channel: q.Get("channel"), Difficulty: q.Get("difficulty")}
	traits := map[string]bool{}
	channels := map[string]bool{}
	for _, sc := range s.practice.Catalog().All() {
		for _, t := range sc.Persona.Traits {
			traits[t] = true
		}
		channels[string(sc.Channel)] = true
		if m.Trait != "" && !slices.Contains(sc.Persona.Traits, m.Trait) ||
			m.Channel != "" && string(sc.Channel) != m.Channel ||
			m.Difficulty != "" && strconv.Itoa(sc.Difficulty) != m.Difficulty {
			continue
		}
		c := card(sc)
		if sc.Mode == scenarios.ModeModel || sc.Mode == scenarios.ModeHybrid {
			if s.practice.ModelsReachable(r.Context()) {
				c.ModelNote = "The customer's words are written by a language model (" + string(sc.Mode) + " mode)."
			} else {
				c.ModelNote = "No model server is reachable now: this customer plays its scripted lines."
			}
		}
		m.Scenarios = append(m.Scenarios, c)
	}
	m.Traits, m.Channels = slices.Sorted(maps.Keys(traits)), slices.Sorted(maps.Keys(channels))
	return render(w, r, views.Catalog(m))
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request) error {
	id := r.PostFormValue("scenario")
	if id == "" {
		return scenarios.Errorf(scenarios.EINVALID, "Pick a scenario to start.")
	}
	sess, err := s.practice.Start(r.Context(), userFrom(r), id, -1)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/sessions/"+sess.ID, http.StatusSeeOther)
	return nil
}

// session returns a session the signed-in user may see: their own, or anyone's for a
// trainer or an admin. To everyone else it does not exist (ENOTFOUND), so ids cannot be
// probed.
func (s *Server) session(ctx context.Context, u *User, id string) (*PracticeSession, error) {
	sess, err := s.store.FindSessionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if sess.UserID != u.ID && !u.Role.SeesEveryone() {
		return nil, scenarios.Errorf(scenarios.ENOTFOUND, "session not found")
	}
	return sess, nil
}

// ownSession is session for a change: only the trainee who practises may change it.
// It reads the session's row alone, not its conversation: a change reads that anyway.
func (s *Server) ownSession(ctx context.Context, u *User, id string) (*SessionSummary, error) {
	sess, err := s.store.FindSessionSummary(ctx, id)
	if err != nil {
		return nil, err
	}
	if sess.UserID != u.ID {
		if !u.Role.SeesEveryone() {
			return nil, scenarios.Errorf(scenarios.ENOTFOUND, "session not found")
		}
		return nil, scenarios.Errorf(scenarios.EFORBIDDEN, "only the trainee who practises this session can write in it")
	}
	return sess, nil
}

// scenarioOf returns the scenario version a session runs on.
func (s *Server) scenarioOf(ctx context.Context, sess *PracticeSession) (*scenarios.Scenario, error) {
	return s.practice.scenarioVersion(ctx, sess.ScenarioHash)
}

// chatMessage is a message as the chat page shows it.
func chatMessage(sc *scenarios.Scenario, i int, m scenarios.Message) views.ChatMessage {
	cm := views.ChatMessage{Index: i, Role: string(m.Role), Text: m.Text, At: m.At.Time, Channel: string(sc.Channel)}
	if m.Role == scenarios.RoleCustomer {
		cm.Who = sc.Persona.Name
	} else {
		cm.Who = "You"
	}
	if sc.Channel == scenarios.ChannelEmail {
		cm.Subject = "Re: " + sc.Title
		if i == 0 {
			cm.Subject = sc.Title
		}
	}
	return cm
}

func (s *Server) chatPage(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	sess, err := s.session(r.Context(), u, chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	sc, err := s.scenarioOf(r.Context(), sess)
	if err != nil {
		return err
	}
	m := views.ChatPage{
		Page: s.pageFor(r, sc.Title), SessionID: sess.ID, Scenario: card(sc), Customer: sc.Persona.Name,
		Ended: sess.Outcome != "", Outcome: string(sess.Outcome), Owner: sess.UserID == u.ID,
	}
	for i, msg := range sess.Messages {
		m.Messages = append(m.Messages, chatMessage(sc, i, msg))
	}
	return render(w, r, views.Chat(m))
}

// postMessage is the chat form: the message is stored (with the customer's answer)
// before the response; the page shows both through its event stream.
func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	sess, err := s.ownSession(r.Context(), u, chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	text, err := messageText(r.PostFormValue("text"))
	if err != nil {
		return err
	}
	if _, _, err := s.practice.Reply(r.Context(), sess.ID, text); err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/sessions/"+sess.ID, http.StatusSeeOther)
	return nil
}

// messageText checks an agent message: not empty, not too long, clean text.
func messageText(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", scenarios.Errorf(scenarios.EINVALID, "The message is empty: write something to the customer.")
	case len(text) > MaxMessageBytes:
		return "", scenarios.Errorf(errTooLarge, "The message is %d bytes long; the limit is %d.", len(text), MaxMessageBytes)
	case !isCleanText(text):
		return "", scenarios.Errorf(scenarios.EINVALID, "The message has bytes that are not text (invalid UTF-8 or control characters).")
	}
	return text, nil
}

func isCleanText(s string) bool {
	for _, r := range s {
		if r == 0xFFFD || r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7F {
			return false
		}
	}
	return true
}

func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.ownSession(r.Context(), userFrom(r), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	if _, err := s.practice.End(r.Context(), sess.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/sessions/"+sess.ID+"/debrief", http.StatusSeeOther)
	return nil
}

func (s *Server) debriefPage(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	sess, err := s.session(r.Context(), u, chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	if sess.Outcome == "" {
		http.Redirect(w, r, "/sessions/"+sess.ID, http.StatusSeeOther)
		return nil
	}
	sc, err := s.scenarioOf(r.Context(), sess)
	if err != nil {
		return err
	}
	g, err := s.practice.Grade(r.Context(), sess)
	if err != nil {
		return err
	}
	owner, err := s.store.FindUserByID(r.Context(), sess.UserID)
	if err != nil {
		return err
	}
	m := views.DebriefPage{
		Page: s.pageFor(r, "Debrief"), SessionID: sess.ID, Scenario: card(sc), User: owner.Email,
		Outcome: string(sess.Outcome), Grade: *g, KPIs: kpiRows(g.KPIs, sc), MoodSVG: moodChart(sess, sc),
	}
	turns := map[int]*grading.Turn{}
	for i := range g.Turns {
		turns[g.Turns[i].Index] = &g.Turns[i]
	}
	for i, msg := range sess.Messages {
		t := views.DebriefTurn{Role: string(msg.Role), Text: msg.Text, At: msg.At.Time, Mood: msg.Mood, Agent: turns[i]}
		t.Who = "You"
		if msg.Role == scenarios.RoleCustomer {
			t.Who = sc.Persona.Name
		}
		m.Turns = append(m.Turns, t)
	}
	m.Next = s.nextScenarios(sc, g)
	return render(w, r, views.Debrief(m))
}

// kpiRows are a session's KPIs against the targets of PRODUCT.md and the scenario.
func kpiRows(k grading.KPIs, sc *scenarios.Scenario) []views.KPIRow {
	met := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "no"
	}
	secs := func(d time.Duration) string { return fmt.Sprintf("≤ %.0f s", d.Seconds()) }
	var rows []views.KPIRow
	row := views.KPIRow{Name: "First response time", Value: views.Seconds(k.FirstResponseS), Target: secs(sc.Timing.FirstResponse)}
	if k.FirstResponseS != nil {
		row.Met = met(*k.FirstResponseS <= sc.Timing.FirstResponse.Seconds())
	}
	rows = append(rows, row)
	row = views.KPIRow{Name: "Average response time", Value: views.Seconds(k.AvgResponseS), Target: secs(sc.Timing.Reply)}
	if k.AvgResponseS != nil {
		row.Met = met(*k.AvgResponseS <= sc.Timing.Reply.Seconds())
	}
	rows = append(rows, row)
	row = views.KPIRow{Name: "Resolution time", Value: views.Seconds(k.ResolutionS), Target: secs(sc.Timing.Limit)}
	if k.ResolutionS != nil {
		row.Met = met(*k.ResolutionS <= sc.Timing.Limit.Seconds())
	}
	rows = append(rows, row)
	row = views.KPIRow{Name: "CSAT (1–5)", Value: "n/a", Target: "4–5"}
	if k.CSAT != nil {
		row.Value, row.Met = strconv.Itoa(*k.CSAT), met(*k.CSAT >= 4)
	}
	rows = append(rows, row)
	row = views.KPIRow{Name: "Customer effort (CES, 1–5, lower is better)", Value: "n/a", Target: "1–2"}
	if k.CES != nil {
		row.Value, row.Met = strconv.Itoa(*k.CES), met(*k.CES <= 2)
	}
	return append(rows, row)
}

// nextScenarios picks up to three scenarios to practise next: ones that train the
// session's weakest score, not the one just played, easiest first.
func (s *Server) nextScenarios(played *scenarios.Scenario, g *grading.Grade) []views.ScenarioCard {
	weak := "empathy"
	lowest := 101
	for _, c := range []struct {
		name string
		v    *int
	}{{"empathy", g.Scores.Empathy}, {"de_escalation", g.Scores.DeEscalation}, {"resolution", g.Scores.Resolution}} {
		if c.v != nil && *c.v < lowest {
			weak, lowest = c.name, *c.v
		}
	}
	var picks []*scenarios.Scenario
	for _, sc := range s.practice.Catalog().All() {
		if sc.ID == played.ID {
			continue
		}
		switch weak {
		case "empathy", "de_escalation":
			if !slices.ContainsFunc(sc.Persona.Traits, func(t string) bool { return t == "frustrated" || t == "angry" || t == "anxious" || t == "upset" }) {
				continue
			}
		case "resolution":
			if len(sc.Issues) < 2 {
				continue
			}
		}
		picks = append(picks, sc)
	}
	slices.SortStableFunc(picks, func(a, b *scenarios.Scenario) int { return a.Difficulty - b.Difficulty })
	var out []views.ScenarioCard
	for _, sc := range picks[:min(3, len(picks))] {
		out = append(out, card(sc))
	}
	return out
}

func (s *Server) historyPage(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	f := SessionFilter{UserID: u.ID, Limit: 200}
	if u.Role.SeesEveryone() {
		f.UserID = ""
	}
	list, err := s.store.FindSessions(r.Context(), f)
	if err != nil {
		return err
	}
	m := views.HistoryPage{Page: s.pageFor(r, "History"), Everyone: u.Role.SeesEveryone()}
	for _, x := range list {
		m.Sessions = append(m.Sessions, views.HistoryRow{ID: x.ID, User: x.UserEmail, Scenario: x.ScenarioID, Outcome: string(x.Outcome), StartedAt: x.StartedAt, Overall: x.Overall, Ended: x.Outcome != ""})
	}
	return render(w, r, views.History(m))
}

// reportPage is the readiness report of the signed-in trainee, or of any user for a
// trainer or an admin (?user=email).
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	target := u
	m := views.ReportPage{Page: s.pageFor(r, "Readiness")}
	if u.Role.SeesEveryone() {
		users, err := s.store.FindUsers(r.Context())
		if err != nil {
			return err
		}
		for _, x := range users {
			m.Users = append(m.Users, x.Email)
		}
		if e := r.URL.Query().Get("user"); e != "" {
			t, err := s.store.FindUserByEmail(r.Context(), e)
			if err != nil {
				return err
			}
			target = t
		}
	}
	m.Current = target.Email
	grades, err := s.userGrades(r.Context(), target)
	if err != nil {
		return err
	}
	if len(grades) == 0 {
		m.Empty = true
		return render(w, r, views.Report(m, ""))
	}
	rep, err := grading.BuildReadiness(r.Context(), seq(grades), s.practice.Catalog(), grading.DefaultReadinessConfig())
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := rep.WriteHTMLFragment(&body); err != nil {
		return err
	}
	m.Charts = trendCharts(grades)
	clean := bluemonday.UGCPolicy().SanitizeBytes(body.Bytes())
	return render(w, r, views.Report(m, string(clean)))
}

// userGrades returns a user's graded sessions, oldest first, with the user named by
// email as the readiness report shows them.
func (s *Server) userGrades(ctx context.Context, u *User) ([]grading.Grade, error) {
	raw, err := s.store.FindGrades(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]grading.Grade, 0, len(raw))
	for _, b := range raw {
		var g grading.Grade
		if err := json.Unmarshal(b, &g); err != nil {
			return nil, fmt.Errorf("decode grade: %w", err)
		}
		g.User = u.Email
		out = append(out, g)
	}
	return out, nil
}

func seq(gs []grading.Grade) iter.Seq[grading.Grade] {
	return func(yield func(grading.Grade) bool) {
		for _, g := range gs {
			if !yield(g) {
				return
			}
		}
	}
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, "")
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, fresh string) error {
	toks, err := s.store.FindTokens(r.Context(), userFrom(r).ID)
	if err != nil {
		return err
	}
	m := views.TokensPage{Page: s.pageFor(r, "API tokens"), New: fresh}
	for _, t := range toks {
		m.Tokens = append(m.Tokens, views.TokenRow{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt})
	}
	return render(w, r, views.Tokens(m))
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	tok, err := CreateToken(r.Context(), s.store, userFrom(r), r.PostFormValue("name"), s.now())
	if err != nil {
		return err
	}
	return s.renderTokens(w, r, tok)
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.DeleteToken(r.Context(), userFrom(r).ID, chi.URLParam(r, "id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
	return nil
}

// requireAdmin refuses everyone but admins.
func requireAdmin(u *User) error {
	if u.Role != RoleAdmin {
		return scenarios.Errorf(scenarios.EFORBIDDEN, "Only an admin can manage users.")
	}
	return nil
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, views.UsersPage{})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, m views.UsersPage) error {
	if err := requireAdmin(userFrom(r)); err != nil {
		return err
	}
	users, err := s.store.FindUsers(r.Context())
	if err != nil {
		return err
	}
	m.Page = s.pageFor(r, "Users")
	for _, u := range users {
		m.Users = append(m.Users, views.UserRow{Email: u.Email, Name: u.Name, Role: string(u.Role), CreatedAt: u.CreatedAt})
	}
	return render(w, r, views.Users(m))
}

// inviteUser creates a user and shows their one-time sign-in link, to pass on.
func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(userFrom(r)); err != nil {
		return err
	}
	u, link, err := CreateUser(r.Context(), s.store, r.PostFormValue("email"), r.PostFormValue("name"), Role(r.PostFormValue("role")), s.linkBase(r), s.now())
	if err != nil {
		if c := scenarios.ErrorCode(err); c == scenarios.EINVALID || c == scenarios.ECONFLICT {
			w.WriteHeader(status(c))
			return s.renderUsers(w, r, views.UsersPage{Error: scenarios.ErrorMessage(err)})
		}
		return err
	}
	return s.renderUsers(w, r, views.UsersPage{Link: link, LinkFor: u.Email})
}

// linkBase is the address links point to: the configured base URL, else the one the
// request came to.
func (s *Server) linkBase(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme := "http"
	if isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// apiDocs shows docs/api.md, rendered by goldmark and sanitised.
func (s *Server) apiDocs(w http.ResponseWriter, r *http.Request) error {
	var body bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM))
	if err := gm.Convert(docs.APIMarkdown, &body); err != nil {
		return fmt.Errorf("render the API documentation: %w", err)
	}
	clean := bluemonday.UGCPolicy().SanitizeBytes(body.Bytes())
	return render(w, r, views.Doc(s.pageFor(r, "API documentation"), string(clean)))
}
