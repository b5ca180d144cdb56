package scenarios

// IssueProgress follows a scenario's issues through the agent's messages, as PRODUCT.md's
// semantics say: issues without a reveal are active from the opening; an active issue
// collects the moves it needs, in any order, from the message after it became active;
// once all are collected it is resolved, and the issues revealed after it become active.
// The simulator plays it live and the grader replays it on a bare transcript, so both
// read a conversation the same way.
type IssueProgress struct {
	sc       *Scenario
	active   []bool
	done     []bool
	seen     []uint64 // per issue, the needed moves made, as bits of Move.Rank
	resolved []string
}

// IssueChangeKind says what happened to an issue.
type IssueChangeKind int

// The kinds of issue change, in the order Step reports them for one issue.
const (
	IssueNeedMet IssueChangeKind = iota
	IssueResolved
	IssueRevealed
)

// IssueChange is one thing an agent message did to an issue.
type IssueChange struct {
	Kind  IssueChangeKind
	Issue string
	// Move is the need that was met (IssueNeedMet only).
	Move Move
}

// NewIssueProgress starts following sc's issues; Active reports those active from the
// opening.
func NewIssueProgress(sc *Scenario) *IssueProgress {
	p := &IssueProgress{
		sc:       sc,
		active:   make([]bool, len(sc.Issues)),
		done:     make([]bool, len(sc.Issues)),
		seen:     make([]uint64, len(sc.Issues)),
		resolved: []string{},
	}
	for i, is := range sc.Issues {
		p.active[i] = is.RevealAfter == ""
	}
	return p
}

// Step records the moves of one agent message and returns what changed, in order: for
// each issue in file order its needs met and its resolution, then the issues revealed.
func (p *IssueProgress) Step(moves []Move) []IssueChange {
	var made uint64
	for _, m := range moves {
		if r := m.Rank(); r >= 0 {
			made |= 1 << uint(r)
		}
	}
	var out []IssueChange
	first := len(p.resolved)
	for i, is := range p.sc.Issues {
		if !p.active[i] || p.done[i] {
			continue
		}
		all := true
		for _, need := range is.Needs {
			bit := uint64(1) << uint(need.Rank())
			if p.seen[i]&bit == 0 && made&bit != 0 {
				p.seen[i] |= bit
				out = append(out, IssueChange{Kind: IssueNeedMet, Issue: is.ID, Move: need})
			}
			all = all && p.seen[i]&bit != 0
		}
		if all {
			p.done[i] = true
			p.resolved = append(p.resolved, is.ID)
			out = append(out, IssueChange{Kind: IssueResolved, Issue: is.ID})
		}
	}
	for _, id := range p.resolved[first:] {
		for i, is := range p.sc.Issues {
			if is.RevealAfter == id && !p.active[i] {
				p.active[i] = true
				out = append(out, IssueChange{Kind: IssueRevealed, Issue: is.ID})
			}
		}
	}
	return out
}

// Resolved returns the issues resolved so far, in the order they were resolved.
func (p *IssueProgress) Resolved() []string {
	return append([]string{}, p.resolved...)
}

// AllResolved reports whether every issue is resolved.
func (p *IssueProgress) AllResolved() bool {
	return len(p.resolved) == len(p.sc.Issues)
}

// Active reports whether issue i (in file order) has been raised.
func (p *IssueProgress) Active(i int) bool { return p.active[i] }

// Done reports whether issue i (in file order) is resolved.
func (p *IssueProgress) Done(i int) bool { return p.done[i] }

// Seen reports whether the needed move m of issue i has been made since it was raised.
func (p *IssueProgress) Seen(i int, m Move) bool {
	r := m.Rank()
	return r >= 0 && p.seen[i]&(1<<uint(r)) != 0
}
