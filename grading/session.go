package grading

import (
	"context"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"chatdojo/grading/moves"
	"chatdojo/scenarios"
)

// Grade grades one conversation. A simulator transcript brings the customer's mood and
// the issues from its event log; for a bare transcript the mood is estimated from the
// customer's own messages and, when the scenario is known, the issues are replayed from
// the agent's moves. Scores that cannot be computed are nil.
//
// Grade runs once per conversation, which is often a single turn, so its own code is
// fetched afresh each time: what only some conversations need (a judge, a scenario,
// an event log, long conversations) is kept out of line, in the helpers below it, and
// the turns and the session's scores are graded by helpers working on a convo in
// place, which keeps each function's state in few registers.
func (g *Grader) Grade(ctx context.Context, tr scenarios.Transcript) (gr Grade, err error) {
	// The grade is written where it is returned, field by field: a literal is built
	// aside and copied.
	gr.ID, gr.Scenario, gr.User, gr.StartedAt = tr.ID, tr.Scenario, tr.User, tr.StartedAt
	gr.Judge, gr.Turns, gr.Outcome, gr.Resolved = g.JudgeName(), []Turn{}, tr.Outcome, []string{}
	// c too is set field by field: a literal with fields not zero is built in a copy.
	var c convo
	c.msgs, c.firstC, c.lastC, c.lastCustomer, c.shownAt = tr.Messages, -1, -1, -1, -1
	if g.lookup != nil && tr.Scenario != "" {
		c.sc, _ = g.lookup(tr.Scenario)
	}
	msgs := tr.Messages
	// One look over the messages: who speaks where, and whether the simulator gave
	// every customer message its mood.
	simulated := true
	for i := range msgs {
		switch msgs[i].Role {
		case scenarios.RoleAgent:
			c.agents++
		case scenarios.RoleCustomer:
			if c.firstC < 0 {
				c.firstC = i
			}
			c.lastC = i
			simulated = simulated && msgs[i].Mood != nil
		}
	}
	// The optional numbers of the grade share one allocation (see values), and the
	// turns and their timing scores another; a one-turn conversation, the commonest,
	// has its turn in the first.
	var small *smallBlocks
	switch c.agents {
	case 0:
		c.vals = new(values)
	case 1:
		one := new(oneTurn)
		c.vals, gr.Turns, small = &one.vals, one.turn[:0], &one.blocks
	default:
		c.vals, gr.Turns = new(values), make([]Turn, 0, c.agents)
	}

	work := g.scratch.Get().(*scratch)
	defer work.release(&g.scratch)
	c.work = work
	work.reset(len(msgs))
	c.texts, c.moods = work.texts[:len(msgs)], work.moods[:len(msgs)]
	texts, moods := c.texts, c.moods
	moveSets, matchLo, matchHi := work.moveSets[:len(msgs)], work.matchLo[:len(msgs)], work.matchHi[:len(msgs)]

	// Pass 1: the customer's mood at each customer message.
	gr.MoodSource = MoodEstimated
	if simulated && c.firstC >= 0 {
		gr.MoodSource = MoodSimulator
	}
	prev := -1
	if tr.StartMood != nil {
		prev = *tr.StartMood
	}
	for i := range msgs {
		m := &msgs[i]
		if m.Role == scenarios.RoleAgent {
			// The reply is classified and read in one go (see classifyRead).
			matchLo[i] = len(work.matches)
			moveSets[i] = g.classifyRead(&texts[i], m.Text, work)
			matchHi[i] = len(work.matches)
			continue
		}
		work.buf = g.lex.read(&texts[i], m.Text, work.buf)
		if m.Role != scenarios.RoleCustomer {
			continue
		}
		if simulated {
			moods[i] = *m.Mood
		} else {
			moods[i] = g.lex.estimateMood(&texts[i], prev)
		}
		prev = moods[i]
	}
	// The turns' moves and evidence, and the words of the evidence, each in one
	// allocation for the whole conversation, or all in the one-turn allocation when
	// they fit (see blocks).
	c.blocks = newBlocks(len(work.matches), len(work.evidence), c.agents, small)

	c.startMood = 50
	if tr.StartMood != nil {
		c.startMood = *tr.StartMood
	} else if c.firstC >= 0 {
		c.startMood = moods[c.firstC]
	}
	c.mood = c.startMood
	if c.sc != nil || len(tr.Events) > 0 {
		c.replay, c.replaying = newIssueReplay(c.sc, tr), true
	}

	// Pass 2: each agent turn.
	for i := range msgs {
		if err := ctx.Err(); err != nil {
			return Grade{}, err
		}
		switch m := &msgs[i]; m.Role {
		case scenarios.RoleCustomer:
			c.lastCustomer, c.mood = i, moods[i]
			if c.unanswered.IsZero() {
				c.unanswered = m.At.Time
			}
		case scenarios.RoleAgent:
			// The turn is written in place, in the grade's own slice, which has room
			// for every turn.
			k := len(gr.Turns)
			gr.Turns = gr.Turns[:k+1]
			t := &gr.Turns[k]
			t.Index, t.Text = i, m.Text
			if err := g.turn(ctx, &c, t, k); err != nil {
				return Grade{}, err
			}
		}
	}
	c.session(&gr, &tr)
	return gr, nil
}

// convo is a conversation being graded: what Grade finds out before the turns, where
// the conversation is, and what the turns add up to for the session's scores and KPIs.
type convo struct {
	msgs   []scenarios.Message
	sc     *scenarios.Scenario // nil when unknown
	work   *scratch
	vals   *values
	texts  []text
	moods  []int
	blocks blocks
	// timings holds the turns' timing scores, made at the first timed turn.
	timings []int
	recent  [4]*text // room for the customer's texts a reply is read against
	// replay follows the issues, when replaying: with a scenario or an event log.
	replay    issueReplay
	replaying bool

	agents        int
	firstC, lastC int // the customer's first and last messages, or -1
	startMood     int

	// Where the conversation is: the customer's last message and their mood then, and
	// since when they have waited for a reply (zero when they are not waiting).
	lastCustomer, mood int
	unanswered         time.Time
	shownAt, shownMood int // the last turn that showed empathy, and the mood then

	// What the turns add up to. The response times: the first, and the sum and count.
	firstRT, sumRT float64
	nRT            int
	untimed        bool // some reply answers a message without a time
	repeats        int  // the turns that ask again for what was given
	transfers      int
	slow           int // the replies slower than their target
	// The turns' empathy scores weighted by need, the weights, and the sums of the
	// de-escalation and timing scores.
	weighted, weights float64
	deSum, timingSum  int
}

// turn grades the agent message i, the conversation's turn k, into t.
func (g *Grader) turn(ctx context.Context, c *convo, t *Turn, k int) error {
	i := t.Index
	msgs, texts, work := c.msgs, c.texts, c.work
	a := &texts[i]
	mv, matches := work.moveSets[i], work.matches[work.matchLo[i]:work.matchHi[i]]
	mood := c.mood
	// The reply is read against the customer's first message (which usually states
	// the problem) and their last three: what they said earlier is still what the
	// conversation is about.
	about := c.recent[:0]
	customerText := ""
	if c.lastCustomer >= 0 {
		customerText = msgs[c.lastCustomer].Text
		about = append(about, &texts[c.lastCustomer])
		if c.lastCustomer > c.firstC {
			about = moreCustomers(about, msgs, texts, c.firstC, c.lastCustomer)
		}
	}
	r := g.lex.mechanisms(a, about, mv, &work.seen)
	judgement := Judgement{Mechanisms: r.m}
	if g.judge != nil {
		var err error
		judgement, err = g.judgeTurn(ctx, judgement, customerText, msgs, i, matches, mood)
		if err != nil {
			return err
		}
	}
	t.Empathy = judgement.Mechanisms
	rep := 0
	if len(r.formulas) > 0 {
		rep = work.formulaRepeats(r.formulas)
	}
	repeatAsk := g.repeatAsk(mv, a, msgs[:i], texts[:i], work)
	if repeatAsk {
		c.repeats++
	}
	if mv.has(bitEscalate) {
		c.transfers++
	}
	var (
		after     *int
		afterMood int // the customer's mood after the turn, on the stack
	)
	if i < c.lastC {
		afterMood = c.moods[nextCustomer(msgs, i)]
		after = &afterMood
	}
	t.Moves, t.Evidence = c.blocks.moves(matches), c.blocks.evidence(matches, &r)
	needScale := 1.0
	if c.shownAt >= 0 && mood >= c.shownMood {
		needScale = 0.5
	}
	t.Scores.Empathy = empathyScore(judgement.Mechanisms, mood, rep, mv, needScale)
	if judgement.Mechanisms.EmotionalReaction+judgement.Mechanisms.Interpretation >= 2 {
		c.shownAt, c.shownMood = i, mood
	}
	if judgement.DeEscalation != nil {
		t.Scores.DeEscalation = clamp(*judgement.DeEscalation)
	} else {
		t.Scores.DeEscalation = deEscalationScore(mv, mood, after, repeatAsk)
	}
	var rt time.Duration
	at := msgs[i].At.Time
	if !c.unanswered.IsZero() {
		if !at.IsZero() {
			rt = c.timed(t, k, at)
		} else {
			c.untimed = true
		}
	}
	c.unanswered = time.Time{}
	t.Feedback = g.feedback(t.Text, matches, mv, &r, judgement.Mechanisms, mood, rep, repeatAsk, t.Scores.Timing, rt, customerText)

	w := 0.5 + float64(100-mood)/100
	c.weighted += w * float64(t.Scores.Empathy)
	c.weights += w
	c.deSum += t.Scores.DeEscalation
	if c.replaying {
		c.replay.agent(t.Moves, at)
	}
	return nil
}

// timed scores the response time of turn k, t, sent at at, and returns it.
func (c *convo) timed(t *Turn, k int, at time.Time) time.Duration {
	rt := elapsed(at, c.unanswered)
	first, target := defaultFirstResponse, defaultReply
	if c.sc != nil {
		first, target = c.sc.Timing.FirstResponse, c.sc.Timing.Reply
	}
	if c.nRT == 0 {
		target, c.firstRT = first, rt.Seconds()
	}
	if c.timings == nil {
		c.timings = c.vals.timingScores(c.agents)
	}
	score := timingScore(rt, target)
	c.timings[k] = score
	t.Scores.Timing = &c.timings[k]
	if rt > target {
		c.slow++
	}
	c.sumRT += rt.Seconds()
	c.nRT++
	c.timingSum += score
	return rt
}

// session writes the session's scores and KPIs of tr into gr, once its turns are graded.
func (c *convo) session(gr *Grade, tr *scenarios.Transcript) {
	vals := c.vals
	endMood, haveEnd := c.startMood, false
	if tr.FinalMood != nil {
		endMood, haveEnd = *tr.FinalMood, true
	} else if c.lastC >= 0 {
		endMood, haveEnd = c.moods[c.lastC], true
	}
	if c.replaying {
		c.resolution(gr, tr)
	}
	timed := c.nRT > 0 && !c.untimed
	if n := len(gr.Turns); n > 0 {
		gr.Scores.Empathy = vals.int(int(math.Round(c.weighted / c.weights)))
		de := float64(c.deSum) / float64(n)
		if haveEnd {
			traj := float64(clamp(50 + endMood - c.startMood))
			de = 0.5*de + 0.5*traj
		}
		if tr.Outcome == scenarios.OutcomeWalkedAway {
			de = math.Min(de, 25)
		}
		gr.Scores.DeEscalation = vals.int(int(math.Round(de)))
		if timed {
			gr.Scores.Timing = vals.int(int(math.Round(float64(c.timingSum) / float64(c.nRT))))
		}
	}
	rubric := &scenarios.DefaultRubric
	if c.sc != nil {
		rubric = &c.sc.Rubric
	}
	if o, ok := overall(&gr.Scores, rubric); ok {
		gr.Scores.Overall = vals.int(o)
	}

	// KPIs.
	if timed {
		gr.KPIs.FirstResponseS = vals.float(round1(c.firstRT))
		gr.KPIs.AvgResponseS = vals.float(round1(c.sumRT / float64(c.nRT)))
	}
	if haveEnd && c.firstC >= 0 {
		gr.KPIs.CSAT = vals.int(csatFromMood(endMood))
	}
	if len(gr.Turns) > 0 {
		ces := 1
		if c.repeats > 0 {
			ces++
		}
		if c.repeats > 1 {
			ces++
		}
		if c.transfers > 0 {
			ces++
		}
		if c.slow > 0 || hasSilence(tr.Events) {
			ces++
		}
		gr.KPIs.CES = vals.int(min(ces, 5))
	}
}

// resolution writes what the replay of the issues found: the issues resolved, the
// resolution score (with a scenario) and the time to resolve them all.
//
//go:noinline
func (c *convo) resolution(gr *Grade, tr *scenarios.Transcript) {
	var resolvedAt time.Time
	gr.Resolved, resolvedAt = c.replay.result()
	if len(gr.Turns) > 0 && c.sc != nil {
		gr.Scores.Resolution = c.vals.int(c.replay.score())
	}
	if msgs := tr.Messages; !resolvedAt.IsZero() && len(msgs) > 0 && !msgs[0].At.IsZero() {
		gr.KPIs.ResolutionS = c.vals.float(round1(resolvedAt.Sub(msgs[0].At.Time).Seconds()))
	}
}

// reset readies the scratch for a conversation of n messages.
func (w *scratch) reset(n int) {
	w.asked = w.asked[:0]
	w.matches, w.evidence = w.matches[:0], w.evidence[:0]
	if cap(w.texts) < n || cap(w.moveSets) < n {
		w.grow(n)
	}
}

// grow makes room for a conversation of n messages: rarely, as the scratch is reused.
//
//go:noinline
func (w *scratch) grow(n int) {
	if cap(w.texts) < n {
		w.texts = append(w.texts[:cap(w.texts)], make([]text, n-cap(w.texts))...)
	}
	if cap(w.moveSets) < n {
		w.moveSets = make([]moveSet, n)
		w.matchLo, w.matchHi = make([]int, n), make([]int, n)
		w.moods = make([]int, n)
	}
}

// release returns the scratch to pool, keeping no message alive: the evidence and the
// stock phrases are slices of them.
func (w *scratch) release(pool *sync.Pool) {
	clear(w.matches)
	clear(w.evidence)
	if len(w.formulaUses) > 0 {
		clear(w.formulaUses)
		w.formulaUses = w.formulaUses[:0]
	}
	pool.Put(w)
}

// formulaRepeats counts the uses of a turn's stock phrases, whatever their case, and
// returns how often the most used of them was said before.
//
//go:noinline
func (w *scratch) formulaRepeats(formulas []string) int {
	rep := 0
	for _, f := range formulas {
		i := 0
		for i < len(w.formulaUses) && !sameLower(w.formulaUses[i].phrase, f) {
			i++
		}
		if i == len(w.formulaUses) {
			w.formulaUses = append(w.formulaUses, formulaUse{phrase: f})
		}
		rep = max(rep, w.formulaUses[i].n)
		w.formulaUses[i].n++
	}
	return rep
}

// formulaUse is how often a stock phrase was said in a conversation, in any case.
type formulaUse struct {
	phrase string // as first said
	n      int
}

// sameLower reports whether a and b are the same in lower case: for ASCII, as
// strings.EqualFold says, without making the lower-case copies.
func sameLower(a, b string) bool {
	if isASCII(a) && isASCII(b) {
		return strings.EqualFold(a, b)
	}
	return strings.ToLower(a) == strings.ToLower(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// moreCustomers adds to about, which holds the customer's message at last, their two
// messages before it and their first message (when not among them): the texts a reply
// is read against, in a conversation where the customer has said more than once.
//
//go:noinline
func moreCustomers(about []*text, msgs []scenarios.Message, texts []text, first, last int) []*text {
	for j := last - 1; j >= 0 && len(about) < 3; j-- {
		if msgs[j].Role == scenarios.RoleCustomer {
			about = append(about, &texts[j])
		}
	}
	if !slices.Contains(about, &texts[first]) {
		about = append(about, &texts[first])
	}
	return about
}

// nextCustomer is the index of the first customer message after message i; there is one.
//
//go:noinline
func nextCustomer(msgs []scenarios.Message, i int) int {
	for i++; msgs[i].Role != scenarios.RoleCustomer; i++ {
	}
	return i
}

// judgeTurn asks the judge about the agent message i, answering customer; on the
// judge's error it keeps the rules' judgement, unless ctx is done.
//
//go:noinline
func (g *Grader) judgeTurn(ctx context.Context, rules Judgement, customer string, msgs []scenarios.Message, i int, matches []moves.Match, mood int) (Judgement, error) {
	jm, err := g.judge.JudgeTurn(ctx, TurnContext{Customer: customer, Agent: msgs[i].Text, Moves: moveList(matches), CustomerMood: mood, History: msgs[:i]})
	if err == nil {
		return jm, nil
	}
	return rules, ctx.Err()
}

// elapsed is t.Sub(u) for the times of a transcript, the short way. Time.Sub allows for
// monotonic clock readings and, after subtracting, checks for overflow, at a cost the
// size of a turn's bookkeeping; a transcript's times have no monotonic reading and are
// not centuries apart, which elapsed makes sure of first (Round(0) takes away a
// monotonic reading, so a time it changes has one).
func elapsed(t, u time.Time) time.Duration {
	s := t.Unix() - u.Unix()
	if s < -1<<32 || s > 1<<32 || t != t.Round(0) || u != u.Round(0) {
		return t.Sub(u)
	}
	return time.Duration(s)*time.Second + time.Duration(t.Nanosecond()-u.Nanosecond())
}

func hasSilence(events []scenarios.Event) bool {
	for i := range events { // by index: an event is large to copy
		if events[i].Type == scenarios.EventSilence {
			return true
		}
	}
	return false
}

// overall is the weighted mean of the scores that are not nil, with the rubric's
// weights renormalised over those present.
func overall(s *Scores, r *scenarios.Rubric) (int, bool) {
	// The products are whole numbers, so their sum is exact in an int as in a float.
	sum, weights := 0, 0
	add := func(v *int, w int) {
		if v != nil && w > 0 {
			sum += *v * w
			weights += w
		}
	}
	add(s.Empathy, r.Empathy)
	add(s.DeEscalation, r.DeEscalation)
	add(s.Timing, r.Timing)
	add(s.Resolution, r.Resolution)
	if weights == 0 {
		return 0, false
	}
	return int(math.Round(float64(sum) / float64(weights))), true
}

// repeatAsk reports whether an agent message asks for a detail the customer already
// gave (an email address, an order or account number) or repeats an earlier question,
// one of w.asked.
func (g *Grader) repeatAsk(mv moveSet, a *text, prev []scenarios.Message, prevTexts []text, w *scratch) bool {
	repeat := false
	if mv.has(bitVerifyIdentity) {
		wantsEmail, wantsNumber := false, false
		for i := range a.words {
			wantsEmail = wantsEmail || a.flag(i, flagEmail)
			wantsNumber = wantsNumber || a.flag(i, flagNumber)
		}
		for j, m := range prev {
			if m.Role != scenarios.RoleCustomer {
				continue
			}
			if wantsEmail && strings.IndexByte(m.Text, '@') >= 0 {
				repeat = true
			}
			if wantsNumber && hasDigitRun(&prevTexts[j], 4) {
				repeat = true
			}
		}
	}
	for _, s := range a.sents {
		if !s.question {
			continue
		}
		key := signature(a, s)
		if key == 0 {
			continue
		}
		if slices.Contains(w.asked, key) {
			repeat = true
		} else {
			w.asked = append(w.asked, key)
		}
	}
	return repeat
}

// signature is a hash of a question's content words in order, to spot the same
// question asked twice; 0 when it has none.
func signature(a *text, s sentence) uint64 {
	var h uint64
	for i := s.first; i < s.last; i++ {
		if !a.words[i].content {
			continue
		}
		// Mix each word's 32-bit hash into 64 bits (FNV-1a over the hashes).
		if h == 0 {
			h = 14695981039346656037
		}
		h = (h ^ uint64(a.words[i].k.h)) * 1099511628211
		h = (h ^ uint64(a.wlen(i))) * 1099511628211
	}
	return h
}

func hasDigitRun(t *text, n int) bool {
	for i := range t.words {
		w := t.w(i)
		digits := 0
		for j := 0; j < len(w); j++ {
			if '0' <= w[j] && w[j] <= '9' {
				digits++
			}
		}
		if digits >= n {
			return true
		}
	}
	return false
}

// values holds a grade's optional numbers, so that the pointers of its Scores and KPIs
// cost one allocation between them.
type values struct {
	ints   [7]int
	floats [3]float64
	ni, nf int
	// timings holds the turns' timing scores when there are no more of them.
	timings [4]int
}

// oneTurn is the turn and the numbers of a one-turn grade, in one allocation.
type oneTurn struct {
	turn   [1]Turn
	vals   values
	blocks smallBlocks
}

// timingScores is room for the timing scores of n turns.
func (v *values) timingScores(n int) []int {
	if n <= len(v.timings) {
		return v.timings[:n] // a short conversation's timings share the allocation
	}
	return make([]int, n)
}

func (v *values) int(x int) *int {
	p := &v.ints[v.ni]
	v.ni++
	*p = x
	return p
}

func (v *values) float(x float64) *float64 {
	p := &v.floats[v.nf]
	v.nf++
	*p = x
	return p
}

func round1(x float64) float64 {
	return math.Round(x*10) / 10
}

func moveList(ms []moves.Match) []scenarios.Move {
	out := make([]scenarios.Move, len(ms))
	for i, m := range ms {
		out[i] = m.Move
	}
	return out
}

// blocks hold a conversation's turns' moves and evidence, which would otherwise take
// three allocations a turn: each turn takes its share of the three.
type blocks struct {
	mv    []scenarios.Move
	ev    []EvidenceEntry
	words []string
}

// newBlocks makes the blocks for a conversation of agents turns, whose messages have
// matches moves with evidence pieces of evidence in all.
// A small conversation's blocks share one allocation (see smallBlocks).
func newBlocks(matches, evidence, agents int, b *smallBlocks) blocks {
	if b != nil && matches <= len(b.mv) && matches+3*agents <= len(b.ev) && evidence+3*agents <= len(b.words) {
		return blocks{mv: b.mv[:0], ev: b.ev[:0], words: b.words[:0]}
	}
	return blocks{
		mv:    make([]scenarios.Move, 0, matches),
		ev:    make([]EvidenceEntry, 0, matches+3*agents),
		words: make([]string, 0, evidence+3*agents),
	}
}

// smallBlocks are the blocks of most one-turn conversations, kept in the one-turn
// allocation (see oneTurn): room for the moves, evidence and words that most single
// replies have, and no more, so that the allocation stays small.
type smallBlocks struct {
	mv    [4]scenarios.Move
	ev    [7]EvidenceEntry
	words [8]string
}

// moves is a turn's list of moves, out of the block.
func (b *blocks) moves(ms []moves.Match) []scenarios.Move {
	n := len(b.mv)
	for _, m := range ms {
		b.mv = append(b.mv, m.Move)
	}
	return b.mv[n:len(b.mv):len(b.mv)]
}

// evidence maps each move and mechanism of a turn to the words that earned it, out of
// the blocks. The names are few and known, so rather than sort them the entries are
// written in evidenceNames' order: a bit per name says which the turn has.
func (b *blocks) evidence(ms []moves.Match, r *mechanismResult) Evidence {
	var (
		has  uint32
		from [32]int16 // by name: the match that earned it, or -1-k for mechanism k
	)
	if len(ms) > math.MaxInt16 {
		return b.evidenceSorted(ms, r)
	}
	for j := range ms {
		rank := ms[j].Move.Rank()
		if rank < 0 {
			return b.evidenceSorted(ms, r)
		}
		at := evidenceAt[rank]
		has |= 1 << at
		from[at] = int16(j) // a move matched twice keeps its last evidence, as insert would
	}
	mechanisms := [...]string{r.er, r.in, r.ex}
	for k, words := range mechanisms {
		if words != "" {
			at := evidenceAt[len(scenarios.AllMoves)+k]
			has |= 1 << at
			from[at] = int16(-1 - k)
		}
	}
	// The blocks have room for all this (see newBlocks), so the entries and their words
	// are written in place, by index: append's code for growing is most of its size.
	n, ne, nw := len(b.ev), len(b.ev), len(b.words)
	ev, words := b.ev[:cap(b.ev)], b.words[:cap(b.words)]
	for ; has != 0; has &= has - 1 {
		at := bits.TrailingZeros32(has)
		w := nw
		if j := from[at]; j >= 0 {
			for _, x := range ms[j].Evidence { // a piece or two: a loop beats a copy
				words[nw] = x
				nw++
			}
		} else {
			words[nw] = mechanisms[-1-j]
			nw++
		}
		e := &ev[ne]
		e.Name, e.Words = evidenceNames[at], words[w:nw:nw]
		ne++
	}
	b.ev, b.words = ev[:ne], words[:nw]
	return ev[n:ne:ne]
}

// evidenceNames are the names of Evidence, the moves' and the mechanisms', in order;
// evidenceAt is the place among them of each move, by rank, and then of each mechanism.
var evidenceNames, evidenceAt = evidenceOrder()

func evidenceOrder() ([]string, []int) {
	var names []string
	for _, m := range scenarios.AllMoves {
		names = append(names, string(m))
	}
	names = append(names, mechanismNames[:]...)
	at := make([]int, len(names))
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	if len(sorted) > 32 {
		panic("grading: more names of evidence than evidence can follow")
	}
	for i, name := range names {
		at[i], _ = slices.BinarySearch(sorted, name)
	}
	return sorted, at
}

// mechanismNames are the evidence names of the three mechanisms.
var mechanismNames = [...]string{"emotional_reaction", "interpretation", "exploration"}

// evidenceSorted is evidence by insertion sort, for a move it does not know.
//
//go:noinline
func (b *blocks) evidenceSorted(ms []moves.Match, r *mechanismResult) Evidence {
	n := len(b.ev)
	ev := Evidence(b.ev[n:n:min(n+len(ms)+3, cap(b.ev))])
	for _, m := range ms {
		w := len(b.words)
		b.words = append(b.words, m.Evidence...)
		ev = ev.insert(string(m.Move), b.words[w:len(b.words):len(b.words)])
	}
	for k, words := range [...]string{r.er, r.in, r.ex} {
		if words != "" {
			b.words = append(b.words, words)
			w := len(b.words)
			ev = ev.insert(mechanismNames[k], b.words[w-1:w:w])
		}
	}
	b.ev = b.ev[:n+len(ev)]
	return ev
}

// issueReplay follows the scenario's issues through a conversation: from the event
// log when the transcript has one, else by replaying the agent's moves with
// scenarios.IssueProgress, exactly as the simulator plays them.
type issueReplay struct {
	sc       *scenarios.Scenario
	fromLog  bool
	resolved []string
	at       time.Time
	// done and seen come from the event log.
	done map[string]bool
	seen map[string]map[scenarios.Move]bool
	// progress replays a transcript without an event log.
	progress *scenarios.IssueProgress
}

func newIssueReplay(sc *scenarios.Scenario, tr scenarios.Transcript) issueReplay {
	r := issueReplay{sc: sc, resolved: []string{}}
	for _, ev := range tr.Events {
		switch ev.Type {
		case scenarios.EventResolved:
			r.fromLog = true
			if r.done == nil {
				r.done = map[string]bool{}
			}
			r.resolved = append(r.resolved, ev.Issue)
			r.done[ev.Issue] = true
			r.at = ev.At.Time
		case scenarios.EventNeed:
			r.fromLog = true
			if r.seen == nil {
				r.seen = map[string]map[scenarios.Move]bool{}
			}
			if r.seen[ev.Issue] == nil {
				r.seen[ev.Issue] = map[scenarios.Move]bool{}
			}
			for _, m := range ev.Moves {
				r.seen[ev.Issue][m] = true
			}
		case scenarios.EventOutcome, scenarios.EventReveal:
			r.fromLog = true
		}
	}
	if r.fromLog && (sc == nil || len(r.resolved) < len(sc.Issues)) {
		r.at = time.Time{} // resolution time only when every issue was resolved
	}
	if !r.fromLog && sc != nil {
		r.progress = scenarios.NewIssueProgress(sc)
	}
	return r
}

// agent replays one agent message's moves, sent at at.
func (r *issueReplay) agent(moves []scenarios.Move, at time.Time) {
	if r.progress == nil {
		return
	}
	for _, ch := range r.progress.Step(moves) {
		if ch.Kind == scenarios.IssueResolved {
			r.resolved = append(r.resolved, ch.Issue)
		}
	}
	if r.progress.AllResolved() && r.at.IsZero() {
		r.at = at
	}
}

func (r *issueReplay) result() ([]string, time.Time) {
	return r.resolved, r.at
}

// score is the share of issues resolved, with half credit for the needed moves made on
// an issue left open.
func (r *issueReplay) score() int {
	if r.sc == nil || len(r.sc.Issues) == 0 {
		return 0
	}
	total := 0.0
	for i, is := range r.sc.Issues {
		if r.isDone(i, is) {
			total++
			continue
		}
		if len(is.Needs) > 0 {
			got := 0
			for _, n := range is.Needs {
				if r.isSeen(i, is, n) {
					got++
				}
			}
			total += 0.5 * float64(got) / float64(len(is.Needs))
		}
	}
	return clamp(int(math.Round(100 * total / float64(len(r.sc.Issues)))))
}

func (r *issueReplay) isDone(i int, is scenarios.Issue) bool {
	if r.progress != nil {
		return r.progress.Done(i)
	}
	return r.done[is.ID]
}

func (r *issueReplay) isSeen(i int, is scenarios.Issue, m scenarios.Move) bool {
	if r.progress != nil {
		return r.progress.Seen(i, m)
	}
	return r.seen[is.ID][m]
}
