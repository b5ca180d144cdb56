// Package asciirun finds runs of ASCII letters and digits eight bytes at a time: the
// inner loop of the moves classifier's tokenizer and of the grader's scanner.
package asciirun

import "math/bits"

// Run returns the end of the run of ASCII letters and digits at text[j:], and the
// lowercase letters and capitals in it. It reads eight bytes at a time and classifies
// them with a few arithmetic operations (SWAR), so that a word costs no branch per byte.
func Run(text string, j int) (end int, lower, upper int32) {
	for j+8 <= len(text) {
		letter, up, word := Classify8(Load64(text[j : j+8]))
		// Bit 7 of every byte of the run is set in word; the first clear one ends it.
		ends := ^word & highBits
		in := Before(ends)
		u := int32(Count8(up & in))
		lower += int32(Count8(letter&in)) - u
		upper += u
		j += bits.TrailingZeros64(ends) >> 3
		if ends != 0 {
			return j, lower, upper
		}
	}
	for ; j < len(text); j++ {
		switch c := text[j]; {
		case 'a' <= c && c <= 'z':
			lower++
		case 'A' <= c && c <= 'Z':
			upper++
		case '0' <= c && c <= '9':
		default:
			return j, lower, upper
		}
	}
	return j, lower, upper
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// Classify8 sets bit 7 of each byte of x that is an ASCII letter (in letter), a
// capital (in up), or a letter or a digit (in word). A byte b is in [min, max] when
// b+(0x80-min) reaches bit 7 and b+(0x7f-max) does not; on bytes below 0x80 the sums
// carry into no other byte. Bytes of 0x80 and above are none of these. A letter is a
// byte that bit 5 (0x20) turns into one from a to z, and a capital is a letter without
// bit 5, which a shift by two brings to bit 7: two range tests rather than three.
func Classify8(x uint64) (letter, up, word uint64) {
	ascii, y := ^x&highBits, x&^highBits
	f := y | lowBits*0x20
	letter = (f + lowBits*(0x80-'a')) &^ (f + lowBits*(0x7f-'z')) & ascii
	up = letter &^ (x << 2)
	digit := (y + lowBits*(0x80-'0')) &^ (y + lowBits*(0x7f-'9')) & ascii
	return letter, up, letter | digit
}

// Before returns the bits below the lowest set bit of m, all of them when m is 0: with
// m the bytes that end a run, the bits of the bytes before the end. It is the mask
// 1<<TrailingZeros64(m) - 1, without the compare and the mask that a variable shift
// costs in Go.
func Before(m uint64) uint64 { return m&-m - 1 }

// Count8 counts the bytes of m that have bit 7 set, for an m that has no other bit set
// (a mask of Classify8's): shifted down, each such byte is 1, and a multiplication adds
// them all up into the top byte. It needs no POPCNT instruction, which Go's default
// amd64 target cannot assume and so guards with a test of the CPU on every call.
func Count8(m uint64) int { return int((m >> 7) * lowBits >> 56) }

// Load64 reads the first eight bytes of s as a little-endian number.
func Load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
