package asciirun

import (
	"math/bits"
	"testing"
)

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

// TestClassify8 checks Classify8 on every byte value at every place of the eight,
// between neighbours that are letters, digits, spaces and high bytes.
func TestClassify8(t *testing.T) {
	for _, fill := range []byte{'a', 'Z', '5', ' ', 0x80, 0xff, 0x00, '@', '`'} {
		for k := range 8 {
			for b := range 256 {
				var buf [8]byte
				for i := range buf {
					buf[i] = fill
				}
				buf[k] = byte(b)
				letter, up, word := Classify8(Load64(string(buf[:])))
				for i, c := range buf {
					isLetter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
					isUp := 'A' <= c && c <= 'Z'
					isWord := isLetter || '0' <= c && c <= '9'
					got := func(m uint64) bool { return m>>(8*i+7)&1 != 0 }
					if got(letter) != isLetter || got(up) != isUp || got(word) != isWord {
						t.Fatalf("Classify8(%q) byte %d (%#x): letter %v up %v word %v", buf, i, c, got(letter), got(up), got(word))
					}
				}
				if (letter|up|word)&^highBits != 0 {
					t.Fatalf("Classify8(%q) sets bits other than bit 7", buf)
				}
			}
		}
	}
}

// TestCount8AndBefore checks Count8 and Before against math/bits on every mask of
// bit 7s.
func TestCount8AndBefore(t *testing.T) {
	for b := range 256 {
		var m uint64
		for i := range 8 {
			if b>>i&1 != 0 {
				m |= 0x80 << (8 * i)
			}
		}
		if got, want := Count8(m), bits.OnesCount64(m); got != want {
			t.Errorf("Count8(%#x) = %d; want %d", m, got, want)
		}
		if got, want := Before(m), uint64(1)<<bits.TrailingZeros64(m)-1; got != want {
			t.Errorf("Before(%#x) = %#x; want %#x", m, got, want)
		}
	}
}
