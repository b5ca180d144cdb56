package grading

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"chatdojo/grading/moves"
)

func BenchmarkPartsTmp(b *testing.B) {
	f, _ := os.Open("testdata/empathy.jsonl")
	defer f.Close()
	var cs, rs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ex struct{ Customer, Reply string }
		json.Unmarshal(sc.Bytes(), &ex)
		cs, rs = append(cs, ex.Customer), append(rs, ex.Reply)
	}
	g := New(moves.New(), Options{})
	b.Run("classify", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			g.classify(rs[i%len(rs)])
		}
	})
	b.Run("read2", func(b *testing.B) {
		var t1, t2 text
		var buf []byte
		for i := 0; i < b.N; i++ {
			buf = g.lex.read(&t1, cs[i%len(cs)], buf)
			buf = g.lex.read(&t2, rs[i%len(rs)], buf)
		}
	})
	b.Run("mech", func(b *testing.B) {
		var ts [][2]text
		var mvs []moveSet
		for i := range cs {
			var p [2]text
			g.lex.read(&p[0], cs[i], nil)
			g.lex.read(&p[1], rs[i], nil)
			ts = append(ts, p)
			mv, _ := g.classify(rs[i])
			mvs = append(mvs, mv)
		}
		var ws wordSet
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			k := i % len(ts)
			g.lex.mechanisms(&ts[k][1], []*text{&ts[k][0]}, mvs[k], &ws)
		}
	})
}
