package scenarios_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"chatdojo/scenarios"
)

func TestIssueProgress(t *testing.T) {
	sc := &scenarios.Scenario{Issues: []scenarios.Issue{
		{ID: "refund", Needs: []scenarios.Move{"verify_identity", "offer_solution"}},
		{ID: "cancel", Needs: []scenarios.Move{"set_expectation"}, RevealAfter: "refund"},
	}}
	p := scenarios.NewIssueProgress(sc)
	if !p.Active(0) || p.Active(1) {
		t.Fatalf("active at the opening: %v %v", p.Active(0), p.Active(1))
	}
	steps := []struct {
		moves []scenarios.Move
		want  []scenarios.IssueChange
	}{
		{[]scenarios.Move{"offer_solution", "set_expectation"}, []scenarios.IssueChange{{Kind: scenarios.IssueNeedMet, Issue: "refund", Move: "offer_solution"}}},
		// Resolving refund reveals cancel; this message's set_expectation does not count
		// for cancel, which counts from the next message.
		{[]scenarios.Move{"verify_identity", "set_expectation"}, []scenarios.IssueChange{
			{Kind: scenarios.IssueNeedMet, Issue: "refund", Move: "verify_identity"},
			{Kind: scenarios.IssueResolved, Issue: "refund"},
			{Kind: scenarios.IssueRevealed, Issue: "cancel"},
		}},
		{[]scenarios.Move{"greet"}, nil},
		{[]scenarios.Move{"set_expectation"}, []scenarios.IssueChange{
			{Kind: scenarios.IssueNeedMet, Issue: "cancel", Move: "set_expectation"},
			{Kind: scenarios.IssueResolved, Issue: "cancel"},
		}},
	}
	for i, st := range steps {
		if diff := cmp.Diff(st.want, p.Step(st.moves)); diff != "" {
			t.Errorf("step %d (-want +got):\n%s", i, diff)
		}
	}
	if !p.AllResolved() || cmp.Diff([]string{"refund", "cancel"}, p.Resolved()) != "" {
		t.Errorf("resolved %v, all %v", p.Resolved(), p.AllResolved())
	}
}
