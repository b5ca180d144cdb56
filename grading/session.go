package grading

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"chatdojo/grading/moves"
	"chatdojo/scenarios"
)

// Grade grades one conversation. A simulator transcript brings the customer's mood and
// the issues from its event log; for a bare transcript the mood is estimated from the
// customer's own messages and, when the scenario is known, the issues are replayed from
// the agent's moves. Scores that cannot be computed are nil.
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
	agents := 0
	for _, m := range msgs {
		if m.Role == scenarios.RoleAgent {
			agents++
		}
	}
	if agents > 0 {
		gr.Turns = make([]Turn, 0, agents)
	}
	// The optional numbers of the grade share one allocation (see values), and the
	// turns' timing scores another.
	vals := new(values)
	var timings []int

	work := g.scratch.Get().(*scratch)
	defer g.scratch.Put(work)
	if work.formulaUses == nil {
		work.formulaUses, work.asked = map[string]int{}, map[uint64]bool{}
	}
	clear(work.formulaUses)
	clear(work.asked)
	if cap(work.texts) < len(msgs) {
		work.texts = append(work.texts[:cap(work.texts)], make([]text, len(msgs)-cap(work.texts))...)
	}
	texts := work.texts[:len(msgs)]
	work.moods = append(work.moods[:0], make([]int, len(msgs))...)
	moods := work.moods

	// Pass 1: the customer's mood at each customer message.
	simulated := true
	for _, m := range msgs {
		if m.Role == scenarios.RoleCustomer && m.Mood == nil {
			simulated = false
		}
	}
	gr.MoodSource = MoodEstimated
	if simulated && hasCustomer(msgs) {
		gr.MoodSource = MoodSimulator
	}
	prev := -1
	if tr.StartMood != nil {
		prev = *tr.StartMood
	}
	if cap(work.moveSets) < len(msgs) {
		work.moveSets = make([]moveSet, len(msgs))
		work.matchLo, work.matchHi = make([]int, len(msgs)), make([]int, len(msgs))
	}
	moveSets, matchLo, matchHi := work.moveSets[:len(msgs)], work.matchLo[:len(msgs)], work.matchHi[:len(msgs)]
	work.matches, work.evidence = work.matches[:0], work.evidence[:0]
	defer func() {
		// The pooled scratch keeps no message alive: the evidence is slices of them.
		clear(work.matches)
		clear(work.evidence)
	}()
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
	// allocation for the whole conversation (see blocks).
	blocks := newBlocks(len(work.matches), len(work.evidence), agents)

	startMood := 50
	if tr.StartMood != nil {
		startMood = *tr.StartMood
	} else if i := firstCustomer(msgs); i >= 0 {
		startMood = moods[i]
	}

	// Pass 2: each agent turn.
	firstTarget, replyTarget := defaultFirstResponse, defaultReply
	if sc != nil {
		firstTarget, replyTarget = sc.Timing.FirstResponse, sc.Timing.Reply
	}
	var (
		lastCustomer  = -1
		mood          = startMood
		unanswered    time.Time
		responseTimes []float64
		formulaUses   = work.formulaUses
		asked         = work.asked
		repeats       int
		transfers     int
		slow          int
		weighted      float64
		weights       float64
		deSum         int
		timingSum     int
		timingN       int
		timed         = true
		replay        = newIssueReplay(sc, tr)
		shownAt       = -1 // the last turn that showed empathy, and the mood then
		shownMood     int
		recent        = make([]*text, 0, 4)
	)
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
		for j := lastCustomer; j >= 0 && len(about) < 3; j-- {
			if msgs[j].Role == scenarios.RoleCustomer {
				if len(about) == 0 {
					customerText = msgs[j].Text
				}
				about = append(about, &texts[j])
			}
		}
		if f := firstCustomer(msgs); f >= 0 && f < lastCustomer && !slices.Contains(about, &texts[f]) {
			about = append(about, &texts[f])
		}
		r := g.lex.mechanisms(a, about, mv, &work.seen)
		judgement := Judgement{Mechanisms: r.m}
		if g.judge != nil {
			jm, err := g.judge.JudgeTurn(ctx, TurnContext{Customer: customerText, Agent: m.Text, Moves: moveList(matches), CustomerMood: mood, History: msgs[:i]})
			if err == nil {
				judgement = jm
			} else if ctx.Err() != nil {
				return Grade{}, ctx.Err()
			}
		}
		rep := 0
		for _, f := range r.formulas {
			key := strings.ToLower(f)
			rep = max(rep, formulaUses[key])
			formulaUses[key]++
		}
		repeatAsk := g.repeatAsk(mv, a, msgs[:i], texts[:i], asked)
		if repeatAsk {
			repeats++
		}
		if mv.has(bitEscalate) {
			transfers++
		}
		var after *int
		for j := i + 1; j < len(msgs); j++ {
			if msgs[j].Role == scenarios.RoleCustomer {
				after = ptr(moods[j])
				break
			}
		}
		t := Turn{Index: i, Text: m.Text, Moves: blocks.moves(matches), Evidence: blocks.evidence(matches, r), Empathy: judgement.Mechanisms}
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
			rt = m.At.Sub(unanswered)
			target := replyTarget
			if len(responseTimes) == 0 {
				target = firstTarget
			}
			if timings == nil {
				if agents <= len(vals.timings) {
					timings = vals.timings[:agents] // a short conversation's timings share the allocation
				} else {
					timings = make([]int, agents)
				}
			}
			timings[len(gr.Turns)] = timingScore(rt, target)
			t.Scores.Timing = &timings[len(gr.Turns)]
			if rt > target {
				slow++
			}
			responseTimes = append(responseTimes, rt.Seconds())
			timingSum += *t.Scores.Timing
			timingN++
		} else if answered {
			timed = false
		}
		unanswered = time.Time{}
		t.Feedback = g.feedback(m.Text, matches, mv, r, judgement.Mechanisms, mood, rep, repeatAsk, t.Scores.Timing, rt, customerText)
		gr.Turns = append(gr.Turns, t)

		w := 0.5 + float64(100-mood)/100
		weighted += w * float64(t.Scores.Empathy)
		weights += w
		deSum += t.Scores.DeEscalation
		replay.agent(t.Moves, m.At.Time)
	}

	// Session scores.
	endMood, haveEnd := startMood, false
	if tr.FinalMood != nil {
		endMood, haveEnd = *tr.FinalMood, true
	} else if i := lastCustomerIndex(msgs); i >= 0 {
		endMood, haveEnd = moods[i], true
	}
	resolved, resolvedAt := replay.result()
	gr.Resolved = resolved
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
		if timingN > 0 && timed {
			gr.Scores.Timing = vals.int(int(math.Round(float64(timingSum) / float64(timingN))))
		}
		if sc != nil {
			gr.Scores.Resolution = vals.int(replay.score())
		}
	}
	rubric := scenarios.DefaultRubric
	if sc != nil {
		rubric = sc.Rubric
	}
	if o, ok := overall(gr.Scores, rubric); ok {
		gr.Scores.Overall = vals.int(o)
	}

	// KPIs.
	if len(responseTimes) > 0 && timed {
		gr.KPIs.FirstResponseS = vals.float(round1(responseTimes[0]))
		sum := 0.0
		for _, x := range responseTimes {
			sum += x
		}
		gr.KPIs.AvgResponseS = vals.float(round1(sum / float64(len(responseTimes))))
	}
	if !resolvedAt.IsZero() && len(msgs) > 0 && !msgs[0].At.IsZero() {
		gr.KPIs.ResolutionS = vals.float(round1(resolvedAt.Sub(msgs[0].At.Time).Seconds()))
	}
	if haveEnd && hasCustomer(msgs) {
		gr.KPIs.CSAT = vals.int(csatFromMood(endMood))
	}
	if len(gr.Turns) > 0 {
		silences := 0
		for _, ev := range tr.Events {
			if ev.Type == scenarios.EventSilence {
				silences++
			}
		}
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
		if slow > 0 || silences > 0 {
			ces++
		}
		gr.KPIs.CES = vals.int(min(ces, 5))
	}
	return gr, nil
}

// overall is the weighted mean of the scores that are not nil, with the rubric's
// weights renormalised over those present.
func overall(s Scores, r scenarios.Rubric) (int, bool) {
	parts := []struct {
		v *int
		w int
	}{{s.Empathy, r.Empathy}, {s.DeEscalation, r.DeEscalation}, {s.Timing, r.Timing}, {s.Resolution, r.Resolution}}
	sum, weights := 0.0, 0
	for _, p := range parts {
		if p.v != nil && p.w > 0 {
			sum += float64(*p.v * p.w)
			weights += p.w
		}
	}
	if weights == 0 {
		return 0, false
	}
	return int(math.Round(sum / float64(weights))), true
}

// repeatAsk reports whether an agent message asks for a detail the customer already
// gave (an email address, an order or account number) or repeats an earlier question.
func (g *Grader) repeatAsk(mv moveSet, a *text, prev []scenarios.Message, prevTexts []text, asked map[uint64]bool) bool {
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
		if asked[key] {
			repeat = true
		}
		asked[key] = true
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

func hasCustomer(msgs []scenarios.Message) bool {
	return firstCustomer(msgs) >= 0
}

func firstCustomer(msgs []scenarios.Message) int {
	for i, m := range msgs {
		if m.Role == scenarios.RoleCustomer {
			return i
		}
	}
	return -1
}

func lastCustomerIndex(msgs []scenarios.Message) int {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == scenarios.RoleCustomer {
			return i
		}
	}
	return -1
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
func newBlocks(matches, evidence, agents int) blocks {
	return blocks{
		mv:    make([]scenarios.Move, 0, matches),
		ev:    make([]EvidenceEntry, 0, matches+3*agents),
		words: make([]string, 0, evidence+3*agents),
	}
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
// the blocks.
func (b *blocks) evidence(ms []moves.Match, r mechanismResult) Evidence {
	n := len(b.ev)
	ev := Evidence(b.ev[n:n:min(n+len(ms)+3, cap(b.ev))])
	for _, m := range ms {
		w := len(b.words)
		b.words = append(b.words, m.Evidence...)
		ev = ev.insert(string(m.Move), b.words[w:len(b.words):len(b.words)])
	}
	for _, x := range [...]struct{ name, words string }{{"emotional_reaction", r.er}, {"interpretation", r.in}, {"exploration", r.ex}} {
		if x.words != "" {
			b.words = append(b.words, x.words)
			w := len(b.words)
			ev = ev.insert(x.name, b.words[w-1:w:w])
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
