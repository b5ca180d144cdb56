package scenarios

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Parse reads a scenario file and checks it. It returns the scenario (complete as far
// as the file allowed) and every problem found, errors and warnings alike; the scenario
// may be used only when the diagnostics hold no error. It never panics, whatever the
// input.
func Parse(file string, src []byte) (*Scenario, Diagnostics) {
	p := &parser{file: file}
	sum := sha256.Sum256(src)
	p.sc = &Scenario{
		File:    file,
		Hash:    hex.EncodeToString(sum[:]),
		Channel: ChannelChat,
		Mode:    ModeScripted,
		Persona: Persona{
			Mood:     DefaultMood,
			Patience: DefaultPatience,
			WalkAway: DefaultWalkAway,
		},
		Timing: Timing{
			FirstResponse: DefaultFirstResponse,
			Reply:         DefaultReply,
			Limit:         DefaultLimit,
		},
		Rubric: DefaultRubric,
	}
	if !utf8.Valid(src) {
		p.errorf(1, "file", "not valid UTF-8 text, expected a UTF-8 Markdown file")
		return p.sc, p.diags
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	front, frontLine, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		if frontLine == 0 {
			p.errorf(1, "front matter", "missing, expected the file to start with a --- line, the YAML fields, and another --- line")
		} else {
			p.errorf(1, "front matter", "not closed, expected a --- line after the YAML fields")
		}
	} else {
		p.frontMatter(front, frontLine)
	}
	p.body(body, bodyLine)
	p.check()
	// A problem found past the end (a missing section in a file cut short) is reported
	// at the last line.
	last := bytes.Count(src, []byte("\n")) + 1
	for i := range p.diags {
		p.diags[i].Line = min(max(p.diags[i].Line, 1), last)
	}
	sort.SliceStable(p.diags, func(i, j int) bool { return p.diags[i].Line < p.diags[j].Line })
	return p.sc, p.diags
}

// Load parses a scenario file and returns it, or an EINVALID *Error listing its errors.
func Load(file string, src []byte) (*Scenario, error) {
	sc, diags := Parse(file, src)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return sc, nil
}

// splitFrontMatter cuts the file into the YAML between the first two --- lines and the
// body after them. frontLine and bodyLine are the file lines where each part starts;
// frontLine is 0 when the file does not start with ---.
func splitFrontMatter(src []byte) (front []byte, frontLine int, body []byte, bodyLine int, ok bool) {
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if !isFence(first) {
		return nil, 0, src, 1, false
	}
	off := len(first) + 1
	line := 2
	for off <= len(src) {
		l, _, found := bytes.Cut(src[off:], []byte("\n"))
		if isFence(l) || (bytes.Equal(bytes.TrimRight(l, " \t\r"), []byte("...")) && line > 2) {
			end := off + len(l) + 1
			if end > len(src) {
				end = len(src)
			}
			return src[len(first)+1 : off], 2, src[end:], line + 1, true
		}
		if !found {
			break
		}
		off += len(l) + 1
		line++
	}
	_ = rest
	return nil, 2, nil, line + 1, false
}

func isFence(l []byte) bool {
	return bytes.Equal(bytes.TrimRight(l, " \t\r"), []byte("---"))
}

// parser accumulates the scenario and its diagnostics.
type parser struct {
	file  string
	sc    *Scenario
	diags Diagnostics
	// issueLines and the other maps remember where things were declared, for the
	// cross-checks of check().
	issuesLine int
	modeLine   int
	idLine     int
	modelLine  int
	bodyStart  int
}

func (p *parser) errorf(line int, field, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) warnf(line int, field, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...), Warning: true})
}

var yamlLineRe = regexp.MustCompile(`line (\d+): `)

// frontMatter decodes the YAML fields. yaml line n is file line n+offset.
func (p *parser) frontMatter(front []byte, firstLine int) {
	off := firstLine - 1
	var doc yaml.Node
	if err := yaml.Unmarshal(front, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := firstLine
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil {
				line = n + off
			}
			msg = yamlLineRe.ReplaceAllString(msg, "")
		}
		p.errorf(line, "front matter", "%s, expected valid YAML", msg)
		return
	}
	y := yamlReader{p: p, off: off}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.errorf(1, "front matter", "empty, expected at least id, title, persona and issues")
		return
	}
	root := doc.Content[0]
	fields := y.mapping(root, "", []string{"id", "title", "description", "channel", "difficulty", "mode", "persona", "timing", "rubric", "issues", "model"})
	if fields == nil {
		return
	}
	sc := p.sc
	if f, ok := fields["id"]; ok {
		p.idLine = y.line(f)
		if v, ok := y.str(f, "id"); ok {
			if !idRe.MatchString(v) {
				p.errorf(y.line(f), "id", "%q is not a valid id, expected lower-case letters, digits and hyphens, like double-charge", v)
			} else {
				sc.ID = v
			}
		}
	} else {
		p.errorf(1, "id", "missing, expected a unique id like double-charge")
	}
	if f, ok := fields["title"]; ok {
		if v, ok := y.str(f, "title"); ok {
			if strings.TrimSpace(v) == "" {
				p.errorf(y.line(f), "title", "empty, expected a short title")
			}
			sc.Title = strings.TrimSpace(v)
		}
	} else {
		p.errorf(1, "title", "missing, expected a short title")
	}
	if f, ok := fields["description"]; ok {
		if v, ok := y.str(f, "description"); ok {
			sc.Description = strings.TrimSpace(v)
		}
	}
	if f, ok := fields["channel"]; ok {
		if v, ok := y.str(f, "channel"); ok {
			switch Channel(v) {
			case ChannelChat, ChannelEmail, ChannelSocial:
				sc.Channel = Channel(v)
			default:
				p.errorf(y.line(f), "channel", "unknown channel %q, expected chat, email or social", v)
			}
		}
	}
	if f, ok := fields["difficulty"]; ok {
		if v, ok := y.int(f, "difficulty", 1, 5); ok {
			sc.Difficulty = v
		}
	} else {
		p.errorf(1, "difficulty", "missing, expected a whole number 1..5")
	}
	if f, ok := fields["mode"]; ok {
		p.modeLine = y.line(f)
		if v, ok := y.str(f, "mode"); ok {
			switch Mode(v) {
			case ModeScripted, ModeModel, ModeHybrid:
				sc.Mode = Mode(v)
			default:
				p.errorf(y.line(f), "mode", "unknown mode %q, expected scripted, model or hybrid", v)
			}
		}
	}
	if f, ok := fields["persona"]; ok {
		p.persona(y, f)
	} else {
		p.errorf(1, "persona", "missing, expected a persona with at least a name")
	}
	if f, ok := fields["timing"]; ok {
		p.timing(y, f)
	}
	if f, ok := fields["rubric"]; ok {
		p.rubric(y, f)
	}
	if f, ok := fields["issues"]; ok {
		p.issuesLine = y.line(f)
		p.issues(y, f)
	} else {
		p.errorf(1, "issues", "missing, expected a list of at least one issue with an id, a summary and needs")
	}
	if f, ok := fields["model"]; ok {
		p.modelLine = y.line(f)
		p.model(y, f)
	}
}

var idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

func (p *parser) persona(y yamlReader, n *yaml.Node) {
	f := y.mapping(n, "persona", []string{"name", "traits", "mood", "patience", "walk_away"})
	if f == nil {
		return
	}
	pe := &p.sc.Persona
	if v, ok := f["name"]; ok {
		if s, ok := y.str(v, "persona.name"); ok {
			if strings.TrimSpace(s) == "" {
				p.errorf(y.line(v), "persona.name", "empty, expected the customer's name")
			}
			pe.Name = strings.TrimSpace(s)
		}
	} else {
		p.errorf(y.line(n), "persona.name", "missing, expected the customer's name")
	}
	if v, ok := f["traits"]; ok {
		if list, ok := y.strList(v, "persona.traits"); ok {
			for _, t := range list {
				pe.Traits = append(pe.Traits, strings.ToLower(strings.TrimSpace(t)))
			}
		}
	}
	if v, ok := f["mood"]; ok {
		if m, ok := y.int(v, "persona.mood", 0, 100); ok {
			pe.Mood = m
		}
	}
	if v, ok := f["patience"]; ok {
		if d, ok := y.duration(v, "persona.patience"); ok {
			pe.Patience = d
		}
	}
	walkLine := y.line(n)
	if v, ok := f["walk_away"]; ok {
		walkLine = y.line(v)
		if m, ok := y.int(v, "persona.walk_away", 0, 100); ok {
			pe.WalkAway = m
		}
	}
	if pe.WalkAway >= pe.Mood {
		p.errorf(walkLine, "persona.walk_away", "%d is at or above the start mood %d, expected a walk-away mood below the start mood", pe.WalkAway, pe.Mood)
	}
}

func (p *parser) timing(y yamlReader, n *yaml.Node) {
	f := y.mapping(n, "timing", []string{"first_response", "reply", "limit"})
	if f == nil {
		return
	}
	t := &p.sc.Timing
	if v, ok := f["first_response"]; ok {
		if d, ok := y.duration(v, "timing.first_response"); ok {
			t.FirstResponse = d
		}
	}
	if v, ok := f["reply"]; ok {
		if d, ok := y.duration(v, "timing.reply"); ok {
			t.Reply = d
		}
	}
	if v, ok := f["limit"]; ok {
		if d, ok := y.duration(v, "timing.limit"); ok {
			t.Limit = d
		}
	}
}

func (p *parser) rubric(y yamlReader, n *yaml.Node) {
	f := y.mapping(n, "rubric", []string{"empathy", "de_escalation", "timing", "resolution"})
	if f == nil {
		return
	}
	r := &p.sc.Rubric
	for key, dst := range map[string]*int{"empathy": &r.Empathy, "de_escalation": &r.DeEscalation, "timing": &r.Timing, "resolution": &r.Resolution} {
		if v, ok := f[key]; ok {
			if w, ok := y.int(v, "rubric."+key, 0, 100); ok {
				*dst = w
			}
		}
	}
	if r.Empathy+r.DeEscalation+r.Timing+r.Resolution == 0 {
		p.errorf(y.line(n), "rubric", "every weight is 0, expected at least one weight above 0")
	}
}

func (p *parser) issues(y yamlReader, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(y.line(n), "issues", "%s, expected a list of issues", y.kind(n))
		return
	}
	if len(n.Content) == 0 {
		p.errorf(y.line(n), "issues", "empty, expected at least one issue")
		return
	}
	seen := map[string]int{}
	for i, item := range n.Content {
		path := fmt.Sprintf("issues[%d]", i)
		f := y.mapping(item, path, []string{"id", "summary", "needs", "reveal"})
		if f == nil {
			continue
		}
		is := Issue{Line: y.line(item)}
		if v, ok := f["id"]; ok {
			if s, ok := y.str(v, path+".id"); ok {
				switch {
				case !idRe.MatchString(s):
					p.errorf(y.line(v), path+".id", "%q is not a valid id, expected lower-case letters, digits and hyphens", s)
				case seen[s] != 0:
					p.errorf(y.line(v), path+".id", "duplicate id %q, first at line %d, expected ids unique within the scenario", s, seen[s])
				default:
					seen[s] = y.line(v)
				}
				is.ID = s
			}
		} else {
			p.errorf(y.line(item), path+".id", "missing, expected an id like refund")
		}
		if v, ok := f["summary"]; ok {
			if s, ok := y.str(v, path+".summary"); ok {
				is.Summary = strings.TrimSpace(s)
			}
		}
		if is.Summary == "" {
			p.errorf(y.line(item), path+".summary", "missing, expected one sentence saying what the customer wants")
		}
		if v, ok := f["needs"]; ok {
			if list, ok := y.strList(v, path+".needs"); ok {
				if len(list) == 0 {
					p.errorf(y.line(v), path+".needs", "empty, expected at least one move the agent must make")
				}
				for _, s := range list {
					m := Move(strings.TrimSpace(s))
					switch {
					case !m.Valid():
						p.errorf(y.line(v), path+".needs", "unknown move %q, expected %s", s, suggestMove(string(m)))
					case m.Negative():
						p.errorf(y.line(v), path+".needs", "%s is a move that hurts the conversation, expected a helpful move", m)
					default:
						is.Needs = append(is.Needs, m)
					}
				}
			}
		} else {
			p.errorf(y.line(item), path+".needs", "missing, expected the moves that resolve the issue, like [verify_identity, offer_solution]")
		}
		if v, ok := f["reveal"]; ok {
			if s, ok := y.str(v, path+".reveal"); ok {
				after, found := strings.CutPrefix(strings.TrimSpace(s), "after ")
				after = strings.TrimSpace(after)
				if !found || after == "" {
					p.errorf(y.line(v), path+".reveal", "%q is not a reveal, expected \"after <issue-id>\"", s)
				} else {
					is.RevealAfter = after
				}
			}
		}
		p.sc.Issues = append(p.sc.Issues, is)
	}
}

func (p *parser) model(y yamlReader, n *yaml.Node) {
	f := y.mapping(n, "model", []string{"name", "temperature", "top_p", "max_chars", "instructions", "facts"})
	if f == nil {
		return
	}
	m := &Model{MaxChars: 600}
	if v, ok := f["name"]; ok {
		if s, ok := y.str(v, "model.name"); ok {
			m.Name = strings.TrimSpace(s)
		}
	}
	if v, ok := f["temperature"]; ok {
		if x, ok := y.float(v, "model.temperature", 0, 2); ok {
			m.Temperature = &x
		}
	}
	if v, ok := f["top_p"]; ok {
		if x, ok := y.float(v, "model.top_p", 0, 1); ok {
			m.TopP = &x
		}
	}
	if v, ok := f["max_chars"]; ok {
		if x, ok := y.int(v, "model.max_chars", 20, 4000); ok {
			m.MaxChars = x
		}
	}
	if v, ok := f["instructions"]; ok {
		if s, ok := y.str(v, "model.instructions"); ok {
			m.Instructions = strings.TrimSpace(s)
		}
	}
	if v, ok := f["facts"]; ok {
		if v.Kind != yaml.MappingNode {
			p.errorf(y.line(v), "model.facts", "%s, expected key: value pairs of what the customer knows", y.kind(v))
		} else {
			seen := map[string]int{}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], v.Content[i+1]
				key := k.Value
				if seen[key] != 0 {
					p.errorf(y.line(k), "model.facts."+key, "duplicate key, first at line %d, expected each fact once", seen[key])
					continue
				}
				seen[key] = y.line(k)
				if s, ok := y.str(val, "model.facts."+key); ok {
					m.Facts = append(m.Facts, Fact{Key: key, Value: s})
				}
			}
		}
	}
	p.sc.Model = m
}

// yamlReader reads typed values out of yaml nodes, reporting problems at file lines.
type yamlReader struct {
	p   *parser
	off int
}

func (y yamlReader) line(n *yaml.Node) int {
	return n.Line + y.off
}

func (y yamlReader) kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "got a set of fields"
	case yaml.SequenceNode:
		return "got a list"
	case yaml.AliasNode:
		return "got an alias"
	}
	if n.Tag == "!!null" {
		return "got nothing"
	}
	return fmt.Sprintf("got %q", n.Value)
}

// mapping returns the fields of a mapping node by key, reporting unknown and duplicate
// keys. It returns nil when n is not a mapping.
func (y yamlReader) mapping(n *yaml.Node, path string, known []string) map[string]*yaml.Node {
	name := path
	if name == "" {
		name = "front matter"
	}
	if n.Kind != yaml.MappingNode {
		y.p.errorf(y.line(n), name, "%s, expected key: value fields", y.kind(n))
		return nil
	}
	out := map[string]*yaml.Node{}
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := k.Value
		if path != "" {
			field = path + "." + k.Value
		}
		if !slices.Contains(known, k.Value) {
			y.p.errorf(y.line(k), field, "unknown key, expected one of %s", strings.Join(known, ", "))
			continue
		}
		if l, dup := lines[k.Value]; dup {
			y.p.errorf(y.line(k), field, "duplicate key, first at line %d, expected each key once", l)
			continue
		}
		lines[k.Value] = y.line(k)
		out[k.Value] = v
	}
	return out
}

func (y yamlReader) scalar(n *yaml.Node, field, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		y.p.errorf(y.line(n), field, "%s, expected %s", y.kind(n), want)
		return "", false
	}
	return n.Value, true
}

func (y yamlReader) str(n *yaml.Node, field string) (string, bool) {
	return y.scalar(n, field, "text")
}

func (y yamlReader) int(n *yaml.Node, field string, lo, hi int) (int, bool) {
	want := fmt.Sprintf("a whole number %d..%d", lo, hi)
	s, ok := y.scalar(n, field, want)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(strings.TrimPrefix(s, "+"))
	if err != nil {
		y.p.errorf(y.line(n), field, "%q is not a whole number, expected %s", s, want)
		return 0, false
	}
	if v < lo || v > hi {
		y.p.errorf(y.line(n), field, "%d is out of range, expected %s", v, want)
		return 0, false
	}
	return v, true
}

func (y yamlReader) float(n *yaml.Node, field string, lo, hi float64) (float64, bool) {
	want := fmt.Sprintf("a number %g..%g", lo, hi)
	s, ok := y.scalar(n, field, want)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		y.p.errorf(y.line(n), field, "%q is not a number, expected %s", s, want)
		return 0, false
	}
	if v < lo || v > hi {
		y.p.errorf(y.line(n), field, "%g is out of range, expected %s", v, want)
		return 0, false
	}
	return v, true
}

func (y yamlReader) duration(n *yaml.Node, field string) (time.Duration, bool) {
	const want = "a duration like 90s, 2m or 1m30s"
	s, ok := y.scalar(n, field, want)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		y.p.errorf(y.line(n), field, "bad duration %q, expected %s", s, want)
		return 0, false
	}
	if d <= 0 {
		y.p.errorf(y.line(n), field, "%q is not above zero, expected %s", s, want)
		return 0, false
	}
	return d, true
}

func (y yamlReader) strList(n *yaml.Node, field string) ([]string, bool) {
	if n.Kind != yaml.SequenceNode {
		y.p.errorf(y.line(n), field, "%s, expected a list like [a, b]", y.kind(n))
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	ok := true
	for _, c := range n.Content {
		s, good := y.scalar(c, field, "a word")
		if !good {
			ok = false
			continue
		}
		out = append(out, s)
	}
	return out, ok
}

// suggestMove says what was expected instead of an unknown move, naming the closest
// move when one is near.
func suggestMove(s string) string {
	best, bestD := "", 4
	for _, m := range AllMoves {
		if d := editDistance(strings.ToLower(s), string(m)); d < bestD {
			best, bestD = string(m), d
		}
	}
	if best != "" {
		return fmt.Sprintf("a move of docs/moves.md (did you mean %s?)", best)
	}
	return "a move of docs/moves.md such as apologize or offer_solution"
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
