package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"chatdojo/scenarios"
	"chatdojo/web/views"
)

// sse writes server-sent events.
type sse struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func newSSE(w http.ResponseWriter) *sse {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	e := &sse{w: w, rc: http.NewResponseController(w)}
	e.rc.Flush()
	return e
}

// send writes one event; data may span lines.
func (e *sse) send(event, data string) error {
	var b strings.Builder
	b.WriteString("event: " + event + "\n")
	for _, line := range strings.Split(data, "\n") {
		b.WriteString("data: " + line + "\n")
	}
	b.WriteString("\n")
	if _, err := e.w.Write([]byte(b.String())); err != nil {
		return err
	}
	return e.rc.Flush()
}

func (e *sse) comment(s string) error {
	if _, err := fmt.Fprintf(e.w, ": %s\n\n", s); err != nil {
		return err
	}
	return e.rc.Flush()
}

// streamSink is what a stream does with a session's new messages and its end.
type streamSink struct {
	// message sends message i of sess; typed reports a customer message the customer
	// was seen typing first.
	message func(sess *PracticeSession, i int) error
	// typing sends the typing indicator on or off.
	typing func(on bool) error
	// outcome sends the end of the session.
	outcome func(sess *PracticeSession) error
	// delay is how long the customer is seen typing a message; 0 for none.
	delay func(text string) time.Duration
}

// stream follows a session from message index after on: messages as they are stored,
// the customer typing before each of theirs, and the outcome. Changes made through this
// instance wake it at once; changes made through another are found by polling.
func (s *Server) stream(ctx context.Context, id string, after int, sink streamSink) error {
	wake, stop := s.practice.Subscribe(id)
	defer stop()
	poll := time.NewTicker(s.poll)
	defer poll.Stop()
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	last, version, typing := after, -1, false
	for {
		if t := s.practice.Typing(id); t != typing && sink.typing != nil {
			// A model is writing the customer's answer.
			if err := sink.typing(t); err != nil {
				return err
			}
			typing = t
		}
		v, err := s.store.SessionVersion(ctx, id)
		if err != nil {
			return err
		}
		if v != version {
			sess, err := s.store.FindSessionByID(ctx, id)
			if err != nil {
				return err
			}
			version = sess.Version
			for i := last + 1; i < len(sess.Messages); i++ {
				m := sess.Messages[i]
				if m.Role == scenarios.RoleCustomer && sink.typing != nil {
					if err := sink.typing(true); err != nil {
						return err
					}
					if d := sink.delay(m.Text); d > 0 {
						if err := sleepCtx(ctx, d); err != nil {
							return err
						}
					}
				}
				if err := sink.message(sess, i); err != nil {
					return err
				}
				if m.Role == scenarios.RoleCustomer && sink.typing != nil {
					if err := sink.typing(false); err != nil {
						return err
					}
				}
				last = i
			}
			if sess.Outcome != "" {
				return sink.outcome(sess)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.closing:
			return nil
		case <-wake:
		case <-poll.C:
		case <-keepAlive.C:
			if sink.typing != nil {
				// A comment keeps proxies from closing an idle stream.
				if err := sink.typing(false); err != nil {
					return err
				}
			}
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// typingDelay is how long the chat page shows the customer typing a message: about a
// quick typist's speed, between 0.6 and 4 seconds, times the configured scale. It is
// only shown: the engine's clock has the reply at the moment of the agent's message.
func (s *Server) typingDelay(text string) time.Duration {
	d := 600*time.Millisecond + time.Duration(len([]rune(text)))*30*time.Millisecond
	d = min(d, 4*time.Second)
	return time.Duration(float64(d) * s.typing)
}

// afterParam reads ?after=N, the last message index the client has.
func afterParam(r *http.Request) (int, error) {
	a := r.URL.Query().Get("after")
	if a == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(a)
	if err != nil || n < -1 {
		return 0, scenarios.Errorf(scenarios.EINVALID, "after=%q: expected a message index", a)
	}
	return n, nil
}

// streamed is the session a stream request names, if the user may see it, and the
// message index the client has (?after=N).
func (s *Server) streamed(r *http.Request) (*PracticeSession, int, error) {
	sess, err := s.session(r.Context(), userFrom(r), chi.URLParam(r, "id"))
	if err != nil {
		return nil, 0, err
	}
	after, err := afterParam(r)
	return sess, after, err
}

// chatStream is the chat page's event stream: each message as a rendered <li>.
func (s *Server) chatStream(w http.ResponseWriter, r *http.Request) error {
	sess, after, err := s.streamed(r)
	if err != nil {
		return err
	}
	sc, err := s.scenarioOf(r.Context(), sess)
	if err != nil {
		return err
	}
	e := newSSE(w)
	ctx := r.Context()
	return s.stream(ctx, sess.ID, after, streamSink{
		message: func(sess *PracticeSession, i int) error {
			var b bytes.Buffer
			if err := views.ChatBubble(chatMessage(sc, i, sess.Messages[i])).Render(ctx, &b); err != nil {
				return err
			}
			return e.send("message", b.String())
		},
		typing: func(on bool) error {
			if on {
				return e.send("typing", "on")
			}
			return e.send("typing", "off")
		},
		outcome: func(sess *PracticeSession) error {
			var b bytes.Buffer
			if err := views.OutcomeBanner(sess.ID, string(sess.Outcome)).Render(ctx, &b); err != nil {
				return err
			}
			return e.send("outcome", b.String())
		},
		delay: s.typingDelay,
	})
}

// apiMessage is a message in the API: its index in the conversation and the message.
type apiMessage struct {
	Index int `json:"index"`
	scenarios.Message
}

// apiEvents is the API's event stream of a session: "typing" before each customer
// message, "message" for every message, "outcome" at the end. API clients get no typing
// delay.
func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) error {
	sess, after, err := s.streamed(r)
	if err != nil {
		return err
	}
	e := newSSE(w)
	send := func(event string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return e.send(event, string(b))
	}
	return s.stream(r.Context(), sess.ID, after, streamSink{
		message: func(sess *PracticeSession, i int) error {
			return send("message", apiMessage{Index: i, Message: sess.Messages[i]})
		},
		typing: func(on bool) error {
			if !on {
				return e.comment("typing done")
			}
			return send("typing", map[string]bool{"typing": true})
		},
		outcome: func(sess *PracticeSession) error {
			return send("outcome", map[string]any{"outcome": sess.Outcome, "resolved": resolvedIssues(sess)})
		},
		delay: func(string) time.Duration { return 0 },
	})
}

// resolvedIssues are the issues a session's event log shows resolved, in order.
func resolvedIssues(sess *PracticeSession) []string {
	out := []string{}
	for _, ev := range sess.Events {
		if ev.Type == scenarios.EventResolved {
			out = append(out, ev.Issue)
		}
	}
	return out
}
