package asciirun

import "testing"

// TestRun checks Run against a byte-by-byte reading, across the eight-byte boundary.
func TestRun(t *testing.T) {
	cases := []string{
		"", "a", "Hello", "hello world", "ABCDEFGHijklmnop qr", "abcdefgh", "abcdefghi",
		"x1y2Z3w4v5U6t7s8r9!", "don't", "café", "12345678901234567890 ", "aaaaaaa\x80bbb",
		"Zz@[`{/:", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.",
	}
	for _, s := range cases {
		for j := 0; j <= len(s); j++ {
			wantEnd, wantLo, wantUp := j, int32(0), int32(0)
			for ; wantEnd < len(s); wantEnd++ {
				c := s[wantEnd]
				if 'a' <= c && c <= 'z' {
					wantLo++
				} else if 'A' <= c && c <= 'Z' {
					wantUp++
				} else if c < '0' || c > '9' {
					break
				}
			}
			end, lo, up := Run(s, j)
			if end != wantEnd || lo != wantLo || up != wantUp {
				t.Errorf("Run(%q, %d) = %d, %d, %d; want %d, %d, %d", s, j, end, lo, up, wantEnd, wantLo, wantUp)
			}
		}
	}
}
