package simulator

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultReplyLimit is the longest model reply accepted, in characters.
const DefaultReplyLimit = 600

// The rejection codes of a model reply.
const (
	rejectEmpty   = "empty"
	rejectNotText = "not_text"
	rejectTooLong = "too_long"
	rejectRole    = "role_swap"
	rejectRepeat  = "repeats_agent"
	rejectFact    = "unknown_fact"
)

// Rejection says why a model reply was refused: a short code and a sentence for trainers.
type Rejection struct {
	Code   string // "empty", "not_text", "too_long", "role_swap", "repeats_agent", "unknown_fact"
	Reason string // e.g. `states "4412", which is in neither the scenario's facts nor the conversation`
}

// Error returns the code and the reason.
func (r *Rejection) Error() string {
	return "model reply rejected (" + r.Code + "): " + r.Reason
}

func reject(code, format string, args ...any) *Rejection {
	return &Rejection{Code: code, Reason: fmt.Sprintf(format, args...)}
}

// CheckReply checks a model's reply for a turn before anyone sees it. It returns the
// reply cleaned (trimmed; surrounding quotes a model likes to add removed; a leading
// "Customer:"/"<Persona name>:" marker removed) and nil, or a *Rejection.
//
// The checks err on the side of rejecting: a false rejection costs a fallback to the
// scripted line, a false acceptance shows a trainee something the scenario never said.
func CheckReply(turn Turn, reply string, limit int) (string, *Rejection) {
	if limit <= 0 {
		limit = DefaultReplyLimit
	}
	if !utf8.ValidString(reply) {
		return "", reject(rejectNotText, "the reply is not valid UTF-8 text")
	}
	text := cleanReply(reply, personaNames(turn))
	if text == "" {
		return "", reject(rejectEmpty, "the reply is empty")
	}
	for _, r := range text {
		if !isText(r) {
			return "", reject(rejectNotText, "the reply contains the control or invisible character %U", r)
		}
	}
	if n := utf8.RuneCountInString(text); n > limit {
		return "", reject(rejectTooLong, "the reply has %d characters, more than the limit of %d", n, limit)
	}
	if rej := checkRole(text); rej != nil {
		return "", rej
	}
	if rej := checkRepeat(text, turn.Agent); rej != nil {
		return "", rej
	}
	if rej := checkFacts(text, turn); rej != nil {
		return "", rej
	}
	return text, nil
}

// isText reports whether r may appear in a customer message: graphic characters, the
// ordinary space, newline and tab. Controls, format characters (zero-width and bidi
// controls), private use, unassigned code points, line and paragraph separators and the
// replacement character (a decoding error upstream) may not.
func isText(r rune) bool {
	switch r {
	case '\n', '\t':
		return true
	case utf8.RuneError, '\uFFFC':
		return false
	}
	return unicode.IsGraphic(r)
}

// personaNames are the speaker names a model may put before its reply: "Customer", the
// persona's name and its first word.
func personaNames(turn Turn) []string {
	names := []string{"customer"}
	if sc := turn.Scenario; sc != nil {
		if n := strings.TrimSpace(sc.Persona.Name); n != "" {
			names = append(names, n)
			if first, _, ok := strings.Cut(n, " "); ok && first != "" {
				names = append(names, first)
			}
		}
	}
	// Longest first, so "Dana Whitfield" is tried before "Dana".
	sort.SliceStable(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return names
}

// cleanReply trims the reply and removes, as often as they come, a leading speaker
// marker for the customer and quotes around the whole reply.
func cleanReply(s string, names []string) string {
	marker := speakerMarker(names)
	for {
		prev := s
		s = strings.TrimSpace(s)
		if loc := marker.FindStringIndex(s); loc != nil {
			s = strings.TrimSpace(s[loc[1]:])
		}
		s = stripQuotes(s)
		if s == prev {
			return s
		}
	}
}

// speakerMarker matches "Customer:", "Dana:", "**Dana:**", "Customer (Dana):" at the start.
func speakerMarker(names []string) *regexp.Regexp {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	alt := strings.Join(quoted, "|")
	return regexp.MustCompile(`(?i)^(?:(?:\*\*|__)\s*(?:` + alt + `)(?:\s*\([^)\n]*\))?\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?|(?:` + alt + `)(?:\s*\([^)\n]*\))?\s*:)`)
}

// quotePairs are the quotes a model wraps a whole reply in.
var quotePairs = []struct {
	open, close string
	apostrophe  bool // the closing quote doubles as an apostrophe inside words
}{
	{`"`, `"`, false},
	{"“", "”", false},
	{"«", "»", false},
	{"'", "'", true},
	{"‘", "’", true},
}

// stripQuotes removes one pair of quotes around the whole of s, only when they wrap it:
// `"Soon" you said, "soon"` keeps its quotes.
func stripQuotes(s string) string {
	for _, q := range quotePairs {
		if len(s) < len(q.open)+len(q.close) || !strings.HasPrefix(s, q.open) || !strings.HasSuffix(s, q.close) {
			continue
		}
		inner := s[len(q.open) : len(s)-len(q.close)]
		if !q.apostrophe {
			if strings.Contains(inner, q.open) || strings.Contains(inner, q.close) {
				continue
			}
			return inner
		}
		if quoteOutsideWord(inner, q.open, q.close) {
			continue
		}
		return inner
	}
	return s
}

// quoteOutsideWord reports whether s has one of the quotes other than as an apostrophe
// between two letters ("it's", "don’t").
func quoteOutsideWord(s, open, close string) bool {
	runes := []rune(s)
	for i, r := range runes {
		if string(r) != open && string(r) != close {
			continue
		}
		if i == 0 || i == len(runes)-1 || !unicode.IsLetter(runes[i-1]) || !unicode.IsLetter(runes[i+1]) {
			return true
		}
	}
	return false
}

// roleMarker matches a line that starts with a speaker other than the customer, with or
// without Markdown around it: "Agent:", "**Support:**", "> Assistant (Sam):".
var roleMarker = regexp.MustCompile(`(?i)^[\s>*_#\-\[(]*(?:support agent|customer support|customer service(?: agent| representative| rep)?|agent|support|assistant|system|user|representative|rep|ai|bot|chatbot)(?:\s*\([^)\n]*\))?\s*[*_\])]*\s*[:：]`)

// templateTokens are chat-template tokens that show the model wrote past its turn.
var templateTokens = []string{"<|", "|>", "[inst]", "[/inst]", "<<sys>>", "<start_of_turn>", "<end_of_turn>", "<s>", "</s>"}

// agentPhrases are what an agent or an assistant says and a customer does not, written as
// normWords writes them.
var agentPhrases = []string{
	"how can i help",
	"how may i help",
	"how can i assist",
	"how may i assist",
	"is there anything else i can help",
	"is there anything else i can do for you",
	"anything else i can help you with",
	"i'd be happy to help you",
	"i would be happy to help you",
	"i'd be glad to help you",
	"i'm happy to help you with",
	"thank you for contacting",
	"thanks for contacting",
	"thank you for reaching out",
	"i apologize for the inconvenience",
	"i apologise for the inconvenience",
	"we apologize for the inconvenience",
	"we apologise for the inconvenience",
	"i can help you with that",
	"let me look into that for you",
	"let me check that for you",
	"as an ai",
	"i'm an ai",
	"i am an ai",
	"language model",
}

// checkRole rejects a reply that speaks for the agent or the system.
func checkRole(text string) *Rejection {
	for line := range strings.SplitSeq(text, "\n") {
		if roleMarker.MatchString(line) {
			return reject(rejectRole, "a line speaks as another role: %s", quote(strings.TrimSpace(line)))
		}
	}
	lower := strings.ToLower(text)
	for _, tok := range templateTokens {
		if strings.Contains(lower, tok) {
			return reject(rejectRole, "carries the chat-template token %s", quote(tok))
		}
	}
	words := " " + strings.Join(phraseWords(text), " ") + " "
	for _, p := range agentPhrases {
		if strings.Contains(words, " "+p+" ") {
			return reject(rejectRole, "speaks as the agent would: %s", quote(p))
		}
	}
	return nil
}

// phraseWords splits s into lower-case words of letters, digits and apostrophes, with
// typographic apostrophes made plain.
func phraseWords(s string) []string {
	s = strings.NewReplacer("’", "'", "‘", "'", "ʼ", "'").Replace(strings.ToLower(s))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '\''
	})
}

// repeatRun is how many consecutive words of the agent's message make a reply an echo.
const repeatRun = 8

// checkRepeat rejects a reply that is the agent's message, or that copies a long run of
// its words.
func checkRepeat(text, agent string) *Rejection {
	a := echoWords(agent)
	if len(a) == 0 {
		return nil
	}
	r := echoWords(text)
	if slices.Equal(a, r) {
		return reject(rejectRepeat, "repeats the agent's message %s", quote(agent))
	}
	// The longest common run of words, by dynamic programming over the two word lists:
	// row[j+1] is the length of the common run ending at r[i] and a[j].
	best, end := 0, 0
	prev, row := make([]int, len(a)+1), make([]int, len(a)+1)
	for i := range r {
		for j := range a {
			row[j+1] = 0
			if r[i] == a[j] {
				row[j+1] = prev[j] + 1
				if row[j+1] > best {
					best, end = row[j+1], i+1
				}
			}
		}
		prev, row = row, prev
	}
	if best >= repeatRun {
		return reject(rejectRepeat, "copies the agent's words %s", quote(strings.Join(r[end-best:end], " ")))
	}
	return nil
}

// echoWords splits s into lower-case words of letters and digits; apostrophes vanish
// ("I'm" is "im"), so punctuation and case do not hide an echo.
func echoWords(s string) []string {
	s = strings.NewReplacer("'", "", "’", "", "‘", "", "ʼ", "").Replace(strings.ToLower(s))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

var (
	urlPattern    = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>"'“”]+`)
	emailPattern  = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	domainPattern = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:com|net|org|io|uk|us|ca|au|de|fr|nl|info|biz|shop|store|online)\b(?:/[^\s<>"'“”]*)?`)
	// identPattern matches word-like tokens; those mixing letters and digits, five or
	// more characters long, are identifiers ("ORD-88231", "AB12CD").
	identPattern = regexp.MustCompile(`[\p{L}\p{N}]+(?:[\-_/.#][\p{L}\p{N}]+)*`)
)

// mention is something a reply states that must be grounded: a URL, an email address,
// an identifier or a number.
type mention struct {
	start, end int
	kind       string // "url", "email", "ident", "number"
	key        string // the normalised form compared with the grounding
	parts      []string
}

// grounding is what the customer may state: the normalised mentions of the scenario's
// facts, the persona, title and issues, the scripted line and the conversation so far.
type grounding struct {
	urls, emails, idents, numbers map[string]bool
}

// checkFacts rejects a reply that states a number, email address, URL or identifier that
// is in neither the scenario's facts nor the conversation so far.
func checkFacts(text string, turn Turn) *Rejection {
	ms := mentions(text)
	if len(ms) == 0 {
		return nil
	}
	g := ground(turn)
	for _, m := range ms {
		if !g.has(m) {
			return reject(rejectFact, "states %s, which is in neither the scenario's facts nor the conversation", quote(shown(text, m)))
		}
	}
	return nil
}

// shown is the text of a mention as a trainer should see it: a number keeps its currency
// sign ("$12.00").
func shown(text string, m mention) string {
	start := m.start
	if m.kind == "number" {
		if r, w := utf8.DecodeLastRuneInString(text[:start]); unicode.Is(unicode.Sc, r) {
			start -= w
		}
	}
	return text[start:m.end]
}

func (g grounding) has(m mention) bool {
	switch m.kind {
	case "url":
		return g.urls[m.key]
	case "email":
		return g.emails[m.key]
	case "ident":
		return g.idents[m.key]
	}
	if g.numbers[m.key] {
		return true
	}
	// "+44 7700 900123" is grounded when each space-separated group is, so long as it
	// has more than one; single digits need no grounding.
	if len(m.parts) < 2 {
		return false
	}
	for _, p := range m.parts {
		if len(p) >= 2 && !g.numbers[p] {
			return false
		}
	}
	return true
}

// ground collects what the customer may state for a turn.
func ground(turn Turn) grounding {
	texts := []string{turn.Agent, turn.Scripted}
	for _, m := range turn.History {
		texts = append(texts, m.Text)
	}
	if sc := turn.Scenario; sc != nil {
		texts = append(texts, sc.Title, sc.Persona.Name)
		for _, is := range sc.Issues {
			texts = append(texts, is.Summary)
		}
		if sc.Model != nil {
			for _, f := range sc.Model.Facts {
				texts = append(texts, f.Key, f.Value)
			}
		}
	}
	g := grounding{urls: map[string]bool{}, emails: map[string]bool{}, idents: map[string]bool{}, numbers: map[string]bool{}}
	for _, t := range texts {
		if t == "" {
			continue
		}
		for _, loc := range urlPattern.FindAllStringIndex(t, -1) {
			u := normURL(trimURL(t[loc[0]:loc[1]]))
			g.urls[u] = true
			g.urls[host(u)] = true
		}
		for _, loc := range domainPattern.FindAllStringIndex(t, -1) {
			u := normURL(t[loc[0]:loc[1]])
			g.urls[u] = true
			g.urls[host(u)] = true
		}
		for _, e := range emailPattern.FindAllString(t, -1) {
			e = strings.ToLower(e)
			g.emails[e] = true
			_, domain, _ := strings.Cut(e, "@")
			g.urls[domain] = true
		}
		// Every token counts, not only mixed ones: "ORD 88231" grounds neither
		// "ORD88231" nor more than its parts.
		for _, tok := range identPattern.FindAllString(t, -1) {
			g.idents[identKey(tok)] = true
		}
		for _, n := range scanNumbers(t) {
			g.numbers[n.key] = true
			for _, p := range n.parts {
				g.numbers[p] = true
			}
			for _, r := range digitRuns(t[n.start:n.end]) {
				g.numbers[r] = true
			}
		}
	}
	return g
}

// mentions finds what a reply states that needs grounding, in text order. URLs, email
// addresses and identifiers are masked (with NUL bytes, which no pattern matches) before
// the next kind is looked for, so the digits of "ORD-88231" are not a second number.
func mentions(text string) []mention {
	masked := []byte(text)
	var out []mention
	add := func(start, end int, kind, key string) {
		out = append(out, mention{start: start, end: end, kind: kind, key: key})
		for i := start; i < end; i++ {
			masked[i] = 0
		}
	}
	for _, loc := range urlPattern.FindAllStringIndex(string(masked), -1) {
		u := trimURL(text[loc[0]:loc[1]])
		add(loc[0], loc[0]+len(u), "url", normURL(u))
	}
	for _, loc := range emailPattern.FindAllStringIndex(string(masked), -1) {
		add(loc[0], loc[1], "email", strings.ToLower(text[loc[0]:loc[1]]))
	}
	for _, loc := range domainPattern.FindAllStringIndex(string(masked), -1) {
		u := trimURL(text[loc[0]:loc[1]])
		add(loc[0], loc[0]+len(u), "url", normURL(u))
	}
	for _, loc := range identPattern.FindAllStringIndex(string(masked), -1) {
		if tok := text[loc[0]:loc[1]]; isIdent(tok) {
			add(loc[0], loc[1], "ident", identKey(tok))
		}
	}
	for _, n := range scanNumbers(string(masked)) {
		if len(n.key) >= 2 {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// isIdent reports whether a token is identifier-like: letters and digits mixed, five or
// more characters.
func isIdent(tok string) bool {
	var letter, digit bool
	for _, r := range tok {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	return letter && digit && utf8.RuneCountInString(tok) >= 5
}

// identKey compares identifiers without case or separators: "ord-88231" is "ORD88231".
func identKey(tok string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(tok) {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// trimURL drops the sentence punctuation a URL is followed by.
func trimURL(u string) string {
	return strings.TrimRight(u, ".,;:!?)]}'\"")
}

// normURL compares URLs without case, scheme, "www." or a trailing slash.
func normURL(u string) string {
	u = strings.ToLower(u)
	u = strings.TrimPrefix(u, "https://")
	u = strings.TrimPrefix(u, "http://")
	u = strings.TrimPrefix(u, "www.")
	return strings.TrimRight(u, "/")
}

func host(u string) string {
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// scanNumbers finds the numbers of s: digits joined by one separator ("49.99",
// "12/03", "1,000", "555-0199", "+44 7700 900123", "(020) 7946"). A number's key is its
// digit string; parts are the digit strings of its space-separated groups.
func scanNumbers(s string) []mention {
	var out []mention
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsDigit(r) {
			i += w
			continue
		}
		start := i
		if start > 0 && s[start-1] == '+' {
			start--
		}
		var key, part strings.Builder
		var parts []string
		j := i
		for {
			for j < len(s) {
				r, w := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsDigit(r) {
					break
				}
				key.WriteRune(r)
				part.WriteRune(r)
				j += w
			}
			n := separator(s[j:])
			if n == 0 {
				break
			}
			if strings.Contains(s[j:j+n], " ") {
				parts = append(parts, part.String())
				part.Reset()
			}
			j += n
		}
		if len(parts) > 0 {
			parts = append(parts, part.String())
		}
		out = append(out, mention{start: start, end: j, kind: "number", key: key.String(), parts: parts})
		i = j
	}
	return out
}

// separator returns the length of the separator at the start of s when a digit follows
// it, else 0.
func separator(s string) int {
	for _, sep := range []string{") ", ")-", " (", ".", ",", "/", ":", "-", " ", ")", "("} {
		if strings.HasPrefix(s, sep) {
			if r, _ := utf8.DecodeRuneInString(s[len(sep):]); unicode.IsDigit(r) {
				return len(sep)
			}
		}
	}
	return 0
}

// digitRuns are the unbroken runs of digits in s: "49.00" has "49" and "00".
func digitRuns(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsDigit(r) })
}

// quote puts s in double quotes for a reason, shortened to about 60 characters.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return `"` + s + `"`
}
