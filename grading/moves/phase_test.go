package moves
import "testing"
func BenchmarkPhases(b *testing.B) {
	ex := readLabelled(b, labelledPath)
	c := New()
	s := &scratch{}
	b.Run("tokenize", func(b *testing.B) { n := 0; for b.Loop() { c.tokenize(s, ex[n%len(ex)].text); n++ } })
	b.Run("tokenize+match", func(b *testing.B) { n := 0; for b.Loop() { c.tokenize(s, ex[n%len(ex)].text); c.match(s); n++ } })
	b.Run("all", func(b *testing.B) { n := 0; for b.Loop() { c.Classify(ex[n%len(ex)].text); n++ } })
}
