package scenarios

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// body reads the Markdown body: "## Opening" and "## On …" sections, each with an
// optional "mood: +N" paragraph and either one paragraph or a list of variants.
func (p *parser) body(src []byte, firstLine int) {
	p.bodyStart = firstLine
	lineStarts := []int{0}
	for i, c := range src {
		if c == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	lineOf := func(off int) int {
		return sort.Search(len(lineStarts), func(i int) bool { return lineStarts[i] > off }) - 1 + firstLine
	}
	doc := goldmark.New().Parser().Parse(text.NewReader(src))

	var cur *section
	var sections []*section
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		line := nodeLine(n, src, lineOf, firstLine)
		if h, ok := n.(*ast.Heading); ok {
			if h.Level == 2 {
				cur = &section{heading: strings.TrimSpace(string(rawLines(h, src, " "))), line: line}
				sections = append(sections, cur)
				continue
			}
			if cur == nil && h.Level == 1 {
				continue // a title above the sections is allowed and ignored
			}
			p.errorf(line, "heading", "level %d heading, expected ## headings only (## Opening, ## On …)", h.Level)
			continue
		}
		if hb, ok := n.(*ast.HTMLBlock); ok && hb.HTMLBlockType == ast.HTMLBlockType2 {
			continue // comments are notes for trainers
		}
		if cur == nil {
			p.warnf(line, "text", "text before the first ## section is ignored, expected it under ## Opening or ## On …")
			continue
		}
		cur.nodes = append(cur.nodes, sectionNode{n: n, line: line})
	}
	for _, s := range sections {
		p.section(s, src)
	}
}

type section struct {
	heading string
	line    int
	nodes   []sectionNode
}

type sectionNode struct {
	n    ast.Node
	line int
}

// section turns one "## …" section into the opening or a reaction.
func (p *parser) section(s *section, src []byte) {
	r := Reaction{Heading: s.heading, Line: s.line}
	if !p.trigger(&r, s.heading, s.line) {
		return
	}
	var paras []string
	hasList := false
	for _, sn := range s.nodes {
		switch n := sn.n.(type) {
		case *ast.Paragraph:
			raw := strings.TrimSpace(string(rawLines(n, src, "\n")))
			if v, isMood := strings.CutPrefix(raw, "mood:"); isMood {
				// "mood: +N" may run straight into the line below it, which is then
				// the same Markdown paragraph.
				v, rest, _ := strings.Cut(v, "\n")
				p.moodLine(&r, strings.TrimSpace(v), sn.line)
				if raw = strings.TrimSpace(rest); raw == "" {
					continue
				}
			}
			paras = append(paras, raw)
		case *ast.List:
			hasList = true
			for item := n.FirstChild(); item != nil; item = item.NextSibling() {
				v, ok := p.variant(item, src, sn.line)
				if ok {
					r.Lines = append(r.Lines, v)
				}
			}
		default:
			p.errorf(sn.line, "text", "unexpected %s, expected a paragraph or a list of variants", kindName(n))
		}
	}
	if hasList && len(paras) > 0 {
		p.errorf(s.line, "text", "section %q has both a paragraph and a list, expected either one line or a list of variants", s.heading)
	} else if len(paras) > 0 {
		r.Lines = []string{strings.Join(paras, "\n\n")}
	}
	if r.Kind == TriggerOpening {
		if r.HasMood {
			p.errorf(r.MoodLine, "mood", "a mood delta in ## Opening, expected the start mood in persona.mood")
		}
		if p.sc.Opening.Line != 0 {
			p.errorf(s.line, "heading", "duplicate section %q, first at line %d, expected one ## Opening", s.heading, p.sc.Opening.Line)
			return
		}
		p.sc.Opening = r
		return
	}
	p.sc.Reactions = append(p.sc.Reactions, r)
}

// trigger parses a heading into the reaction's trigger; false when it is not one.
func (p *parser) trigger(r *Reaction, heading string, line int) bool {
	const expected = "expected ## Opening, ## On <move>[, <move>…], ## On silence, ## On resolved <issue>, ## On mood below N, ## On walk_away or ## On other"
	if strings.EqualFold(heading, "opening") {
		r.Kind = TriggerOpening
		return true
	}
	rest, ok := cutPrefixFold(heading, "on ")
	if !ok {
		p.errorf(line, "heading", "unknown section %q, %s", heading, expected)
		return false
	}
	rest = strings.TrimSpace(rest)
	lower := strings.ToLower(rest)
	switch {
	case lower == "silence":
		r.Kind = TriggerSilence
	case lower == "other":
		r.Kind = TriggerOther
	case lower == "walk_away" || lower == "walk away":
		r.Kind = TriggerWalkAway
	case strings.HasPrefix(lower, "resolved"):
		r.Kind = TriggerResolved
		r.Issue = strings.TrimSpace(rest[len("resolved"):])
		if r.Issue == "" {
			p.errorf(line, "heading", "%q names no issue, expected ## On resolved <issue-id>", heading)
			return false
		}
	case strings.HasPrefix(lower, "mood below"):
		r.Kind = TriggerMoodBelow
		s := strings.TrimSpace(rest[len("mood below"):])
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			p.errorf(line, "heading", "mood below %q is not a mood, expected a whole number 1..100", s)
			return false
		}
		r.Below = n
	default:
		r.Kind = TriggerMoves
		ok := true
		for _, part := range strings.Split(rest, ",") {
			name := strings.TrimSpace(part)
			m := Move(name)
			switch {
			case name == "":
				p.errorf(line, "heading", "empty move in %q, expected moves separated by commas", heading)
				ok = false
			case name == "silence" || name == "other" || name == "walk_away" || strings.HasPrefix(name, "resolved") || strings.HasPrefix(name, "mood below"):
				p.errorf(line, "heading", "%q cannot be combined with moves, expected ## On %s in a section of its own", name, name)
				ok = false
			case !m.Valid():
				p.errorf(line, "heading", "unknown move %q, expected %s", name, suggestMove(name))
				ok = false
			default:
				r.Moves = append(r.Moves, m)
			}
		}
		return ok
	}
	return true
}

// moodLine parses the "mood: +N" of a section.
func (p *parser) moodLine(r *Reaction, v string, line int) {
	if r.HasMood {
		p.errorf(line, "mood", "a second mood delta, expected one per section")
		return
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v, "+"))
	if err != nil {
		p.errorf(line, "mood", "%q is not a whole number, expected a delta like +10 or -25", v)
		return
	}
	if n < -100 || n > 100 {
		p.errorf(line, "mood", "%d is out of range, expected a delta from -100 to +100", n)
		return
	}
	r.Mood, r.HasMood, r.MoodLine = n, true, line
}

// variant reads one list item as a customer line.
func (p *parser) variant(item ast.Node, src []byte, line int) (string, bool) {
	var parts []string
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			parts = append(parts, strings.TrimSpace(string(rawLines(c, src, "\n"))))
		default:
			p.errorf(nodeLine(c, src, nil, line), "text", "unexpected %s inside a variant, expected plain text", kindName(c))
			return "", false
		}
	}
	v := strings.TrimSpace(strings.Join(parts, "\n\n"))
	if v == "" {
		p.errorf(line, "text", "empty variant, expected the customer's words after the -")
		return "", false
	}
	return v, true
}

// rawLines returns the source text of a block node's lines, trimmed and joined by sep.
func rawLines(n ast.Node, src []byte, sep string) []byte {
	lines := n.Lines()
	var b bytes.Buffer
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if seg.Start < 0 || seg.Stop > len(src) || seg.Start > seg.Stop {
			continue
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.Write(bytes.TrimSpace(seg.Value(src)))
	}
	return b.Bytes()
}

// nodeLine is the file line where a block node starts: its first line segment, or that
// of its first descendant that has one.
func nodeLine(n ast.Node, src []byte, lineOf func(int) int, fallback int) int {
	for c := n; c != nil; c = c.FirstChild() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			if lineOf == nil {
				return fallback
			}
			return lineOf(c.Lines().At(0).Start)
		}
	}
	return fallback
}

func kindName(n ast.Node) string {
	switch n.(type) {
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return "code block"
	case *ast.Blockquote:
		return "quote"
	case *ast.ThematicBreak:
		return "horizontal rule"
	case *ast.HTMLBlock:
		return "HTML"
	case *ast.List:
		return "nested list"
	case *ast.Heading:
		return "heading"
	}
	return strings.ToLower(fmt.Sprint(n.Kind()))
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
