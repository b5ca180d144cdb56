package grading

// estimateMood reads how a customer feels from one of their messages, 0 (furious) to
// 100 (delighted), when there is no simulator mood: it starts from neutral (50) and
// moves for angry and worried words, threats to leave, capitals and exclamation marks,
// thanks and praise. prev is the estimate for the customer's previous message (-1 for
// none): moods carry over, so the estimate is blended with it.
func (l *lexicon) estimateMood(t *text, prev int) int {
	score := 50
	angry, worried, positive, leave := 0, 0, 0, 0
	for i := 0; i < len(t.words); i++ {
		x := &t.words[i]
		if x.slot < 0 {
			continue // no lexicon knows the word
		}
		switch {
		case x.flags&flagAngry != 0:
			angry++
		case x.flags&flagWorried != 0:
			worried++
		case x.flags&flagPositive != 0:
			positive++
		}
		if x.starts&(1<<lexLeave) == 0 {
			continue
		}
		if n := t.phraseAt(i, len(t.words), lexLeave); n > 0 {
			leave++
			i += n - 1
		}
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
