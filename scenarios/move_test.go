package scenarios_test

import (
	"testing"

	"chatdojo/scenarios"
)

func TestRankMatchesAllMoves(t *testing.T) {
	for i, m := range scenarios.AllMoves {
		if m.Rank() != i {
			t.Errorf("%s.Rank() = %d, want %d", m, m.Rank(), i)
		}
	}
	if scenarios.Move("nope").Rank() != -1 || scenarios.Move("nope").Valid() {
		t.Error("an unknown move has a rank")
	}
}
