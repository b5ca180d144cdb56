package moves

import (
	"os"
	"testing"
)

func TestHeldout(t *testing.T) {
	p := os.Getenv("MOVES_HELDOUT")
	if p == "" {
		t.Skip()
	}
	orig := labelledPath
	_ = orig
	evalFile(t, p)
}
