package simulator

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"chatdojo/scenarios"
)

// DefaultDelay is the delay before an agent script line that gives none.
const DefaultDelay = 20 * time.Second

// maxScriptLine bounds one line of an agent script.
const maxScriptLine = 64 << 10

// ScriptLine is one agent message of an agent script, with the delay before it counted
// from the agent's previous message (the first from the opening).
type ScriptLine struct {
	Delay time.Duration
	Text  string
	// Line is the line in the script file.
	Line int
}

// ParseScript reads an agent script: one message a line, optionally prefixed by its
// delay ("+45s Hi, I'm Sam…"); no prefix means DefaultDelay. Blank lines are skipped.
// Every bad line is reported, with its line number.
func ParseScript(file string, r io.Reader) ([]ScriptLine, scenarios.Diagnostics) {
	var out []ScriptLine
	var diags scenarios.Diagnostics
	bad := func(line int, format string, args ...any) {
		diags = append(diags, scenarios.Diagnostic{File: file, Line: line, Field: "agent", Message: fmt.Sprintf(format, args...)})
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxScriptLine)
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		if n == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		if !utf8.ValidString(raw) {
			bad(n, "not valid UTF-8 text, expected a UTF-8 text file")
			continue
		}
		text := strings.TrimSpace(raw)
		if text == "" {
			continue
		}
		delay := DefaultDelay
		if rest, ok := strings.CutPrefix(text, "+"); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			word, msg, _ := strings.Cut(rest, " ")
			d, err := time.ParseDuration(word)
			if err != nil {
				bad(n, "bad delay %q, expected a delay like +45s or +2m before the message", "+"+word)
				continue
			}
			msg = strings.TrimSpace(msg)
			if msg == "" {
				bad(n, "a delay with no message, expected \"+45s Your message\"")
				continue
			}
			delay, text = d, msg
		}
		out = append(out, ScriptLine{Delay: delay, Text: text, Line: n})
	}
	if err := sc.Err(); err != nil {
		msg := err.Error()
		if errors.Is(err, bufio.ErrTooLong) {
			msg = fmt.Sprintf("a line longer than %d bytes, expected one message a line", maxScriptLine)
		}
		bad(n+1, "%s", msg)
	}
	return out, diags
}

// PlayResult is a played agent script.
type PlayResult struct {
	Session *Session
	// Ignored are the script lines after the session ended.
	Ignored []ScriptLine
}

// Play runs an agent script against a scenario: each line is sent after its delay, the
// customer answering at once. When the script runs out first, the session ends
// unresolved at the last line's time.
func Play(ctx context.Context, sc *scenarios.Scenario, opts Options, script []ScriptLine) (PlayResult, error) {
	s, err := New(ctx, sc, opts)
	if err != nil {
		return PlayResult{}, err
	}
	now := opts.Start
	for i, l := range script {
		now = now.Add(l.Delay)
		if _, err := s.Advance(ctx, now); err != nil {
			return PlayResult{}, err
		}
		if s.Ended() {
			return PlayResult{Session: s, Ignored: script[i:]}, nil
		}
		if _, err := s.Reply(ctx, now, l.Text); err != nil {
			return PlayResult{}, err
		}
	}
	if !s.Ended() {
		if _, err := s.End(ctx, now); err != nil {
			return PlayResult{}, err
		}
	}
	return PlayResult{Session: s}, nil
}
