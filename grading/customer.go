package grading

// estimateMood reads how a customer feels from one of their messages, 0 (furious) to
// 100 (delighted), when there is no simulator mood: it starts from neutral (50) and
// moves for angry and worried words, threats to leave, capitals and exclamation marks,
// thanks and praise. prev is the estimate for the customer's previous message (-1 for
// none): moods carry over, so the estimate is blended with it.
func (l *lexicon) estimateMood(t *text, prev int) int {
	score := 50
	angry, worried, positive, leave := 0, 0, 0, 0
	words := t.words
	for i := 0; i < len(words); {
		// The three counts are kept packed in one number (see moodCount), a million
		// words at a time so that none overflows its field.
		counts, end := uint64(0), min(len(words), i+1<<20)
		for ; i < end; i++ {
			x := &words[i]
			counts += moodCount[(x.flags&moodFlags)/flagAngry]
			if x.starts&(1<<lexLeave) == 0 {
				continue
			}
			if n := t.phraseAt(i, len(words), lexLeave); n > 0 {
				leave++
				i += n - 1
			}
		}
		angry += int(counts & moodField)
		worried += int(counts >> 21 & moodField)
		positive += int(counts >> 42 & moodField)
	}
	score -= 9 * min(angry, 4)
	score -= 6 * min(worried, 4)
	score += 8 * min(positive, 4)
	score -= 14 * min(leave, 2)
	if t.capsRun >= 2 {
		score -= 8
	}
	if t.letters >= 12 && t.upper*2 > t.letters {
		score -= 12
	}
	score -= 3 * min(t.bangs, 5)
	score = min(max(score, 0), 100)
	if prev >= 0 {
		score = (2*score + prev + 1) / 3
	}
	return score
}

// moodFlags are the word flags that move the mood estimate.
const moodFlags = flagAngry | flagWorried | flagPositive

// moodCount[f/flagAngry] is what a word of flags f (of moodFlags) adds to estimateMood's
// counts, packed in fields of 21 bits, angry in the lowest: one angry word, else one
// worried, else one positive. Looked up, the counts take no branch: most words are none
// of these, in no order a branch predictor could learn. A word no lexicon knows has no
// flags.
var moodCount = func() (t [moodFlags/flagAngry + 1]uint64) {
	for i := range t {
		switch f := uint16(i) * flagAngry; {
		case f&flagAngry != 0:
			t[i] = 1
		case f&flagWorried != 0:
			t[i] = 1 << 21
		case f&flagPositive != 0:
			t[i] = 1 << 42
		}
	}
	return t
}()

const moodField = 1<<21 - 1

// csatFromMood maps an end mood to CSAT 1–5 as PRODUCT.md defines it.
func csatFromMood(mood int) int {
	switch {
	case mood <= 20:
		return 1
	case mood <= 40:
		return 2
	case mood <= 60:
		return 3
	case mood <= 80:
		return 4
	}
	return 5
}
