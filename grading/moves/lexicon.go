package moves

import "chatdojo/scenarios"

// lexicon is the classifier's knowledge, written to be read and extended by people who
// know support chat rather than Go. docs/moves.md says what each move means; the
// patterns say how agents actually write it. The pattern language is described in
// pattern.go. A function, not a package variable, so that nothing can change it.
func lexicon() *lex {
	const (
		greet     = scenarios.MoveGreet
		ack       = scenarios.MoveAcknowledgeEmotion
		apologize = scenarios.MoveApologize
		empathize = scenarios.MoveEmpathize
		ask       = scenarios.MoveAskQuestion
		verify    = scenarios.MoveVerifyIdentity
		ownership = scenarios.MoveTakeOwnership
		escalate  = scenarios.MoveEscalate
		explain   = scenarios.MoveExplain
		offer     = scenarios.MoveOfferSolution
		expect    = scenarios.MoveSetExpectation
		reassure  = scenarios.MoveReassure
		thank     = scenarios.MoveThank
		closing   = scenarios.MoveClose
		hold      = scenarios.MoveHold
		blame     = scenarios.MoveBlameCustomer
		dismiss   = scenarios.MoveDismiss
		policy    = scenarios.MovePolicyWall
		rude      = scenarios.MoveRude
		none      = scenarios.Move("")
	)
	l := &lex{
		sincere: moveList(thank, apologize, reassure, ack, closing),
		// A question that performs one of these is that move, not ask_question.
		notAsk:   moveList(greet, verify, offer, closing, hold, dismiss, rude, escalate, blame, policy),
		negProof: moveList(empathize, explain, rude, blame),
	}

	// Words with a grammatical role.
	l.flag(wNeg, "not", "never", "cannot", "can't", "won't", "don't", "doesn't", "didn't", "isn't",
		"aren't", "wasn't", "weren't", "shouldn't", "couldn't", "wouldn't", "haven't", "hasn't",
		"hadn't", "mustn't", "unable", "nothing", "neither", "nor")
	l.flag(wBreak, "but", "however", "although", "though", "whereas", "except", "otherwise")
	l.flag(wSoft, "so", "and", "then", "please", "just", "first", "firstly", "next", "now", "also",
		"simply", "ok", "okay", "alright", "well", "oh", "right", "sure", "great", "perfect", "or",
		"maybe", "perhaps", "secondly", "finally", "lastly", "meanwhile", "kindly", "quickly",
		"again", "instead", "still", "afterwards")
	l.flag(wCond, "if", "unless", "whether", "once")
	l.flag(wQuestion, "what", "what's", "which", "when", "where", "where's", "why", "how", "how's",
		"who", "who's", "whose", "is", "are", "was", "were", "do", "does", "did", "have", "has",
		"had", "can", "could", "would", "will", "shall", "should", "may", "might", "any",
		"anything", "tell", "isn't", "aren't", "don't", "doesn't", "didn't", "haven't", "hasn't",
		"can't", "won't", "wouldn't", "couldn't", "shouldn't", "roughly", "approximately")
	l.flag(wGapStop, "and", "or", "but", "so", "because", "then", "while", "when", "if", "until")
	l.flag(wAcronym, "id", "pin", "faq", "faqs", "usb", "ok", "sms", "url", "pdf", "tv", "uk", "us",
		"vpn", "atm", "it", "ups", "dhl", "pc", "ip", "dns", "isp", "wifi", "hdmi", "eu", "usa",
		"cvv", "cvc", "otp", "eta", "gps", "sim", "imei", "iban", "vat", "gb", "mb", "kb", "tb",
		"ram", "cpu", "os", "ios", "api", "ssn", "dob", "mms", "nfc", "lte", "hd", "gdpr", "nhs",
		"bt", "usps", "tnt", "dpd", "gls", "irs", "dm", "qr", "sku", "rma", "po", "mfa", "sso",
		"ssl", "dvd", "cd", "led", "lcd", "ac", "dc", "puk", "apn", "crm", "ssid", "wps", "wpa",
		"wpa2", "csv", "ui", "ux", "app", "pm", "am", "ceo", "hr", "vip", "uk", "nyc",
		"2fa", "4g", "5g", "3g", "5ghz", "4k", "psn", "tfl", "fedex", "dhs", "ee", "ev", "bmw")
	l.flag(wNum, "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty",
		"ninety", "hundred", "few", "couple", "several", "half", "next")
	l.flag(wSincere, "sorry", "apologies", "apologize", "thanks", "thank", "help", "helpful",
		"appreciate", "appreciated", "valued", "value", "priority", "important", "care", "happy",
		"glad", "patience", "understand", "understanding", "sincerely", "genuinely", "delighted",
		"pleasure", "assist", "promise", "caring", "great", "wonderful", "lovely", "concern")

	// Spellings that mean the same word; patterns are written with the canonical one.
	l.alias("dont", "don't", "cant", "can't", "wont", "won't", "isnt", "isn't", "doesnt", "doesn't",
		"didnt", "didn't", "couldnt", "couldn't", "wouldnt", "wouldn't", "shouldnt", "shouldn't",
		"arent", "aren't", "wasnt", "wasn't", "werent", "weren't", "havent", "haven't", "hasnt",
		"hasn't", "im", "i'm", "ive", "i've", "youre", "you're", "youll", "you'll", "youve",
		"you've", "youd", "you'd", "theyre", "they're", "theyll", "they'll", "thats", "that's",
		"whats", "what's", "theres", "there's", "heres", "here's", "lets", "let's", "u", "you",
		"ur", "your", "pls", "please", "plz", "please", "thx", "thanks", "thanx", "thanks", "tks",
		"thanks", "ty", "thanks", "thankyou", "thanks", "sry", "sorry", "soz", "sorry",
		"apologise", "apologize", "apologised", "apologized", "apologising", "apologizing",
		"apologises", "apologizes", "realise", "realize", "recognise", "recognize", "authorise",
		"authorize", "authorised", "authorized", "organise", "organize", "organised", "organized",
		"organising", "organizing", "prioritise", "prioritize", "prioritised", "prioritized",
		"prioritising", "prioritizing", "cancelled", "canceled", "cancelling", "canceling",
		"cos", "because", "cuz", "because", "coz", "because", "bc", "because", "mins", "minutes",
		"min", "minute", "hrs", "hours", "hr", "hour", "secs", "seconds", "sec", "second",
		"tmrw", "tomorrow", "tmr", "tomorrow", "recieve", "receive", "definately", "definitely",
		"honor", "honour", "honored", "honoured", "colour", "color", "licence", "license",
		"whilst", "while", "gonna", "going", "wanna", "want", "gotta", "got", "okey", "okay",
		"everythings", "everything's", "nothings", "nothing's", "itll", "it'll",
		"mum", "mom")

	l.macros = map[string]string{
		// Feelings the customer may have. "worry" alone is missing on purpose: "don't worry".
		"feel": "{frustrat*|annoy*|upset*|angry|anger|angered|worried|worrying|worries|stress*|" +
			"disappoint*|concerned|concerns|anxious|anxiety|confus*|irritat*|fed up|exasperat*|" +
			"scared|scary|nervous|panic*|overwhelm*|hurt|hurtful|let down|sad|unhappy|furious|mad|" +
			"livid|infuriat*|aggravat*|distress*|unsettl*|alarming|alarmed|maddening|embarrass*|" +
			"helpless|frightening|frightened|afraid|emotional|impatient|heartbreaking|devastat*|" +
			"shock*|fuming|cross|irate|gutted|outraged|troubling|troubled|bothered|uneasy|on edge|" +
			"tense|worn out|exhausted|fed up|unfair|a shock|a worry|a blow}",
		"feelnoun": "{frustration|frustrations|anger|concern|concerns|disappointment|worry|worries|" +
			"feelings|annoyance|upset|stress|anxiety|confusion|irritation|distress|fear|fears|panic|" +
			"unhappiness|dissatisfaction|exasperation|impatience}",
		"feelweak": "{hard|difficult|tough|awful|terrible|horrible|rough|exhausting|tiring|draining|" +
			"a nightmare|a pain|a hassle|a headache|a real headache|an ordeal|unpleasant|stressful|" +
			"hectic|chaotic|inconvenient|disruptive|awkward|miserable|worrying|the worst|a mess|" +
			"really unfair|unfair|a lot|so much harder|much harder|harder|a waste of your time|" +
			"such a waste of your time|frustrating|upsetting|annoying|disappointing|scary|never fun|no fun|" +
			"not fun|not nice|not ideal|far from ideal|never nice|never pleasant|no joke|a real pain}",
		"intens": "{so|really|very|incredibly|extremely|understandably|clearly|rightly|completely|" +
			"totally|pretty|quite|a bit|a little|truly|genuinely|deeply|absolutely|justifiably|" +
			"obviously|such|super|terribly|awfully|particularly|especially|just|rather|getting|" +
			"feeling|a little bit}",
		"copula": "{is|was|has been|must be|must have been|must've been|can be|gets|" +
			"must feel|feels|felt|sounds|sounded|seems|seemed|is getting|has got}",
		"pron": "{this|it|that|all this|all of this|everything|this whole thing|the whole thing}",

		// Concrete things an agent does to fix a problem, base form and past participle.
		"fixv": "{refund|replace|reset|resend|re send|send|cancel|credit|waive|reverse|restore|" +
			"reactivate|unlock|reship|reissue|exchange|upgrade|downgrade|convert|repair|process|" +
			"issue|arrange|book|schedule|rebook|reschedule|expedite|apply|add|remove|switch|" +
			"compensate|reimburse|correct|adjust|unblock|unfreeze|release|extend|honour|match|split|spread|divide|" +
			"activate|reactivate|enable|disable|set up|clear|delete|merge|move|redeliver|collect|" +
			"pick up|ship|dispatch|post|generate|create|offer|give you|get you {a|an|on|onto|booked|sorted|set up|into|another|the}|order|" +
			"request|initiate|submit|approve|authorize|grant|push|void|stop|pause|freeze|restart|" +
			"reboot|refresh|reconnect|retry|take off|knock off|put through|put in|put the|put your|put a|raise a|" +
			"open a|log a|file a|lodge a|start a|start the|make an exception|price match|" +
			"prioritize|reinstate|unsubscribe|transfer the|transfer your|top up|sign you out|send you {a|an|the|another|over|out|your|it|them|new}|" +
			"log you out|reinstall|update your|update the|change your|change the|swap|exchange|" +
			"send out|send over|courier|deliver|fit|install|replace|" +
			"rebate|discount|refund you|reimburse you|cover|pay for|cancel your|" +
			"re enable|re activate|re add|sort you out with|set you up|" +
			"hook you up|bump|upgrade you|move you|switch you|convert}",
		"fixed": "{refunded|replaced|reset|resent|re sent|sent|canceled|credited|waived|reversed|" +
			"restored|reactivated|unlocked|reshipped|reissued|exchanged|upgraded|downgraded|" +
			"converted|repaired|processed|issued|arranged|booked|scheduled|rebooked|rescheduled|" +
			"expedited|applied|added|removed|switched|compensated|reimbursed|corrected|adjusted|" +
			"unblocked|unfrozen|released|extended|honoured|matched|activated|enabled|disabled|" +
			"set up|cleared|deleted|merged|moved|redelivered|collected|shipped|dispatched|posted|" +
			"emailed|generated|created|organized|ordered|requested|initiated|submitted|approved|" +
			"authorized|granted|pushed|voided|stopped|paused|frozen|refreshed|reconnected|" +
			"returned|raised|opened|logged|lodged|filed|placed|reinstated|unsubscribed|" +
			"prioritized|topped up|signed out|logged out|swapped|changed|updated|fixed|resolved|" +
			"gone ahead|taken off|knocked off|put through|put in|put|made an exception|covered|" +
			"paid|provided|installed|reinstalled|re enabled|re activated|rerun|re run|ran|run|" +
			"sorted|sorted out|given|offered|blocked|pushed back|bumped|fitted|delivered}",
		"fixing": "{refunding|replacing|resetting|resending|sending|cancelling|canceling|crediting|" +
			"waiving|reversing|restoring|reactivating|unlocking|reshipping|reissuing|exchanging|" +
			"upgrading|converting|repairing|processing|issuing|arranging|booking|scheduling|" +
			"rebooking|rescheduling|expediting|applying|adding|removing|switching|compensating|" +
			"reimbursing|correcting|adjusting|unblocking|releasing|extending|honouring|matching|" +
			"activating|enabling|disabling|setting up|clearing|deleting|moving|redelivering|" +
			"collecting|shipping|dispatching|posting|emailing|generating|creating|organizing|" +
			"ordering|requesting|initiating|submitting|approving|granting|pushing|voiding|" +
			"stopping|pausing|freezing|refreshing|reconnecting|raising|opening|logging|lodging|" +
			"filing|placing|reinstating|prioritizing|putting through|putting in|putting|" +
			"covering|paying|providing|installing|giving|offering|fitting|delivering|changing|" +
			"updating|making an exception}",
		"remedy": "{refund|replacement|credit|voucher|discount|gift card|exchange|coupon|repair|" +
			"new one|free|upgrade|partial refund|full refund|goodwill|compensation|callback|" +
			"call back|redelivery|reshipment|engineer|technician|visit|rebate|payment plan}",

		// When the next thing happens.
		"unit": "{second|seconds|minute|minutes|hour|hours|day|days|week|weeks|month|months|" +
			"business day|business days|working day|working days|weekday|weekdays}",
		"day": "{monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|tomorrow|" +
			"noon|midday|midnight|this afternoon|this evening|this morning|" +
			"the end of the day|end of day|the end of today|the end of the week|close of business|" +
			"tomorrow morning|tomorrow afternoon|tomorrow evening|lunchtime|next week|later today|" +
			"<time>|<num> {am|pm|o'clock}|the morning|the afternoon|the evening|" +
			"<num> {january|february|march|april|may|june|july|august|september|october|november|" +
			"december}|{january|february|march|april|may|june|july|august|september|october|" +
			"november|december} <num>}",

		// What a customer owns that an agent may reassure about.
		"asset": "{account|data|money|card|details|funds|order|information|info|files|photos|" +
			"savings|balance|booking|seat|number|subscription|warranty|refund|payment|device|" +
			"personal details|password|identity|deposit|reservation|ticket|plan|settings|" +
			"recordings|documents|contacts|history|points|credit|benefits|pension|package|parcel}",

		// What identifies a customer or an order.
		"idnoun": "{email address|e mail address|order number|order id|order no|" +
			"order ref|order reference|account number|account id|account email|customer number|" +
			"customer id|member number|membership number|reference number|ref number|" +
			"booking reference|booking ref|booking number|booking code|confirmation number|" +
			"confirmation code|tracking number|invoice number|ticket number|case number|" +
			"policy number|date of birth|dob|birthday|postcode|post code|zip|zip code|postal code|" +
			"billing address|first line of the address|first line of your address|last four|" +
			"last 4|last four digits|last 4 digits|digits|security question|security questions|" +
			"security answer|security code|verification code|one time code|one time passcode|" +
			"passcode|otp|pin|full name|name on the account|surname|last name|first name|" +
			"username|user name|phone number|mobile number|account holder|account holder's|" +
			"registered email|serial number|imei|card number|sort code|iban|maiden name|" +
			"mother's maiden name|memorable word|passphrase|membership id|member id|" +
			"admin email|workspace url|login email|passport|driving licence|" +
			"driver's license|identification|proof of id|proof of address|photo id|" +
			"email on the account|email on file|email you registered|email you signed up with|" +
			"email address you registered|account email address|delivery address|home address}",
	}

	// greet: opening a conversation, or chasing with "hello??".
	l.add(greet, optStart,
		"{hi|hello|hey|hiya|heya|howdy|greetings|hallo|morning|afternoon|evening|dear}",
		"good {morning|afternoon|evening|day}",
		"welcome {to|back|aboard}")
	l.add(greet, 0,
		"{my name is|my name's|i'm|i am|this is|it's|name's} <name>",
		"<name> {here|from}",
		"you're {chatting|speaking|talking|through} {with|to}",
		"you are {chatting|speaking|talking|through} {with|to}",
		"you've reached", "you have reached",

		"{nice|lovely|good|great|pleasure} to {meet|chat with|speak with|hear from|talk to} you",
		"hi again", "hello again",
		"how are you {today|doing|doing today|this morning|this afternoon|this evening}")
	l.add(greet, optEnd, "how are you")
	l.veto(greet, 0, moveList(expect, ownership),
		"{i'll|i will|i'm going to|who'll|who will} be {helping|assisting|looking after|handling|supporting|with} you {today|this morning|this afternoon|this evening|now}?")
	l.veto(none, 0, moveList(greet), "you're welcome", "you are welcome", "welcome to {contact|reach|call|get}")

	// acknowledge_emotion: naming or recognising the customer's feeling. Where the same
	// words also read as empathize, the named feeling wins.
	l.veto(ack, 0, moveList(empathize),
		"{how|just how|so} <feel> {<pron> {is|was|has been|must be|must have been|can be|gets|is getting|has got|must feel|feels|might be}|{it's|that's} {been|getting}}",
		"{how|just how} <feel> it {is|must be|can be|must have been|feels|was} to",
		"{you're|you are|you sound|you seem|you feel|you must be|you must feel|you were|you've been|you'd be|you might be|you may be|you'd feel|you might feel|you'll be|you've felt|you felt|your|you look} <intens>? <feel>",
		"{you're|you are|you sound|you seem|you must be|you feel|you were} {a bit|a little|really|so|pretty|understandably}? {worried|worrying|upset|angry|annoyed}",
		"how <feel> {you are|you were|you must be|you must feel|you feel|you have been|you've been|you might be|you're}",
		"{i can|i} {hear|see|tell|sense|imagine} how <feel> you",
		"<pron> <copula> <intens>? <feel>",
		"{that|this|it} {sounds|sounded|must be|must have been|must've been|seems|must feel} <intens>? {like}? {a|an|such a}? {real|total|complete|absolute}? <feelweak>",
		"{that|this|it} {sounds|sounded|seems} like {a|an|such a}? {real|total|complete|absolute}? {nightmare|pain|hassle|headache|ordeal|mess|shock|worry|blow}",
		"{that's|that is|this is|what a} <intens>? {a|an}? <feel>",
		"{that's|that is} <intens>? <feelweak>",
		"your <feelnoun>", "the <feelnoun> in your",
		"{hear|understand|see|sense|feel|appreciate|get} {the|that|this} <feelnoun>",
		"{how|why} {you feel|you're feeling|you are feeling|you felt|you must feel|you might feel|you'd feel|you would feel|you must be feeling|you'd be feeling|you've been feeling}",
		"{feel|feeling|felt} {let down|ignored|fobbed off|unheard|misled|cheated|frustrated}",
		"i hear you", "no wonder you're", "no wonder you are",
		"{right|reason|entitled} to be <intens>? <feel>",
		"{sounds|sounded|seems|seemed|looks} like *5 <feel>",
		"{you've|you have|you've been having|you're having} {had}? {a|such a} <intens>? {<feel>|<feelweak>} {week|day|time|experience|morning|few days|month|journey}",
		"{and|which} {that's|it's|that is|is} {completely|totally|perfectly|entirely|absolutely}? {understandable|fair|fair enough|valid|natural|justified|reasonable}",
		"{understandably|naturally|rightly|justifiably} so")

	// apologize: sorry for the problem, sincerely.
	l.add(apologize, 0,
		"sorry", "apolog*", "my apologies", "pardon {the|my|our} {delay|wait|confusion|mistake|error}",
		"{i|we} {sincerely|deeply|truly|really}? regret",
		"forgive {me|us} for", "excuse the {delay|wait}",
		"my bad", "i feel {terrible|awful|bad} {about|that}",
		"{can't|cannot} apolog* enough", "can't tell you how sorry")
	// A non-apology is dismiss and takes the apology away.
	l.veto(dismiss, 0, moveList(apologize),
		"sorry {if|that}? you {feel|felt|think|thought|see it|were offended|are offended|took it|find|found|believe}",
		"sorry {if|that} {you're|you are|you were|you've been|this has|that has|it has|anyone} {offended|upset|hurt|bothered}",
		"sorry {if|that} you {feel|felt|were|are|think}",
		"sorry for any {upset|offence|offense|hurt feelings|feelings} {you|that|this}?",
		"sorry {you|that you} {see|saw|view} it {that|this} way")
	l.veto(none, 0, moveList(empathize), "{sorry|apologize|apologies|apology} for {you|your}? having to")
	l.veto(none, 0, moveList(apologize),
		"no need to {apologize|be sorry|say sorry}", "nothing to {apologize|be sorry} for",
		"{sorry|so sorry} to {bother|trouble|interrupt|ask} you {but}?")
	// "Sorry, what do you mean?" asks to repeat; it apologises for nothing.
	l.veto(none, optQuestion, moveList(apologize),
		"sorry {what|which|who|where|when|how|could|can|did|do|does|is|are|come again|pardon}")

	// empathize: showing they understand the customer's situation.
	l.add(empathize, 0,
		"{last|worst} thing {you|anyone|anybody|someone|people} {need|needs|want|wants|needed|wanted}",
		"{i'd|i would|anyone would|anybody would|i'd also|i'd definitely|i'd probably|i'd certainly|i would also|i'd honestly|honestly i'd} {be|feel|want|get|have been} *4 {too|as well|the same}",
		"{i'd|i would|anyone would|anybody would|i'd also} feel the same",
		"{anyone|anybody|everyone|most people} would {be|feel|want|get}",
		"{i|i can|i do|i completely|i totally|i fully|i really} {know|understand|get|realize|appreciate|see|imagine} {how|just how} {much|important|urgent|crucial|vital|essential|big|hard|difficult|tough|inconvenient|disruptive|busy|stressful|exhausting|tiring|awkward} ",
		"{how|just how} {hard|difficult|tough|inconvenient|disruptive|awkward|exhausting|tiring|annoying|frustrating|stressful|confusing|upsetting|worrying} {it is|it's|it can be|it must be|it gets} when",
		"{how|just how} {hard|difficult|tough|inconvenient|disruptive|awkward|exhausting|tiring|confusing|complicated} *4 {is|are|was|were|can be|must be|gets|it is|it's}",
		"{nobody|no one|noone|none of us} {wants|likes|enjoys|should|deserves|needs|expects|plans|wants to|likes to}",
		"{it|this|that} {really}? {matters|means a lot}", "{matters|important} to you", "means a lot to you",
		"{you|you've|you have|you're|you are} {rely|relied|depend|depended|count|counted|relying|depending|counting} on",
		"{get|see|understand|know|appreciate} {why you need|why you needed|why you want|why you wanted|why you'd want|why you would want|why you rely|why you had to|why you have to|why you called|why you contacted|why you chose|why you expected|why you were expecting|why you were hoping|why you hoped|why you're asking|why you are asking|why you asked}",
		"{get|understand|know|appreciate|realize} {that}? {you need|you needed|you want|you wanted|you rely|you were hoping|you hoped|you were expecting|you had planned|you have plans|you've got|you have got|you have a|you've been|you have been|you were}",
		"{understand|know|realize|appreciate|see} {that}? {this|the|your|it} *4 {is for|was for|matters|is important|was important|means|was meant|is needed|was needed}",
		"waste of your time", "{is|was} the worst {timing|time}", "worst {possible}? timing", "at the worst {possible}? time",
		"{especially|particularly} {when|with|before|after|right|since|as|on|if|because}",
		"{right|just|the day|the night|two days|the week|a day|days} before {your|a|the|christmas|payday|rent}",
		"on top of {everything|that|all|it}", "of all {days|times|weeks}",
		"having to {repeat|wait|chase|call|explain|contact|deal|spend|go through|keep}",
		"{isn't|is not|not|wasn't} fair {to|on} you", "you shouldn't have to", "you should not have to",
		"{nobody|no one} should have to", "you deserve better",
		"{it|that} makes {total|complete|perfect}? sense {that|you|why}",
		"in your {shoes|position|place|situation}",
		"{i'd|i would} {hate|not want|be devastated|be gutted|be furious|be upset|be annoyed|be frustrated|be worried|be livid|be fuming}",
		"{with|given} your {exam|trip|flight|wedding|baby|newborn|move|holiday|kids|children|job|work|deadline|surgery|injury|appointment|interview|event|birthday|business|family|exams}",
		"{hectic|stressful|chaotic|difficult|hard|busy|tough} enough",
		"{gutted|sad|heartbroken|devastated} for you",
		"{been|had|having} a {long|rough|tough|hard|difficult|stressful|horrible|awful|exhausting} {week|day|few days|month|year|morning|night|time of it}",
		"{rough|tough|hard|difficult|stressful} {week|few days|time}",
		"must make {everything|it|things|life|that|this} <intens>? {so much|much|even|a lot}? {harder|worse|more difficult|more stressful|tougher}",
		"<copula> <intens>? {a|an}? {real|total|complete|absolute}? {<feel>|<feelweak>}",
		"{is|are|was|were} {the|a} {worst|last thing}")
	// A feeling said about "this" or "you" is acknowledge_emotion; the same feeling said
	// about the situation itself is empathize. The narrower ack patterns veto.
	l.veto(ack, 0, moveList(empathize),
		"<pron> <copula> <intens>? {a|an}? {real|total|complete|absolute}? {<feel>|<feelweak>}",
		"{that|this|it} {sounds|sounded|seems|must be|must have been} <intens>? {like}? {a|an|such a}? {real|total|complete|absolute}? {<feel>|<feelweak>}")
	l.veto(empathize, optSentence, moveList(explain, expect),
		"{i'd|i would|anyone would|anybody would} {be|feel} *4 {too|as well} if",
		"{know|understand|appreciate|realize|get} {that}? {you need|you needed|you want|you wanted|you rely|you have plans|you've got|you have got|you were hoping|you were expecting}")
	l.veto(empathize, 0, moveList(ack),
		"{how|what} <intens>? {<feel>|<feelweak>} {it is|it's|it can be|it must be|it gets} when",
		"{i'd|i would} {be|feel} <intens>? <feel> {too|as well}")

	// ask_question: asking about the problem without a question mark, or politely.
	l.add(ask, 0,
		"{could|can|would|will} you {please}? {tell|let} me",
		"{please}? let me know {what|which|when|where|how|if|whether|the|your|why|who}",
		"{could|can|would|will} you {please}? {describe|explain|send|share|clarify|give me|provide|upload|attach|take a screenshot|send me|forward|check|look|confirm|tell|walk me through|let me know|find|read}",
		"{please}? {tell|describe|explain|walk} me {more|about|through|what|how|when|which|where|why|if|whether|exactly|a bit}",
		"please {describe|explain|send|share|clarify|provide|upload|attach|confirm|check}",
		"{i'd like|i need|i want|i would like} to know", "{may|can|could} i ask",
		"{i was|i am|i'm} wondering {if|whether|what|when|which|how|why}", "i'm wondering",
		"do you {know|remember|happen to|recall} {if|whether|what|when|which|how|where|why}?",
		"{i'd|i would} {love|like} to {know|hear|understand} {more|what|how|when|which}")
	l.add(ask, optStart|optStatement,
		"{what|when|where|how|who|whose|why} {is|was|are|were|does|did|do|has|have|happened|exactly|kind|time|date|version|model|browser|device|error|card|message|day} {the|your|it|you|this|that|a|an|they|he|she}",
		"which {card|browser|device|model|version|app|phone|account|plan|option|one|email|address|product|item|order|network|router|step|page|error|message|bank|store|colour|color|size|day|date|time}",
		"{is|are|did|do|does|have|has|was|were} {the|your|it|you|this|that|there|they} *4 {still|already|now|yet|showing|working|happening|on|off}")
	l.add(ask, optStart,
		"{just}? send {me|us}? {a|the|over a|over the} {photo|picture|screenshot|pic|image|video|copy|receipt|photos|pictures|screenshots}")
	// The customer's feelings or situation: a question about them is exploration.
	l.add(ask, optQuestion, "how {are you|do you} {feeling|feel}", "what happened")

	// verify_identity: asking for account or order identifiers and security details.
	// A strong identifier is asked for even in a plain "what's…"; a weak one ("email",
	// "code", "address") only when the agent asks to confirm or give it.
	l.macros["idweak"] = "{email|e mail|address|code|id|login|mobile|reference|name|number|digits|" +
		"details|username|user name|account|card}"
	l.veto(verify, 0, moveList(offer),
		"{confirm|verify|provide|give me|send me|share|tell me|type|read me|read out|double check|spell|spell out} *6 {<idnoun>|<idweak>}",
		"{what's|what is|what was|which|i need|i'll need|we need|i will need} *4 <idnoun>",
		"{can|could|may} i {have|take|get|grab|ask for|just get|just have|please have|please take|ask you for} *3 {<idnoun>|<idweak>}",
		"{verify|confirm|check} {your|the|a few|some|a couple of} {identity|account|details|security|id}",
		"for security {reasons|purposes}? {can i|could i|may i|what's|what is|please|could you|can you|i need|i'll need}",
		"security {check|questions|question|verification|details|purposes}",
		"{identity|id} {check|verification}", "verify {you|that you|it's you|who}",
		"{confirm|make sure|check} {it's|that it's|that you're|you're|you are} {you|the account holder|the owner}",
		"{sent|texted|emailed} {a|the|you a|you the} {code|verification code|one time code|pin|passcode|otp}",
		"{code|pin|passcode|otp} {we|i} {just}? {sent|texted|emailed}",
		"{can|could} you read it {to|back to|out to} me",
		"{account|booking|order|reservation|subscription} {in|under} {your|whose|the|which|what} name",
		"{id|passport|licence|license|identification} you {uploaded|sent|provided|attached}",
		"{what|which} {email|address|name|number|phone number|mobile number} {is|did you|do you|was} *3 {account|registered|sign up|signed up|use|used|booking|order}")
	l.add(verify, optStart, "{please}? enter the {pin|code|passcode|otp|verification code}")
	l.add(verify, optStart|optQuestion, "{and}? {your|the} <idnoun>")
	l.veto(none, 0, moveList(verify), "{check|checked|checking} your {email|inbox|spam|junk|phone|texts}")

	// take_ownership: taking responsibility for fixing it.
	l.add(ownership, 0,
		"{that's|that is|this is|it's|it is|this one's|that one's|which is|is|was|this was|that was} {entirely|completely|totally|all|squarely|definitely|100}? {on|down to} {us|me}",
		"{our|my} {mistake|fault|error|bad|oversight|mix up|mixup|screw up|slip up|blunder|failure|responsibility}",
		"{mistake|error|fault|failure|problem} {was|is} {ours|mine}", "{it's|it is|that's|was} ours",
		"{bug|error|fault|problem|issue|mistake|glitch} {on|at} our {end|side}",
		"we {messed|screwed|slipped|mucked|fouled} up", "we {got|made} {it|this|that} wrong",
		"{we|i} dropped the ball", "{we|i} let you down",
		"{we'll|we will} {make this right|make it right|make things right|put this right|put it right|take responsibility|take full responsibility|own this|make sure}",
		"{i'll|i will|i'm going to|i am going to|let me|i'm gonna} {personally|make sure|take care of|look after|take ownership|take responsibility|take full responsibility|own|see this through|see it through|follow this through|stay on|keep an eye on|make this right|make it right|make things right|put this right|put it right|put things right|deal with this|deal with it|be handling|be looking after|be taking care of|take it from here|take this from here|get to the bottom of|chase|handle|stick with you|stay with you|fix|fix this|fix it|sort this|sort it|get this fixed|get it fixed|resolve this|see to it|follow up personally|follow it up personally}",
		"leave {it|this|that} with me", "{you have|you've got} my word", "i've got this", "i'm on it", "i'm on this",
		"consider it {handled|done|sorted}", "i'll own", "personally",
		"{it|this|that|this one|everything|the rest} myself",
		"{i|we} take {full|complete}? responsibility", "{we|i} should have", "{we|i} shouldn't have",
		"{that|this|it} {shouldn't|should not|should never} have happened",
		"{we|i} {made|caused} {a|an|the|this}? {mistake|error}",
		"{not|won't|will not|i'm not} {letting|let} {this|it} go",
		"{won't|will not|i'm not going to|i am not going to} {close|stop|rest|give up|leave|let go} *4 until",
		"{we'll|we will|let's|we can} {fix|sort|solve|get through|figure out|work through|sort out} *3 together",
		"i'll {stay|stick|be} {on|with} {this|it|you} {case}? until")

	// escalate: bringing in or handing over to someone else.
	l.macros["expert"] = "{supervisor|supervisors|manager|managers|team lead|team leader|lead|senior|" +
		"specialist|specialists|expert|experts|engineers|engineering|technician|technicians|" +
		"colleague|colleagues|department|team|teams|second line|second line support|2nd line|" +
		"tier 2|level 2|back office|escalations|developers|dev team|higher up|higher ups|" +
		"someone senior|someone more senior|someone from|product specialist|engineer|" +
		"installation manager|claims|complaints}"
	l.macros["handover"] = "{pass|passing|passed|hand|handing|handed|forward|forwarding|forwarded|" +
		"refer|referring|referred|transfer|transferring|transferred|raise|raising|raised|flag|" +
		"flagging|flagged|loop|looping|looped|bring|bringing|brought|connect|connecting|" +
		"connected|consult|consulting|involve|involving|route|routing|routed|assign|assigning|" +
		"assigned|send|sending|sent|log|logged|logging|escalate|escalating|escalated|report|" +
		"reported|reporting}"
	// Escalation hits take the offer away where they overlap: "I've raised this with our
	// billing team" hands the problem over rather than fixing it.
	l.veto(escalate, 0, moveList(offer, hold),
		"<handover> *5 {to|with|over to|on to|in}? {my|our|a|the|an|one of our}? <expert>",
		"{i'll|i will|let me|i'm going to|i need to|i'll need to|i can|i'm|i am|i've|i have|we'll|we've|i'd like to|i'm just going to} {get|ask|check with|speak to|speak with|talk to|talk with|consult|contact|call|message|email|bring|asked|checked with|spoken to|spoken with|contacted|messaged|emailed|getting|asking|checking with|speaking to|speaking with} {my|a|the|our|one of our|an}? *2 <expert>",
		"{i|we} {need|needed} {my|a|the|our} <expert>",
		"speak {to|with} {a|my|the|our} <expert>",
		"{passing|passed|pass|handing|handed|forwarding|forwarded|escalating|escalated|transferring|transferred|sending|sent} *3 {to|over to|on to} {them|him|her}",
		"escalat*", "transfer you", "transferring you", "put you through", "connect you {with|to}",
		"hand you over", "pass you {over|on|to}",
		"senior {engineer|technician|colleague|advisor|agent|manager|specialist|member|team}",
		"{booked|booking|book|arranged|arranging} {a|an|for a} senior <expert>",
		"{raise|raised|raising|open|opened|opening|log|logged|logging} {a|an} *2 {ticket|case|complaint|report|bug}",
		"our <expert> {will|can} {update|contact|call|email|get back|be in touch|reach out|look|review|assess|investigate|check|ring}",
		"{they'll|they will} be in touch")

	l.macros["failed"] = "{missed|failed|retried|declined|flagged|misrouted|duplicated|rejected|" +
		"blocked|held|delayed|lost|returned|expired|reverted|crashed|bounced|suspended|locked|went|" +
		"timed out|dropped|burnt out|ran out|released|marked|scanned|overran|renewed|stopped|broke|" +
		"was caused|got stuck|didn't come through}"
	// explain: the reason for the problem, or how something works. A question explains
	// nothing ("is it still under warranty?").
	l.add(explain, optStatement,
		"{it was|that was|it's|that's|this was|this is|it is} {just|only}? {a|an} {glitch|bug|outage|technical issue|system error|known issue|temporary issue|technical glitch|system glitch|software bug|server issue|network issue}",
		"{glitch|bug|outage|fault|error|problem|issue} {on|in|with|at} {our|the} {website|site|system|app|servers|network}",
		"{appears|shows|shows up|pops up|comes up|occurs|happens|happen|appear} {when|if|whenever|after|because}",
		"because", "due to", "owing to", "as a result of", "caused by", "{because|result} of",
		"the reason {is|was|why|for|being}", "the reason *5 {is|was}", "so that's {what|why|how}", "{that's|which is|this is|that is|which was|so that's|hence} why",
		"{this|that|it} {usually|often|sometimes|can|may|might|normally|typically}? {happens|happen|occurs|occur} {when|if|because|after|whenever}",
		"{what happened|what's happening|what is happening|what happens} {is|was|here}",
		"the {issue|problem|cause|error|fault} {is|was} {that|with|caused}",
		"according to {our|the}? {records|system|tracking|logs}",
		"our {records|system|logs|tracking} {show|shows|indicate|indicates|say|says}",
		"{tracking|records|system|logs|history} {shows|show|says|say|indicates} {that}?",
		"{it|this|that|which} means {that}?", "{means|mean} {the|that|your|it|you|there}",
		"the way {it|this} works", "how {it|this} works", "{works|work} like this", "{is|are} designed to",
		"{by|as} default", "automatically", "only works {on|with|if|when}",
		"{had|has had|is having|was having|experienced|hit|suffered} {a|an|some} *2 {outage|glitch|bug|error|issue|problem|fault|technical issue|delay|backlog|power cut}",
		"{there's|there is|there was|there has been|there's been} {a|an} *2 {outage|glitch|bug|error|issue|problem|delay|backlog|fault|mix up|mixup|technical issue|system error|known issue|strike|shortage|maintenance|update}",
		"known {issue|problem|bug|defect|fault}",
		"{it's|it is|that's|this is|that was|it was|this was|was} {just}? {a|an} {display|known|minor|temporary|system|software|technical|billing|phishing|scam|fraud|spam|automated|test|duplicate|pending|security} {bug|glitch|error|fault|outage|issue|attempt|email|message|charge|hold|feature|measure|check|authorization|authorisation}",
		"{pending|temporary} {charge|hold|authorization|authorisation|transaction|payment}",
		"{a|the} {hold|pre authorization|pre authorisation|authorization|authorisation} {the|your}? bank",
		"{expire|expires|expired|lapse|lapses|renew|renews|renewed|time out|times out|resets|locks|locked|suspends|suspended|blocks|blocked} {itself}? {after|every|at|once|when|on}",
		"{under|covered by|covers|cover} {the|your}? warranty", "warranty covers", "{still}? under warranty",
		"{for|as a} {security|safety} {reasons|measure|precaution|feature}", "for your {protection|security|safety}",
		"there's {normally|usually|typically|a standard} {a|an}?",
		"{fee|charge|fees|charges} {applies|apply|applied}",
		"{payment|charge|order|parcel|package|courier|driver|system|card|transaction|delivery|update|router|account|refund|booking|flight|email|direct debit|debit|request|app|device|lock|reminder|connection|signal|line|server|site|website|network|mast|camera|printer|phone|hub|data|allowance|plan|trial|subscription|contract|voucher|batch|motor|sync|export|session|link|fare|desk|maintenance|outage|bank|settings|integration|firmware|battery|screen} *3 <failed>",
		"{didn't|did not|hasn't|haven't|wasn't|weren't} {come|gone|go|get|been} {through|sent|updated|applied|processed|delivered}",
		"{so|and so} {the|your|it|this|that} *2 {was|were|got|has been|had been|went|couldn't|didn't|wasn't|is being}",
		"{it|this|that|which} {can|could|will|may|might} {brick|damage|break|corrupt|wipe|erase|void|cause|interrupt}",
		"{can't|cannot|won't|will not|can only} {work|come in|connect|be delivered|be processed|start|go through|arrive|reach} *3 {if|unless|until|without|when}",
		"which {doesn't|can't|isn't|won't|causes|affects|only}",
		"{go|goes|went|are sent|is sent|are paid|is paid} back to the original",
		"{includes|include|included|covers|cover} {two|both|the|an|a|<num>} *3 {months|charges|fees|days|payments|periods}",
		"{closes|opens|close|open|closed|shuts|shut} {at|<num>|before|after|early|on}", "{are|is} {held|kept|reserved} until",
		"{is|are} {handled|dealt with|managed|processed|done|covered|run|checked|reviewed|decided} by",
		"{are|is} {two}? {different|separate} {things|codes|numbers|accounts|products|services|systems|charges|payments|companies}",
		"{is|are} not the same as",
		"{is|was} {a|an} {phishing|scam|spoofed|fake|fraudulent}",
		"{the|your|this} {total|bill|amount|price|charge} {is|was} higher")

	l.veto(explain, 0, moveList(expect), "{are|is} {held|kept|reserved|open|valid|available} until")
	// An unknown cause is not an explanation: "I can't see why the payment failed".
	l.veto(none, 0, moveList(explain),
		"{see|know|understand|find out|tell|sure|figure out|work out|check|explain|investigate|look into} {why|how|what|whether|if|where} *5 <failed>")
	// offer_solution: proposing, promising or reporting a concrete fix, or guiding the
	// customer through one.
	l.add(offer, 0,
		"{i|we} {can|could|will} {also|certainly|definitely|absolutely|gladly|happily|just|now|quickly|immediately|personally|easily|still|instead|go ahead and}? <fixv>",
		"{i'll|we'll|i will|we will} {also|certainly|definitely|absolutely|gladly|happily|just|now|quickly|immediately|personally|go ahead and|then|happily|right away}? <fixv>",
		"{i'm|we're|i am|we are} {going to|gonna|about to|happy to|glad to|able to|now going to|just going to|arranging to} {also|just|now|go ahead and|get|quickly}? <fixv>",
		"{i'd|we'd|i would|we would} {be happy|be glad|love|like} to <fixv>",
		"{let me|allow me to|let us} {go ahead and|just|quickly|now}? {<fixv>|get you|sort you}",
		"{i've|we've|i have|we have} {just|now|already|also|gone ahead and|successfully|manually|personally|since|then}? <fixed>",
		"{i|we} {just|already|now|also}? {went ahead and|manually}? {refunded|replaced|reset|resent|canceled|credited|waived|reversed|restored|unlocked|reissued|upgraded|processed|issued|arranged|booked|rebooked|applied|added|removed|extended|activated|enabled|cleared|ordered|requested|submitted|approved|pushed|froze|moved|switched}",
		"{i'm|we're|i am|we are} {also|now|just|currently|personally}? <fixing>",
		"{has|have} been {successfully|fully|now|already|just}? {refunded|replaced|reset|resent|canceled|credited|waived|reversed|restored|unlocked|reissued|upgraded|processed|issued|arranged|booked|rebooked|applied|added|removed|extended|activated|enabled|cleared|ordered|requested|submitted|approved|pushed|frozen|moved|switched|fixed|resolved|sorted|updated|corrected|adjusted|reactivated|unblocked|released|dispatched|shipped|sent}",
		"will be {refunded|replaced|credited|reimbursed|reversed|waived|covered|reissued}",
		"{is|are} now {working|active|live|fixed|resolved|unlocked|back|restored|enabled|sorted|updated|unblocked|reactivated|on}",
		"{refund|replacement|credit|card|one|router|order|parcel|package} {is|are} {now}? {on its way|on it's way|on the way|processing|being processed|going through|in the post|in the mail|being sent|being prepared|being shipped}",
		"{it's|they're} {now}? {on its way|on it's way|on the way|being processed|in the post|in the mail|being shipped}",
		"should now {be|work|show|load|connect}", "{you can|you should be able to|you'll be able to|you will be able to} now",
		"you can now", "you can {log|sign} in now",

		"{would you like|do you want|shall|should|want} {me|i} {to}?",
		"{would you like|do you want|would you prefer|would you rather|do you prefer|shall we|should we|would it help if|would it help to|would that help if|how about|what if i|why don't we|could i offer|can i offer|may i offer|i'd like to offer|i can offer|we can offer|i could offer|i'd suggest|i suggest|i recommend|i'd recommend|my suggestion|how does that sound}",
		"would {a|an} {full|partial|small|free|<num>}? <remedy>",
		"if you'd like {i|we} can", "if you like {i|we} can", "if that helps",
		"{could|can|would} you {please}? try", "{please|maybe|just|you could|you can|you might|you might want to|you may want to|it's worth|worth} {try|trying}",
		"let's {try|start|get|see if|reset|fix|sort|walk|go through|run|check|restart|do|give|have|clear|update|reinstall|set|switch|book|arrange|pair}",
		"give it {another|a} {go|try|shot|whirl}",
		"it's {best|better|worth} to", "the {best|quickest|easiest|fastest} {option|way|thing|fix|solution} {is|would be|here is}",
		"the {fix|solution|workaround} {is|here is|would be} {to|simple|easy|quick|just}", "one {option|thing you can try|fix|workaround|solution} is",
		"another option", "alternatively", "here's what {you|we|i} can do", "what {i|we} can do is",
		"here's how", "{here are|follow} the steps", "follow these steps", "step {1|one}",
		"{as a|by way of a} {gesture|goodwill}", "goodwill {gesture|credit|refund|voucher|payment}",
		"{at no|free of|without any} {extra|additional}? {cost|charge}",
		"{you can|you could|you should|you'll need to|you need to|you will need to|you'd need to|you may need to|you might need to|you just need to|all you need to do is} {also|just|simply|now}? {try|restart|reboot|clear|update|reinstall|reset|change|use|go to|log in|sign in|log out|click|tap|select|return|cancel|request|claim|download|check your|turn|switch|unplug|exchange|pick up|collect|find|manage|track|book|print|drop|open|enable|disable|set|toggle|hold|press|enter|follow|remove|delete|connect|reconnect|pair|install|uninstall|contact your|call your|visit|head to|navigate}",
		"{setting|changing|switching|turning|using|restarting|resetting|updating|reinstalling|clearing|rebooting|unplugging|moving|upgrading|enabling|disabling} *6 {will|should} {fix|stop|solve|sort|resolve|help|prevent|get}",
		"{i|we|i'll|we'll} {can|could|will}? {sort|get} you {a|an|out|with|set up|booked|sorted|on}",
		"{i've|we've} {got|had} {you|it|that|this|your} *2 {booked|sorted|sorted out|set up|refunded|replaced|fixed}")
	// An imperative at the start of a clause walks the customer through a fix.
	l.add(offer, optStart,
		"{try|restart|reboot|clear|unplug|plug|reinstall|uninstall|install|turn|switch|press|hold down|hold the|tap|click|select|go to|head to|head over to|navigate to|open|force|enable|disable|reset|change|use|visit|follow|toggle|re enter|retry|refresh|scan|download|update|log out|log in|sign out|sign in|choose|set|pop|remove|delete|disconnect|reconnect|connect|pair|forget|move|drag|type|paste|check your|check that|check the|make sure|ensure|return|print|drop|bring|take it|run|save|close the|close all|swap|power|charge it|let it|give it|send it|pack|contact your|call your|ask your|double click|right click|scroll|hit|press and hold}")
	l.add(offer, optStatement,
		"{refund|replacement|cancellation|order|request|credit|ticket|return|exchange|change|booking|callback|redelivery} {requested|processed|issued|approved|done|sorted|arranged|booked|confirmed|completed|submitted|sent|placed|actioned}")
	l.add(offer, optStart|optEnd,
		"{done|sorted|all done|all sorted|canceled|refunded|fixed|processed|booked|sent|unlocked|there you go|there you are|all fixed|all set up}")
	l.veto(none, 0, moveList(offer), "check your {email|inbox|phone|texts} for {a|the}? {code|pin}",
		"{whether|if} {we|i|they|you|we'd|i'd} {can|could|be able to|would be able to|are able to|might be able to} {still}? <fixv>")

	// set_expectation: when or how the next thing happens.
	l.veto(none, 0, moveList(expect),
		"<num> {month|year|day|week|hour|minute|months|years|days|weeks} {contract|plan|warranty|subscription|trial|period|window|guarantee|agreement|term|membership|refund|return|limit|notice}")
	l.add(expect, 0,
		"{within|in|up to|takes|take|taking|allow|under|no more than|no later than|for up to|over the next|in the next|within the next|inside} {the next|about|around|roughly|approximately|up to|another|just|less than|a maximum of|a further|only|at most|a|an|the}? <num> *2 <unit>",
		"{within|in|inside} {a|an|the} {few|couple of|couple}? {more}? {business|working}? <unit>",
		"{within|in} {the|an|a} hour", "{in|within} the next {hour|day|few|couple|<num>}",
		"{by|before|on|for|until|from|at|around|after|between|no later than} {the end of}? <day>",
		"{you should|you'd|you're going to|you are going to|you may|you might|you should also} {see|get|receive|hear|notice} {it|the|your|a|an|this|that|them|back|from|confirmation|an email|an update}",
		"{you'll|you will|you'll then|you will then|you'll also|you will also|you can expect to|you'll still|you will still} {have|see|get|receive|hear|be able|be contacted|be notified|be emailed|be refunded|be credited|be updated|be sent|notice|be charged|be billed|be called|get back}",
		"{will|should|is going to|are going to|may|might} {arrive|show up|appear|reach you|land|clear|go through|reflect|come through|be processed|be delivered|be dispatched|be shipped|be sent|be back|be with you|be ready|be resolved|be restored|be active|be live|be visible|be available|be in touch|get back to you|call you|contact you|email you|text you|reach out|follow up|update you|let you know|notify you|be working|call|visit|transfer|kick in|switch over|go live|take effect|be fixed|be completed|be decided|be reviewed|be approved|be released|be credited|be with|show|start|begin|be installed|be here}",
		"{it'll|they'll|he'll|she'll|that'll|we'll} {arrive|show up|appear|reach you|land|clear|go through|reflect|come through|be processed|be delivered|be dispatched|be shipped|be sent|be back|be with you|be ready|be in touch|get back to you|call you|contact you|email you|text you|reach out|update you|let you know|notify you|call|visit|kick in|take effect|be released|be credited|be with|show|be here}",
		"{i'll|we'll|i will|we will|i'm going to|we're going to|someone will|they'll|they will|the team will|i am going to} {also|then|personally}? {email|update|message|call|contact|text|notify|let you know|keep you posted|keep you updated|keep you informed|keep you in the loop|get back to you|follow up|be in touch|check back|reach out|send you an update|send you a confirmation|circle back|ring you|come back to you|drop you a line|send you an email|send you a text|send you a link}",
		"keep you {posted|updated|informed|in the loop}",
		"{next|the next step|after that|then|from there|once that's done|once done} {i'll|we'll|you'll|i will|we will|you will|it'll|they'll|i'm going to}",
		"next {step|steps} {is|are|will be}",
		"{once|as soon as} {that's|that is|this is|it's|it is|the|your|we|i|you|they|it|that|this|everything|payment|we've|i've|we|he's|she's}",
		"{usually|normally|typically|generally} {takes|take|arrives|arrive|processed|clears|clear|shows|show|decided|reviewed|resolved|within}",
		"{expect|expected|expecting} {a|an|the|it|to|your|delivery|them|parcels|this|that}",
		"{estimated|expected} {delivery|time|arrival|date}", "eta", "stays open until", "remains open until",
		"{you'll|you will} {receive|get} {a|an} {confirmation|email|text|sms|tracking|update|notification|call|message}",
		"tracking {number|link|details|info|information} {will|should}",
		"{i'll|we'll|i will|we will} *4 {today|tomorrow|tonight|this afternoon|this evening|this week|next week|by <day>|first thing}",
		"{should|will} {be}? {released|live|out|fixed} {on|by|in|within|next}")

	// reassure: the customer or their things are safe, or it will be fine.
	l.add(reassure, 0,
		"{don't|do not|no need to|there's no need to|there is no need to|not to|you don't need to|you do not need to|you don't have to|try not to|please don't} {worry|panic|stress|be alarmed|be concerned|fret}",
		"nothing to worry about", "{no|any} reason to {worry|panic|be concerned}",
		"{can't|don't} see any reason to {worry|panic|be concerned}",
		"rest assured", "{you're|you are} in {good|safe} hands", "{i|we} {promise|assure you|can assure you|guarantee}",
		"{your|the} {card|bank|payment|account|personal|login|contact|security|credit}? <asset> {is|are|will be|remains|remain|stays|stay|will stay|will remain|should be} {still}? {completely|totally|perfectly|100|fully|still|all|absolutely|now}? {safe|secure|protected|fine|ok|okay|intact|unaffected|untouched|active|valid|in good hands|correct|accurate|backed up|unchanged|safe and sound|not affected|not lost|still there|all there|there}",
		"<asset> {hasn't|has not|wasn't|was not|won't be|will not be|isn't|is not|haven't|have not|weren't|were not|aren't|are not} {been}? {lost|affected|charged|compromised|deleted|touched|accessed|cancelled|closed|harmed|gone|removed|changed|reset}",
		"{nothing|none of your *2|no data|no money|nothing's} {is|are|has been|was|were|will be|actually|has|have}? {lost|affected|deleted|gone|changed|been lost|been taken|touched|at risk|changes}",
		"{no|none of the} money {actually}? {left|has left|was taken|was lost|is lost}",
		"{you won't|you will not|you wouldn't|you shouldn't|you don't|you do not|you will never|you'll never|you'll not} {be charged|lose|need to pay|have to pay|be billed|pay|be out of pocket|miss out|be penalized|be affected|owe|be left|be cut off|miss it|miss your|be without|have to worry|need to worry|be stuck|be stranded}",
		"{this|it|that} {won't|will not|shouldn't|should not} happen again",
		"{it|we|they|this|that} {won't|will not|can't|cannot} {charge|bill|debit|take money from} you",
		"{won't|will not|doesn't|does not|shouldn't|should not} {delete|erase|affect|remove|void|cancel|wipe|lose|change|reset|harm|hurt|impact} {your|any of your|any}",
		"{nobody|no one|no one else|nobody else|no further|no more|no other} {else}? {can|will|has|could|got|payments|charges|transactions} *2 {get in|access|log|logged|use|used|go through|be taken|be charged|accessed|been}",
		"{it's|it is|everything's|everything is|everything will be|it'll be|it will be|things will be|you'll be|you will be} {going to be}? {fine|ok|okay|alright|all right}",
		"{it'll be|it will be|everything will be|things will be|everything'll be} sorted",
		"{it's|it is} {going to|gonna} be {ok|okay|fine|alright|all right}",
		"{we'll|we will} get {this|it|that|you|everything|something} *3 {sorted|fixed|resolved|sorted out|back|there|to you|in time}",
		"{you're|you are} {safe|covered|protected|in good hands|not alone|not going to lose}", "we've got you covered", "i've got you covered",
		"the good news is", "good news", "{this|it} is {fixable|easily fixed|easy to fix|an easy fix|a quick fix}", "{easily|quickly} {fixed|sorted|resolved}",
		"you did nothing wrong", "you {didn't|did not|haven't|have not} done anything wrong", "you {didn't|did not} do anything wrong",
		"{not|isn't|is not|wasn't|was not} your fault", "not yours",
		"{i'm|i am} not going anywhere", "{you'll|you will} keep your", "nothing {changes|will change}",
		"we will get you there", "we'll get you there", "{on|in} time for")
	l.veto(none, 0, moveList(blame), "{not|isn't|is not|wasn't|was not} your {fault|mistake|error}",
		"you {didn't|did not} do anything wrong")

	// thank: thanking the customer, sincerely.
	l.add(thank, 0,
		"thank you", "thanks", "thank u", "many thanks", "much appreciated",
		"{i|we} {really|truly|do|very much|greatly|genuinely|so}? appreciate {you|your|it|the|all|everything|this info|this information|having|hearing}", "{i'm|we're|i am} {so|very|really}? grateful", "cheers for")
	l.add(thank, optStart, "ta")
	l.add(thank, optEnd, "appreciate {it|that}")

	// close: wrapping up.
	l.add(closing, 0,
		"anything else", "any other questions", "anything more {i|we} can", "anything further",
		"is there something else", "{was|is} there {anything|something} {else|more}",
		"{is|was} that {everything|all} {for today|for now|i can help with|today}?",
		"have a {great|good|nice|lovely|wonderful|fantastic|brilliant|pleasant|safe|happy|restful|relaxing|great rest of your|good rest of your|lovely rest of your|super} {day|evening|weekend|one|night|afternoon|morning|week|rest|holiday|trip|time|flight|journey}",
		"enjoy {the|your} {rest|day|evening|weekend|new|trip|holiday|flight|meal|stay|headphones|order}",
		"all the best", "best wishes", "{kind|best|warm|warmest|many} regards", "regards",
		"bye", "goodbye", "good bye", "bye for now", "speak soon", "talk soon", "see you {soon|later|next time}", "until next time",
		"{glad|happy|pleased} {i|we} {could|were able to|managed to|have been able to} {help|sort|fix|get|resolve|assist}",
		"{glad|happy|pleased} {that's|that is|it's|it is|everything's|everything is|we got|we've got|we have got|that we got|we sorted} {that}? {sorted|fixed|resolved|working|sorted out}?",
		"{if|should} {anything else|you need anything|there's anything|there is anything|you have any other|you have any more|anything comes up|you need any more|you need anything else|you have any further}",
		"feel free to {reach out|contact|get in touch|come back|message|chat|ask|get back|reply}",
		"{don't|do not} hesitate to", "{i'll|we'll|i will|i'm going to} close {this|the} chat", "closing {this|the} chat",
		"{you're|you are} all set", "thanks for {choosing|being a|being with us}", "thank you for {choosing|being a|being with us}")
	l.add(closing, optEnd, "{glad|happy|pleased|always happy} to {help|have helped|assist}", "take care")
	l.veto(none, 0, moveList(ask), "let me know if {you need|there's|there is|you have|anything}")

	// hold: asking the customer to wait while the agent does something.
	l.add(hold, 0,
		"{give|allow|grant} me {a|one|just a|a few|a couple|two|a quick|a couple of|<num>|another} {moment|minute|second|sec|mo|minutes|seconds|moments|ticks|tick|jiffy}",
		"{one|just a|just one|wait a|hang on a|hold on a|1} {moment|minute|second|sec|mo|tick}",
		"{a|one} {moment|minute|sec|second} {please|while}",
		"bear with {me|us}", "hold on", "hang on", "hang tight", "please hold", "please wait", "wait a {moment|minute|sec|second}",
		"stay on the {line|chat}", "{i'll|i will} be {right}? back", "back in a {moment|minute|sec|second|jiffy}",
		"{i'm|i am} {just}? {checking|looking|pulling up|reviewing|investigating|going through|looking into|digging into|searching|reading|running|having a look|taking a look|double checking}",
		"{checking|looking} {now|that|this|on that|for you|into it|into this|into that}",
		"{won't|will not} be {long|a moment|a minute}",
		"{this|it} {might|may|will|could} take a {moment|minute|few minutes|couple of minutes|second}",
		"let me {just|quickly|briefly}? {see|check|look|find|pull|take a look|have a look|look into|investigate|review|double check|dig|find out|read|go through|open|bring up|search|see what|look up|have a quick look|run|confirm|verify|take a quick look|check on|check that|check this}",
		"{i'll|i will|i'm going to|let me} {just|quickly}? {check|look|look into|investigate|find out|see what|see if|see whether|see where|see why|see how|see about|take a look|have a look|dig|review|double check|check on|look up|pull up|run}",
		"while {i|we} {check|look|pull|review|investigate|confirm|find|dig|read|contact|ask|run|search|get|go|sort}",
		"{while|whilst} you {wait|look}")
	l.veto(none, 0, moveList(hold), "thanks for {waiting|holding|your patience|bearing with}", "thank you for {waiting|holding|your patience|bearing with}")

	// blame_customer: the problem is the customer's fault.
	l.macros["youdid"] = "{clicked|entered|typed|selected|pressed|put|used|ordered|chose|picked|gave|" +
		"provided|input|wrote|plugged|sent|bought|installed|connected|bought|booked|set|turned|" +
		"deleted|changed|forgot|ignored|missed|broke|dropped|damaged|caused|misread|misunderstood|" +
		"misused|opted|agreed|accepted|signed up|ticked|hit|chosen|given|submitted}"
	l.add(blame, 0,
		"you must have", "you must've", "{you might|you may|you probably|you likely|you might've|you may've} {have}? <youdid>",
		"{you should've|you should have|you ought to have} {<youdid>|read|checked|cancelled|canceled|called|contacted|told|updated|saved|kept|waited|looked|followed|paid|asked|known|noticed|confirmed|double checked|returned|done|taken|made|tried}",
		"{you shouldn't have|you should not have}",
		"{you|you've|you have} {probably|likely|clearly|obviously|just|already|evidently}? {didn't|did not|never|failed to|forgot to|neglected to|haven't|have not} {read|check|follow|update|enter|click|select|confirm|cancel|save|verify|activate|register|reply|respond|pay|notice|see|look|contact|tell|inform|mention|specify|choose|provide|include|attach|install|restart|opt|sign|press|turn|keep|charge|plug|fill|complete|return|check in|read|backup|back up|follow|use}",
		"{you|you've|you have} {probably|likely|clearly|just|already|really|obviously|accidentally}? <youdid> *4 {wrong|incorrect|incorrectly|wrongly|invalid|outdated|old|expired|except the right}",
		"you {just|probably|simply|clearly|obviously|really|must have|must've}? {forgot|ignored|missed|deleted|broke|dropped|damaged|caused|misread|misunderstood|misused|overlooked}",
		"you {went|go|exceeded|exceed} {over|past|beyond}",
		"you {agreed|accepted|consented|signed up|opted in|subscribed} {to|for}",
		"{your|your own} {fault|mistake|error|responsibility|doing}",
		"{user|operator|customer} {error|damage|fault|mistake}",
		"{the|this} {problem|issue|fault|error} is {on|at|with} your {end|side}",
		"{if you had|if you'd|had you|if you'd have} {read|checked|followed|updated|entered|clicked|looked|paid|cancelled|contacted|called|told|confirmed|waited|listened|installed|restarted|saved|backed up|kept|used|done|ordered|chosen|selected|not|been|just}",
		"{clearly|plainly|explicitly} {says|said|states|stated|explains|shows|mentions}",
		"{because|since|that's because|it's because} you {didn't|did not|weren't|were not|never|forgot|entered|typed|pressed|clicked|ran|used|chose|gave|deleted|put|ordered|selected|ignored|missed|went|turned|changed|set|signed|bought|installed|dropped|opened|agreed}",
		"when you {didn't|did not|weren't|were not|never|forgot|failed}",
		"{when|if|because} {nobody|no one} {answers|answered|was}",
		"{authorised|authorized|approved|made|placed|requested|done|initiated|confirmed|caused|entered|selected|chosen} by you",
		"{are|is} on you", "{that's|it's} on you",
		"{you|you've|you have} {deleted|removed|turned on|turned off|disabled|canceled|changed|set} *3 yourself",
		"{wrong|incorrect|old|previous|outdated} {size|address|card|email|details|number|option|item|password|port|plan} {was|were} {selected|entered|chosen|typed|used|given|provided|picked}",
		"{to|with|using|at} your {old|previous|former|outdated|expired} {address|card|email|details|number}",
		"{looks like|seems|appears} {it|they} {was|were|had been} {dropped|damaged|misused|opened|tampered}",
		"{won't|doesn't|will not|does not|can't} work if {you|it's not|it isn't|you don't|it is not}",
		"that's what happens when you", "next time {check|read|make sure|try|be|please|double check|pay attention|remember}",
		"you need to {read|learn|pay attention|be more careful|check more carefully|keep track}",
		"you should {keep track|read|pay attention|be more careful|know|have known}",
		"{you're|you are} {using|doing} it wrong", "you {used|set|installed|plugged} it {wrong|incorrectly|in wrong}")

	// dismiss: minimising the problem or the feeling. What it minimises is not explained.
	l.veto(dismiss, 0, moveList(explain, reassure),
		"calm down", "relax", "chill", "chill out", "settle down", "take a {deep}? breath", "calm yourself",
		"{not|isn't|is not|no} {a|that|such a|that much of a|that big of a|really a}? big deal",
		"bigger deal than", "not {that|so} {serious|bad|important|urgent|big|much|expensive}",
		"not the end of the world", "{not|isn't|is not|hardly} an emergency",
		"{it's|this is|that's|it is|that is|it was|they're} {only|just|merely|simply} {<num>|a few|a couple|a little|a small|a minor|a tiny|one|a bit|minor|small|little|some|money|pennies|cents|a delay|a scratch|a dent|cosmetic|a cosmetic|a day|a week|a short|a pending|been|a couple of|a one off|the one|an hour}",
		"{it's|this is|that's|it is|that is} {a}? {tiny|minor|little|small|trivial|cosmetic} {thing|issue|problem|glitch|charge|fee|delay|inconvenience|scratch|bug|ui glitch|detail|amount|difference}",
		"{a|just a|only a} {tiny|minor|little|small|trivial|cosmetic} {scratch|dent|delay|inconvenience|issue|glitch|charge|fee|thing|mark}",
		"{you're|you are|you seem to be|you're being|stop|you might be|you're just} {overreact*|over react*|being dramatic|dramatic|exaggerat*|making a fuss|making a big deal|blowing this|too sensitive|upset over nothing|paranoid|being silly|a bit much}",
		"overreact*", "over react*", "{be|being|so} dramatic", "making this into", "out of proportion",
		"happens {all the time|on most|to everyone|every day|a lot}", "all the time",
		"could be worse", "get over it", "{you'll|you will} {live|survive}",
		"no need to {get|be} {so}? {upset|angry|worked up|emotional|rude|dramatic|like that|angry|excited|annoyed|cross|mad}",
		"{there's|there is} no need {for that|to shout|to be rude|to get|to be so}",
		"nothing to get {worked up|upset|angry|excited|annoyed|mad|stressed} about",
		"{isn't|is not|not} worth {all this|the|getting|such a|this|any} *2 {fuss|upset|stress|drama|trouble|worry|complaint}",
		"worth getting {upset|angry|worked up|annoyed|stressed}", "{all this|such a|this much|so much|a} fuss",
		"i {wouldn't|would not|don't|do not} worry about it", "{don't|do not} see why it's {such|a|an}",
		"{doesn't|does not|won't|will not} {affect|change|matter} {how it works|performance|the performance|functionality|anything|much}",
		"{doesn't|does not} {really}? matter", "nothing wrong with",
		"{that|the} {noise|sound|mark|scratch|delay|charge|fee} is nothing",
		"everyone {has|gets|deals with|experiences} {that|this|it}",
		"{lots of|many|most|other|plenty of} {customers|people|users} *5 {longer|worse|more|than you|fine|manage}",
		"{just|only} {wait|be patient}", "be patient", "it is what it is")
	l.add(dismiss, optEnd, "{is|that's|it's} nothing", "it happens", "that happens", "these things happen", "things happen", "stuff happens")

	// policy_wall: hiding behind rules instead of helping.
	l.add(policy, 0,
		"{it's|that's|this is|it is|that is|this is just|it's just|that's just} {our|the|company|store|standard|a}? {policy|rule|rules|procedure}",
		"{against|outside|violates|breaks|break} {our|the|company|store|security}? *2 {policy|rules|procedure|terms|guidelines}",
		"{policy|policies|rules|terms|regulations|guidelines} {is|are} {the}? {policy|policies|rules|terms|regulations}",
		"{rules|policy|terms|contract|procedure} {don't|do not|doesn't|does not|won't} {allow|let|permit}",
		"{the|company|our|store} {policy|rules|terms|contract|procedure|system|bank} {says|say|states|doesn't allow|does not allow|don't allow|do not allow|won't allow|won't let|will not let|doesn't let|does not let|can't|cannot}",
		"{the|our|that} contract is the contract", "the computer says no", "those are the rules", "rules are rules",
		"{i'm|we're|i am|we are} {not|unable} {allowed|permitted|authorized|able to make exceptions}",
		"not {allowed|permitted|authorized} to", "aren't allowed", "{isn't|is not|aren't|are not} {allowed|permitted}",
		"{i|we} {can't|cannot|can not|don't|do not|won't} {make|do} {an|any}? exception*", "no exception*",
		"{there's|there is} nothing {more|else}? {i|we} {can|could} {do|say}", "nothing {more|else}? {i|we} can do",
		"{i can't|i cannot|we can't|we cannot|i'm unable to|i am unable to|we're unable to|we are unable to|i can not} do anything",
		"can't do anything {about|for|more|else|until}", "{isn't|aren't|is not|are not|not} something {i|we} can do anything about",
		"{the|our}? system {won't|will not|doesn't|does not|can't|cannot} {let|allow|permit}",
		"out of my hands", "my hands are tied", "i {don't|do not} make the rules", "{that's|it's} {just}? how {it is|it works|our system works|the system works|things are}",
		"{can't|cannot|unable to} override", "{above|beyond} my {pay grade|authority|level}",
		"i {don't|do not} have the {authority|power|permission|ability}", "not {in|within} my {power|control|remit}",
		"{per|under|according to} {our|the|company}? {policy|terms|terms and conditions|rules|guidelines|t|procedure}",
		"{as|like} per {the}? {policy|terms|rules}", "terms and conditions", "{it's|it is|that's} in the terms",
		"{we|i} {don't|do not|can't|cannot|won't} {offer|give|do|issue|provide|accept|allow} {refunds|exchanges|exceptions|returns|compensation|cancellations|credits|replacements}",
		"no refunds", "{non|not} refundable", "{isn't|is not|aren't|are not|not} {covered|refundable|eligible}",
		"{outside|past|beyond} the <num>? {day}? {return|refund|returns|cancellation|warranty|trial|<num>}? {window|period}",
		"{return|refund|returns|cancellation} {window|period} is",
		"{i'm|i am|we're|we are} only {allowed|able|permitted|authorized}",
		"{we|i} can only {issue|refund|offer|do|give|accept|process|provide|send|change}",
		"we have to follow {the|our}? {policy|rules|process|procedure}",
		"{can't|cannot} {let|allow} you", "{doesn't|does not|won't|will not|don't|do not} cover", "{can't|cannot} change the rules", "{doesn't|does not} allow {us|me}",
		"so that's that", "{our|the} policy {is|says|states}", "{you|customers} {cannot|can't} {return|refund|cancel|exchange} *2 {opened|used|sale|digital|software}",
		"{it|that} says so on", "{have|has} to be done by", "{the|our} {fare|ticket|booking|contract} rules",
		"{our|company} policy is to")
	l.add(policy, optEnd, "so no")
	// The same refusals are limits, not walls, when the agent goes on to help.
	l.veto(none, optLimit, nil,
		"{i can't|i cannot|we can't|we cannot|i can not|i'm unable to|i am unable to|we're unable to|we are unable to|i'm not able to|i am not able to|we're not able to|i won't be able to|we won't be able to|i'm not allowed to|i am not allowed to|i'm not authorized to} {<fixv>|approve|do|give|offer|remove|change|make}")

	// rude: curt, insulting, sarcastic or impatient.
	l.add(rude, 0,
		"whatever",
		"{not|isn't|is not|not really} {my|our} {problem|job|concern|department|responsibility}",
		"{as|like} {i|i've|i have} {already|just}? {said|told you|explained|stated|wrote}",
		"as i've {already}? {said|told you|explained}", "{i already|i've already|i have already} {told|explained|said}",
		"told you {already|before|twice|this}", "how many times", "for the {last|third|fourth|fifth|hundredth|millionth|nth|umpteenth|tenth} time",
		"{explained|told you|said} {this|that|it}? {<num>|several|multiple|many|so many} times",
		"good luck with that", "{are|were|did|do|can|have} you even", "did you {even}? read", "{can't|can} you not read", "can't you read",
		"learn to read", "pay attention", "duh", "ugh", "sigh", "what part of", "don't you understand",
		"i {don't|do not} have {time|all day} for this", "i {don't|do not} have all day", "deal with it",
		"{that's|that is|it's|it is} your problem", "figure it out", "google it", "rocket science", "any idiot",
		"stupid", "idiot*", "dumb", "moron", "ridiculous", "if you say so", "take it or leave it",
		"{go|shop|book|buy|take your business} {elsewhere|somewhere else|with someone else|from someone else}",
		"{not going to|won't|will not|i'm not going to|am not going to} repeat myself",
		"stop {wasting|messaging|asking|spamming|bothering|complaining|whining|yelling|nagging}",
		"shut up", "go away", "who cares", "nobody cares", "don't care", "do not care", "couldn't care less",
		"what {else}? {do|did} you {want|expect}", "what you expect me to do", "{happy|satisfied} now",
		"yeah right", "genius", "sweetie", "honey", "lol", "lmao", "smh", "jeez", "geez", "for god's sake",
		"omg", "wtf", "whatever you say", "not that it matters", "you people", "people like you",
		"{it's|it is|it isn't|it's not|isn't|is not|is it|not} {really}? that {hard|difficult|complicated}",
		"end of {story|discussion|conversation}", "with all due respect", "no offense", "no offence",
		"{are|were} you seriously", "{asking|ask} {me}? {that|the same question|the same thing} again",
		"the same question", "what did you expect", "complain about", "{track|check|find|look|figure|google|sort|do|work} {it|that} {out}? yourself",
		"like it says {in|on}", "like everyone else", "nobody's forcing you", "nobody is forcing you", "if you don't like",
		"i {don't|do not} control", "next time then", "literally", "have you tried reading", "i said",
		"that's what happens when", "with someone else next time", "you'll survive", "maybe next time")
	l.add(rude, optStart, "seriously",
		"{just}? read the {faq|faqs|manual|instructions|docs|documentation|guide|setup guide|terms|website|help page|help centre|help center}")
	l.add(rude, 0, "read {the|my|our|it|that} {email|message|messages|instructions|reply|answer|chat}? again")
	l.add(rude, optStart|optEnd, "k", "kk", "fine", "whatever", "if you insist", "look")
	// Sarcasm markers: sincere moves in the same message are mocked, not meant.
	l.add(rude, optSarcasm|optAlone|optNoNeg,
		"sure whatever", "oh {great|wonderful|joy|lovely|brilliant|perfect|fantastic|goody}", "thanks for nothing",
		"🙄", "😒", "🙃", "😑", "/s", "obviously", "yeah right", "good for you", "bless your heart", "big surprise",
		"what a surprise", "wow", "congratulations you", "i'm sure you {did|are|do|have|will}")
	l.add(rude, optSarcasm|optNoNeg,
		"{shouting|yelling|screaming|swearing|being rude} at me",
		"{so|very} helpful of you", "how {kind|nice|lovely|thoughtful} of you", "how nice")
	l.veto(none, 0, moveList(thank), "thanks for nothing", "thank you for nothing")
	l.veto(none, 0, moveList(closing), "anything else you want to complain about", "anything else {you|to} *2 complain")

	return l
}
