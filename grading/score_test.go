package grading

import (
	"strings"
	"testing"
	"time"

	"chatdojo/scenarios"
)

func TestEmpathyScore(t *testing.T) {
	var formula moveSet
	formula.add(scenarios.MoveAcknowledgeEmotion)
	weak := Mechanisms{EmotionalReaction: 1}
	strong := Mechanisms{EmotionalReaction: 2, Interpretation: 2, Exploration: 2}
	var dismiss moveSet
	dismiss.add(scenarios.MoveDismiss)
	tests := []struct {
		name          string
		better, worse int
	}{
		{"a stock phrase is worth less the second time", empathyScore(weak, 30, 0, formula, 1), empathyScore(weak, 30, 1, formula, 1)},
		{"and less again the third time", empathyScore(weak, 30, 1, formula, 1), empathyScore(weak, 30, 2, formula, 1)},
		{"no empathy costs more when the customer is upset", empathyScore(Mechanisms{}, 80, 0, 0, 1), empathyScore(Mechanisms{}, 10, 0, 0, 1)},
		{"strong beats weak", empathyScore(strong, 30, 0, 0, 1), empathyScore(weak, 30, 0, formula, 1)},
		{"dismissing costs", empathyScore(weak, 30, 0, 0, 1), empathyScore(weak, 30, 0, dismiss, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.better <= tt.worse {
				t.Errorf("%d is not above %d", tt.better, tt.worse)
			}
		})
	}
	if s := empathyScore(strong, 0, 0, 0, 1); s != 100 {
		t.Errorf("all three strong to a furious customer = %d, want 100", s)
	}
}

func TestTimingScore(t *testing.T) {
	tests := []struct {
		rt, target time.Duration
		want       int
	}{
		{10 * time.Second, time.Minute, 100},
		{30 * time.Second, time.Minute, 100},
		{60 * time.Second, time.Minute, 70},
		{45 * time.Second, time.Minute, 85},
		{3 * time.Minute, time.Minute, 0},
		{2 * time.Minute, time.Minute, 35},
	}
	for _, tt := range tests {
		if got := timingScore(tt.rt, tt.target); got != tt.want {
			t.Errorf("timingScore(%s, %s) = %d, want %d", tt.rt, tt.target, got, tt.want)
		}
	}
}

func TestCSATFromMood(t *testing.T) {
	for mood, want := range map[int]int{0: 1, 20: 1, 21: 2, 40: 2, 41: 3, 60: 3, 61: 4, 80: 4, 81: 5, 100: 5} {
		if got := csatFromMood(mood); got != want {
			t.Errorf("csat(%d) = %d, want %d", mood, got, want)
		}
	}
}

func TestEstimateMood(t *testing.T) {
	l := newLexicon()
	mood := func(s string) int {
		var t text
		l.read(&t, s, nil)
		return l.estimateMood(&t, -1)
	}
	calm, angry := mood("Hi, quick question about my invoice please."), mood("This is RIDICULOUS. WORST SERVICE EVER!!! I'm cancelling and filing a chargeback.")
	thanks := mood("Thanks so much, that's brilliant, really appreciate it.")
	if !(angry < calm && calm < thanks) {
		t.Errorf("angry %d, calm %d, thanks %d: want increasing", angry, calm, thanks)
	}
	if angry > 20 {
		t.Errorf("an all-caps threat to leave estimated at %d, want 20 or less", angry)
	}
}

// TestNeedsFolding checks the eight-bytes-at-a-time test against the plain definition,
// on every string of up to 10 bytes over an alphabet of the bytes that matter.
func TestNeedsFolding(t *testing.T) {
	plain := func(s string) bool { return strings.ContainsAny(s, "\n\t\r") || strings.Contains(s, "  ") }
	alphabet := []byte{'a', ' ', '\n', '\t', '\r', 0x80, 0xA0, 0x20 ^ 0x80, 0}
	var walk func(b []byte)
	n := 0
	walk = func(b []byte) {
		if got, want := needsFolding(string(b)), plain(string(b)); got != want {
			t.Fatalf("needsFolding(%q) = %v, want %v", b, got, want)
		}
		n++
		if len(b) == 10 {
			return
		}
		for _, c := range alphabet {
			if len(b) >= 6 && c != 'a' && c != ' ' { // keep the count down: the rest at the start
				continue
			}
			walk(append(b, c))
		}
	}
	walk(nil)
	for _, s := range []string{"twelve chars long  x", "abcdefg  hijk", "abcdefgh\nij", "abcdefg \tz", strings.Repeat("word ", 30) + " "} {
		if got, want := needsFolding(s), plain(s); got != want {
			t.Errorf("needsFolding(%q) = %v, want %v", s, got, want)
		}
	}
	t.Logf("%d strings", n)
}
