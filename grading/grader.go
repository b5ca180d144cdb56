package grading

import (
	"context"
	"math"
	"math/bits"
	"strings"
	"sync"
	"time"

	"chatdojo/grading/moves"
	"chatdojo/internal/asciirun"
	"chatdojo/scenarios"
)

// Default timing targets when a conversation has no scenario: live chat.
const (
	defaultFirstResponse = 60 * time.Second
	defaultReply         = 120 * time.Second
)

// Judge rates one agent turn: the three empathy mechanisms and, optionally, a
// de-escalation rating. The rule judge is built in; a model-backed one plugs in here.
// JudgeTurn returns EINTERNAL or EINVALID errors from the judge's backend; the grader
// then falls back to the rules for that turn.
type Judge interface {
	Name() string
	JudgeTurn(ctx context.Context, turn TurnContext) (Judgement, error)
}

// TurnContext is what a judge sees of one agent turn.
type TurnContext struct {
	// Customer is the customer message the agent answers ("" when none).
	Customer string
	Agent    string
	Moves    []scenarios.Move
	// CustomerMood is the customer's mood before the reply, 0–100.
	CustomerMood int
	History      []scenarios.Message
}

// Judgement is a judge's reading of one turn.
type Judgement struct {
	Mechanisms Mechanisms
	// DeEscalation is 0–100, or nil to let the rules decide.
	DeEscalation *int
	Reason       string
}

// Options configure a Grader.
type Options struct {
	// Judge replaces the rule judge's mechanism levels; nil keeps the rules.
	Judge Judge
	// Lookup finds a conversation's scenario by id, for timing targets, issues and
	// rubric weights; nil or not found means none.
	Lookup func(id string) (*scenarios.Scenario, bool)
}

// Grader grades conversations. It is safe for concurrent use.
type Grader struct {
	cls    *moves.Classifier
	lex    *lexicon
	judge  Judge
	lookup func(id string) (*scenarios.Scenario, bool)
	// scratch recycles the per-conversation buffers, so grading a stream of
	// conversations allocates little beyond its results.
	scratch sync.Pool
}

// scratch is the reusable working memory of one Grade call.
type scratch struct {
	seen        wordSet
	formulaUses []formulaUse // the stock phrases said so far (see formulaRepeats)
	asked       []uint64     // the signatures of the questions asked so far
	texts       []text
	moods       []int
	buf         []byte
	// The agent messages' moves, classified while reading (see Grade): every message's
	// matches and their evidence in two buffers, message i's at [matchLo[i],
	// matchHi[i]) of matches.
	moveSets         []moveSet
	matchLo, matchHi []int
	matches          []moves.Match
	evidence         []string
	reading          moves.Reading
}

// New returns a grader that classifies moves with cls.
//
// The grader classifies with a copy of cls that also tags the words of its own lexicons
// (see moves.Classifier.WithWords), so that a plain reply is tokenized once, for the
// moves and for the grader's reading of it together.
func New(cls *moves.Classifier, opts Options) *Grader {
	lex := newLexicon()
	g := &Grader{cls: cls.WithWords(lex.slots()), lex: lex, judge: opts.Judge, lookup: opts.Lookup}
	g.scratch.New = func() any { return &scratch{} }
	return g
}

// JudgeName is the name written in a grade's judge field.
func (g *Grader) JudgeName() string {
	if g.judge != nil {
		return g.judge.Name()
	}
	return "rules"
}

// judgeReply runs the rule judge on one reply to one customer message.
func (g *Grader) judgeReply(customer, reply string) mechanismResult {
	var a, c text
	g.lex.read(&a, reply, nil)
	g.lex.read(&c, customer, nil)
	mv, _ := g.classify(reply)
	return g.lex.mechanisms(&a, []*text{&c}, mv, &wordSet{})
}

// replyScore ranks a reply to a customer message: its empathy and de-escalation turn
// scores together, as the grader would give them.
func (g *Grader) replyScore(customer, reply string) int {
	var a, c text
	g.lex.read(&a, reply, nil)
	g.lex.read(&c, customer, nil)
	mv, _ := g.classify(reply)
	mood := g.lex.estimateMood(&c, -1)
	r := g.lex.mechanisms(&a, []*text{&c}, mv, &wordSet{})
	e := empathyScore(r.m, mood, 0, mv, 1)
	d := deEscalationScore(mv, mood, nil, false)
	return e + d
}

func (g *Grader) classify(s string) (moveSet, []moves.Match) {
	return moveSetOf(g.cls.Classify(s))
}

// classifyRead classifies the agent message s, appending its matches to w.matches (and
// their evidence to w.evidence), and reads it into t: from what the classifier read when
// s is plain, else by scanning it. It returns the message's moves.
func (g *Grader) classifyRead(t *text, s string, w *scratch) moveSet {
	n0 := len(w.matches)
	w.matches, w.evidence = g.cls.ClassifyReading(s, &w.reading, w.matches, w.evidence)
	mv, _ := moveSetOf(w.matches[n0:])
	if w.reading.Plain {
		w.buf = t.fromReading(s, &w.reading, w.buf, g.lex)
	} else {
		w.buf = g.lex.read(t, s, w.buf)
	}
	return mv
}

func moveSetOf(ms []moves.Match) (moveSet, []moves.Match) {
	var set moveSet
	for _, m := range ms {
		set.add(m.Move)
	}
	return set, ms
}

// empathyScore turns the mechanisms into a 0–100 turn score. Empathy matters most when
// the customer is upset: need runs from 0 (delighted) to 1 (furious), and a reply with
// no empathy to a calm customer still scores 60. repeats is how often the reply's stock
// phrases were said before; each repeat halves their worth again.
// needScale lowers the need when empathy was shown recently and the customer has not
// grown more upset since: a turn that gets on with the task then is not a lapse.
func empathyScore(m Mechanisms, mood, repeats int, mv moveSet, needScale float64) int {
	er := float64(m.EmotionalReaction)
	if repeats > 0 && m.EmotionalReaction == 1 {
		er /= float64(1 + repeats)
	}
	// One mechanism done well is already a good deal of empathy; all three saturate.
	share := min(1, (0.6*er+0.5*float64(m.Interpretation)+0.35*float64(m.Exploration))/2)
	need := float64(100-mood) / 100 * needScale
	score := 100 * (need*share + (1-need)*(0.6+0.4*share))
	score -= 25 * float64(bits.OnesCount64(uint64(mv&(bitDismiss|bitRude|bitBlameCustomer|bitShouting))))
	if mv.has(bitPolicyWall) {
		score -= 10
	}
	return clamp(int(math.Round(score)))
}

// moveWeights are what each move does to the customer's temper, for the de-escalation
// score.
var deEscalationWeights = [...]struct {
	m moveSet
	w int
}{
	{bitTakeOwnership, 12}, {bitOfferSolution, 10}, {bitReassure, 8},
	{bitSetExpectation, 8}, {bitExplain, 6}, {bitApologize, 5},
	{bitAcknowledgeEmotion, 6}, {bitEmpathize, 6}, {bitEscalate, 3},
	{bitThank, 2}, {bitBlameCustomer, -30}, {bitDismiss, -30},
	{bitRude, -30}, {bitShouting, -25}, {bitPolicyWall, -25},
}

// deEscalationMoves are the moves of deEscalationWeights, and deEscalationByRank their
// weights by rank: a reply makes only a few of them, so the score adds up its own.
var deEscalationMoves, deEscalationByRank = func() (moveSet, [64]int) {
	var set moveSet
	var w [64]int
	for _, x := range deEscalationWeights {
		set |= x.m
		w[bits.TrailingZeros64(uint64(x.m))] += x.w
	}
	return set, w
}()

// deEscalationScore rates what a reply did to the customer's temper: 50 plus what its
// moves do, minus asking for what was already given, plus (when known) how the
// customer's mood moved after it.
func deEscalationScore(mv moveSet, mood int, moodAfter *int, repeatAsk bool) int {
	score := 50
	for m := mv & deEscalationMoves; m != 0; m &= m - 1 {
		score += deEscalationByRank[bits.TrailingZeros64(uint64(m))]
	}
	if mv.has(bitHold) && mood < 30 {
		score -= 5
	}
	if repeatAsk {
		score -= 10
	}
	if moodAfter != nil {
		d := min(max(*moodAfter-mood, -30), 30)
		score += d * 6 / 10
	}
	return clamp(score)
}

// timingScore rates a response time against its acceptable limit: at or under half the
// target is excellent (100), at the target 70, and it falls to 0 at three times it.
func timingScore(rt, target time.Duration) int {
	if target <= 0 {
		return 100
	}
	x := float64(rt) / float64(target)
	switch {
	case x <= 0.5:
		return 100
	case x <= 1:
		return clamp(int(math.Round(100 - (x-0.5)/0.5*30)))
	}
	return clamp(int(math.Round(70 - (x-1)/2*70)))
}

func clamp(n int) int {
	return min(max(n, 0), 100)
}

// quote shortens s for a feedback line, at a word boundary.
func quote(s string) string {
	q, cut := quoted(s)
	return q + cut
}

// quoted is quote in two parts: s shortened, and "…" when it was cut short, so that
// the caller can write both in the one allocation of its line.
func quoted(s string) (string, string) {
	if needsFolding(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	s = strings.TrimSpace(s)
	const limit = 80
	if len(s) <= limit {
		return s, ""
	}
	cut := strings.LastIndexByte(s[:limit], ' ')
	if cut < 30 {
		cut = limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
	}
	return s[:cut], "…"
}

// needsFolding reports whether s has a line break, a tab or two spaces in a row: white
// space that a one-line quote folds. It reads eight bytes at a time, without a branch
// per byte: a quote is a sentence or two, and a test per byte mispredicts at every space.
// Line breaks and tabs are looked for only in eight bytes with a control character,
// which a quote seldom has.
func needsFolding(s string) bool {
	const ones = 0x0101010101010101
	spaceBefore := false // the byte before the current eight is a space
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := asciirun.Load64(s[i : i+8])
		sp := zeroBytes(v ^ ones*' ')
		if sp&(sp<<8) != 0 || spaceBefore && sp&0x80 != 0 {
			return true
		}
		// (v - ones*0x20) &^ v has bit 7 set in some byte when, and only when, one of
		// the bytes is below 0x20.
		if (v-ones*0x20)&^v&(ones*0x80) != 0 &&
			zeroBytes(v^ones*'\n')|zeroBytes(v^ones*'\t')|zeroBytes(v^ones*'\r') != 0 {
			return true
		}
		spaceBefore = sp>>63 != 0
	}
	for ; i < len(s); i++ {
		switch s[i] {
		case '\n', '\t', '\r':
			return true
		case ' ':
			if spaceBefore {
				return true
			}
			spaceBefore = true
			continue
		}
		spaceBefore = false
	}
	return false
}

// zeroBytes sets bit 7 of each byte of v that is zero, and no other bit.
func zeroBytes(v uint64) uint64 {
	const low7 = 0x7F7F7F7F7F7F7F7F
	return ^((v&low7 + low7) | v | low7)
}
