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
// an event log, long conversations) is kept out of line, in the helpers below it.
func (g *Grader) Grade(ctx context.Context, tr scenarios.Transcript) (Grade, error) {
	gr := Grade{
		ID: tr.ID, Scenario: tr.Scenario, User: tr.User, StartedAt: tr.StartedAt,
		Judge: g.JudgeName(), Turns: []Turn{}, Outcome: tr.Outcome, Resolved: []string{},
	}
	var sc *scenarios.Scenario
	if g.lookup != nil && tr.Scenario != "" {
		sc, _ = g.lookup(tr.Scenario)
	}
	msgs := tr.Messages
	// One look over the messages: who speaks where, and whether the simulator gave
	// every customer message its mood.
	agents, firstC, lastC := 0, -1, -1
	simulated := true
	for i, m := range msgs {
		switch m.Role {
		case scenarios.RoleAgent:
			agents++
		case scenarios.RoleCustomer:
			if firstC < 0 {
				firstC = i
			}
			lastC = i
			simulated = simulated && m.Mood != nil
		}
	}
	// The optional numbers of the grade share one allocation (see values), and the
	// turns and their timing scores another; a one-turn conversation, the commonest,
	// has its turn in the first.
	var (
		vals  *values
		small *smallBlocks
	)
	switch agents {
	case 0:
		vals = new(values)
	case 1:
		one := new(oneTurn)
		vals, gr.Turns, small = &one.vals, one.turn[:0], &one.blocks
	default:
		vals, gr.Turns = new(values), make([]Turn, 0, agents)
	}
	var timings []int

	work := g.scratch.Get().(*scratch)
	defer work.release(&g.scratch)
	work.reset(len(msgs))
	texts, moods := work.texts[:len(msgs)], work.moods[:len(msgs)]
	moveSets, matchLo, matchHi := work.moveSets[:len(msgs)], work.matchLo[:len(msgs)], work.matchHi[:len(msgs)]

	// Pass 1: the customer's mood at each customer message.
	gr.MoodSource = MoodEstimated
	if simulated && firstC >= 0 {
		gr.MoodSource = MoodSimulator
	}
	prev := -1
	if tr.StartMood != nil {
		prev = *tr.StartMood
	}
	for i, m := range msgs {
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
	blocks := newBlocks(len(work.matches), len(work.evidence), agents, small)

	startMood := 50
	if tr.StartMood != nil {
		startMood = *tr.StartMood
	} else if firstC >= 0 {
		startMood = moods[firstC]
	}

	// Pass 2: each agent turn.
	firstTarget, replyTarget := defaultFirstResponse, defaultReply
	if sc != nil {
		firstTarget, replyTarget = sc.Timing.FirstResponse, sc.Timing.Reply
	}
	var (
		lastCustomer = -1
		mood         = startMood
		unanswered   time.Time
		// The response times, for the KPIs: the first, and the sum and count of all.
		firstRT, sumRT float64
		nRT            int
		repeats        int
		transfers      int
		slow           int
		weighted       float64
		weights        float64
		deSum          int
		timingSum      int
		timed          = true
		replay         *issueReplay // nil without a scenario or an event log
		replayed       issueReplay
		shownAt        = -1 // the last turn that showed empathy, and the mood then
		shownMood      int
		recent         = make([]*text, 0, 4)
		afterMood      int // the customer's mood after a turn, on the stack
	)
	if sc != nil || len(tr.Events) > 0 {
		replayed = newIssueReplay(sc, tr)
		replay = &replayed
	}
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			return Grade{}, err
		}
		if m.Role == scenarios.RoleCustomer {
			lastCustomer, mood = i, moods[i]
			if unanswered.IsZero() {
				unanswered = m.At.Time
			}
			continue
		}
		if m.Role != scenarios.RoleAgent {
			continue
		}
		a := &texts[i]
		mv, matches := moveSets[i], work.matches[matchLo[i]:matchHi[i]]
		// The reply is read against the customer's first message (which usually
		// states the problem) and their last three: what they said earlier is still
		// what the conversation is about.
		about := recent[:0]
		customerText := ""
		if lastCustomer >= 0 {
			customerText = msgs[lastCustomer].Text
			about = append(about, &texts[lastCustomer])
			if lastCustomer > firstC {
				about = moreCustomers(about, msgs, texts, firstC, lastCustomer)
			}
		}
		r := g.lex.mechanisms(a, about, mv, &work.seen)
		judgement := Judgement{Mechanisms: r.m}
		if g.judge != nil {
			var err error
			judgement, err = g.judgeTurn(ctx, judgement, customerText, msgs, i, matches, mood)
			if err != nil {
				return Grade{}, err
			}
		}
		rep := 0
		if len(r.formulas) > 0 {
			rep = work.formulaRepeats(r.formulas)
		}
		repeatAsk := g.repeatAsk(mv, a, msgs[:i], texts[:i], work)
		if repeatAsk {
			repeats++
		}
		if mv.has(bitEscalate) {
			transfers++
		}
		var after *int
		if i < lastC {
			afterMood = moods[nextCustomer(msgs, i)]
			after = &afterMood
		}
		// The turn is written in place, in the grade's own slice.
		gr.Turns = append(gr.Turns, Turn{Index: i, Text: m.Text, Empathy: judgement.Mechanisms})
		t := &gr.Turns[len(gr.Turns)-1]
		t.Moves, t.Evidence = blocks.moves(matches), blocks.evidence(matches, r)
		needScale := 1.0
		if shownAt >= 0 && mood >= shownMood {
			needScale = 0.5
		}
		t.Scores.Empathy = empathyScore(judgement.Mechanisms, mood, rep, mv, needScale)
		if judgement.Mechanisms.EmotionalReaction+judgement.Mechanisms.Interpretation >= 2 {
			shownAt, shownMood = i, mood
		}
		if judgement.DeEscalation != nil {
			t.Scores.DeEscalation = clamp(*judgement.DeEscalation)
		} else {
			t.Scores.DeEscalation = deEscalationScore(mv, mood, after, repeatAsk)
		}
		var rt time.Duration
		answered := !unanswered.IsZero()
		if answered && !m.At.IsZero() {
			rt = elapsed(m.At.Time, unanswered)
			target := replyTarget
			if nRT == 0 {
				target = firstTarget
				firstRT = rt.Seconds()
			}
			if timings == nil {
				timings = vals.timingScores(agents)
			}
			timings[len(gr.Turns)-1] = timingScore(rt, target)
			t.Scores.Timing = &timings[len(gr.Turns)-1]
			if rt > target {
				slow++
			}
			sumRT += rt.Seconds()
			nRT++
			timingSum += *t.Scores.Timing
		} else if answered {
			timed = false
		}
		unanswered = time.Time{}
		t.Feedback = g.feedback(m.Text, matches, mv, r, judgement.Mechanisms, mood, rep, repeatAsk, t.Scores.Timing, rt, customerText)

		w := 0.5 + float64(100-mood)/100
		weighted += w * float64(t.Scores.Empathy)
		weights += w
		deSum += t.Scores.DeEscalation
		if replay != nil {
			replay.agent(t.Moves, m.At.Time)
		}
	}

	// Session scores.
	endMood, haveEnd := startMood, false
	if tr.FinalMood != nil {
		endMood, haveEnd = *tr.FinalMood, true
	} else if lastC >= 0 {
		endMood, haveEnd = moods[lastC], true
	}
	var resolvedAt time.Time
	if replay != nil {
		gr.Resolved, resolvedAt = replay.result()
	}
	if len(gr.Turns) > 0 {
		gr.Scores.Empathy = vals.int(int(math.Round(weighted / weights)))
		de := float64(deSum) / float64(len(gr.Turns))
		if haveEnd {
			traj := float64(clamp(50 + endMood - startMood))
			de = 0.5*de + 0.5*traj
		}
		if tr.Outcome == scenarios.OutcomeWalkedAway {
			de = math.Min(de, 25)
		}
		gr.Scores.DeEscalation = vals.int(int(math.Round(de)))
		if nRT > 0 && timed {
			gr.Scores.Timing = vals.int(int(math.Round(float64(timingSum) / float64(nRT))))
		}
		if sc != nil {
			gr.Scores.Resolution = vals.int(replay.score())
		}
	}
	rubric := &scenarios.DefaultRubric
	if sc != nil {
		rubric = &sc.Rubric
	}
	if o, ok := overall(&gr.Scores, rubric); ok {
		gr.Scores.Overall = vals.int(o)
	}

	// KPIs.
	if nRT > 0 && timed {
		gr.KPIs.FirstResponseS = vals.float(round1(firstRT))
		gr.KPIs.AvgResponseS = vals.float(round1(sumRT / float64(nRT)))
	}
	if !resolvedAt.IsZero() && len(msgs) > 0 && !msgs[0].At.IsZero() {
		gr.KPIs.ResolutionS = vals.float(round1(resolvedAt.Sub(msgs[0].At.Time).Seconds()))
	}
	if haveEnd && firstC >= 0 {
		gr.KPIs.CSAT = vals.int(csatFromMood(endMood))
	}
	if len(gr.Turns) > 0 {
		ces := 1
		if repeats > 0 {
			ces++
		}
		if repeats > 1 {
			ces++
		}
		if transfers > 0 {
			ces++
		}
		if slow > 0 || hasSilence(tr.Events) {
			ces++
		}
		gr.KPIs.CES = vals.int(min(ces, 5))
	}
	return gr, nil
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
	for _, ev := range events {
		if ev.Type == scenarios.EventSilence {
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

// smallBlocks are the blocks of most one-turn conversations, in one allocation: of a
// size that still needs no header for the garbage collector.
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
func (b *blocks) evidence(ms []moves.Match, r mechanismResult) Evidence {
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
	// The blocks have room for all this; local copies of them spare a store per word.
	ev, words := b.ev, b.words
	n := len(ev)
	for ; has != 0; has &= has - 1 {
		at := bits.TrailingZeros32(has)
		w := len(words)
		if j := from[at]; j >= 0 {
			for _, x := range ms[j].Evidence { // a piece or two: a loop beats a copy
				words = append(words, x)
			}
		} else {
			words = append(words, mechanisms[-1-j])
		}
		ev = append(ev, EvidenceEntry{Name: evidenceNames[at], Words: words[w:len(words):len(words)]})
	}
	b.ev, b.words = ev, words
	return ev[n:len(ev):len(ev)]
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
func (b *blocks) evidenceSorted(ms []moves.Match, r mechanismResult) Evidence {
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
