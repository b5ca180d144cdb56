package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"chatdojo/scenarios"
)

// apiScenario is a scenario in the API.
type apiScenario struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	Channel    string         `json:"channel"`
	Difficulty int            `json:"difficulty"`
	Mode       string         `json:"mode"`
	Persona    apiPersona     `json:"persona"`
	Issues     []apiIssueInfo `json:"issues"`
}

type apiPersona struct {
	Name     string   `json:"name"`
	Traits   []string `json:"traits"`
	Mood     int      `json:"mood"`
	Patience string   `json:"patience"`
	WalkAway int      `json:"walk_away"`
}

type apiIssueInfo struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
}

func (s *Server) apiScenarios(w http.ResponseWriter, r *http.Request) error {
	out := []apiScenario{}
	for _, sc := range s.practice.Catalog().All() {
		a := apiScenario{
			ID: sc.ID, Title: sc.Title, Channel: string(sc.Channel), Difficulty: sc.Difficulty, Mode: string(sc.Mode),
			Persona: apiPersona{Name: sc.Persona.Name, Traits: append([]string{}, sc.Persona.Traits...), Mood: sc.Persona.Mood, Patience: sc.Persona.Patience.String(), WalkAway: sc.Persona.WalkAway},
			Issues:  []apiIssueInfo{},
		}
		for _, is := range sc.Issues {
			a.Issues = append(a.Issues, apiIssueInfo{ID: is.ID, Summary: is.Summary})
		}
		out = append(out, a)
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiSessionJSON is a session in the API.
type apiSessionJSON struct {
	ID        string              `json:"id"`
	Scenario  string              `json:"scenario"`
	User      string              `json:"user"`
	Seed      int64               `json:"seed"`
	StartedAt scenarios.Time      `json:"started_at"`
	Outcome   *scenarios.Outcome  `json:"outcome"`
	Resolved  []string            `json:"resolved"`
	Messages  []scenarios.Message `json:"messages"`
}

func sessionJSON(sess *PracticeSession) apiSessionJSON {
	a := apiSessionJSON{
		ID: sess.ID, Scenario: sess.ScenarioID, User: sess.UserID, Seed: sess.Seed, StartedAt: scenarios.At(sess.StartedAt),
		Resolved: resolvedIssues(sess), Messages: append([]scenarios.Message{}, sess.Messages...),
	}
	if sess.Outcome != "" {
		o := sess.Outcome
		a.Outcome = &o
	}
	return a
}

// decode reads a JSON request body into v, with a clear error for bad JSON.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return scenarios.Errorf(scenarios.EINVALID, "the request body is empty, expected a JSON object")
		}
		return scenarios.Errorf(scenarios.EINVALID, "the request body is not the JSON expected: %v", err)
	}
	// One object and nothing after it: a second object would be dropped silently.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return scenarios.Errorf(scenarios.EINVALID, "the request body has more after the JSON object, expected one object")
	}
	return nil
}

func (s *Server) apiStartSession(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Scenario string `json:"scenario"`
		Seed     *int64 `json:"seed"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Scenario == "" {
		return scenarios.Errorf(scenarios.EINVALID, `"scenario" is missing, expected a scenario id (GET /api/v1/scenarios lists them)`)
	}
	seed := int64(-1)
	if req.Seed != nil {
		if *req.Seed < 0 {
			return scenarios.Errorf(scenarios.EINVALID, `"seed" is %d, expected 0 or more`, *req.Seed)
		}
		seed = *req.Seed
	}
	sess, err := s.practice.Start(r.Context(), userFrom(r), req.Scenario, seed)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sessionJSON(sess))
}

func (s *Server) apiSessions(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	f := SessionFilter{UserID: u.ID, Limit: 500}
	if u.Role.SeesEveryone() {
		f.UserID = r.URL.Query().Get("user_id")
	}
	list, err := s.store.FindSessions(r.Context(), f)
	if err != nil {
		return err
	}
	type row struct {
		ID        string             `json:"id"`
		User      string             `json:"user"`
		Scenario  string             `json:"scenario"`
		StartedAt scenarios.Time     `json:"started_at"`
		Outcome   *scenarios.Outcome `json:"outcome"`
		Overall   *int               `json:"overall"`
	}
	out := []row{}
	for _, x := range list {
		rw := row{ID: x.ID, User: x.UserID, Scenario: x.ScenarioID, StartedAt: scenarios.At(x.StartedAt), Overall: x.Overall}
		if x.Outcome != "" {
			o := x.Outcome
			rw.Outcome = &o
		}
		out = append(out, rw)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiSession(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.session(r.Context(), userFrom(r), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sessionJSON(sess))
}

// apiPostMessage plays an agent message. The message and the customer's answer are
// stored before the response; a session that has ended is a 409.
func (s *Server) apiPostMessage(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.ownSession(r.Context(), userFrom(r), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	var req struct {
		Text string `json:"text"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	text, err := messageText(req.Text)
	if err != nil {
		return err
	}
	if sess.Outcome != "" {
		return scenarios.Errorf(scenarios.ECONFLICT, "the session has ended (%s), expected no more messages", sess.Outcome)
	}
	msgs, after, err := s.practice.Reply(r.Context(), sess.ID, text)
	if err != nil {
		return err
	}
	var outcome *scenarios.Outcome
	if after.Outcome != "" {
		o := after.Outcome
		outcome = &o
	}
	if strings.EqualFold(r.URL.Query().Get("wait"), "false") {
		return writeJSON(w, http.StatusAccepted, map[string]any{"outcome": outcome})
	}
	if msgs == nil {
		msgs = []scenarios.Message{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"messages": msgs, "outcome": outcome})
}

func (s *Server) apiEndSession(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.ownSession(r.Context(), userFrom(r), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	after, err := s.practice.End(r.Context(), sess.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sessionJSON(after))
}

func (s *Server) apiGrade(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.session(r.Context(), userFrom(r), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	g, err := s.practice.Grade(r.Context(), sess)
	if err != nil {
		return err
	}
	if u, err := s.store.FindUserByID(r.Context(), sess.UserID); err == nil {
		g.User = u.Email
	}
	return writeJSON(w, http.StatusOK, g)
}
