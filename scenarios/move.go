package scenarios

// Move is one thing an agent does in a message, named by the public vocabulary of
// PRODUCT.md. Scenario files, reports and the API use these names; more may be added,
// none renamed.
type Move string

// The agent moves. The order of this list is the order in which moves are reported.
const (
	MoveGreet              Move = "greet"
	MoveAcknowledgeEmotion Move = "acknowledge_emotion"
	MoveApologize          Move = "apologize"
	MoveEmpathize          Move = "empathize"
	MoveAskQuestion        Move = "ask_question"
	MoveVerifyIdentity     Move = "verify_identity"
	MoveTakeOwnership      Move = "take_ownership"
	MoveEscalate           Move = "escalate"
	MoveExplain            Move = "explain"
	MoveOfferSolution      Move = "offer_solution"
	MoveSetExpectation     Move = "set_expectation"
	MoveReassure           Move = "reassure"
	MoveThank              Move = "thank"
	MoveClose              Move = "close"
	MoveHold               Move = "hold"
	MoveBlameCustomer      Move = "blame_customer"
	MoveDismiss            Move = "dismiss"
	MovePolicyWall         Move = "policy_wall"
	MoveRude               Move = "rude"
	MoveShouting           Move = "shouting"
)

// AllMoves lists every move in reporting order.
var AllMoves = []Move{
	MoveGreet, MoveAcknowledgeEmotion, MoveApologize, MoveEmpathize, MoveAskQuestion,
	MoveVerifyIdentity, MoveTakeOwnership, MoveEscalate, MoveExplain, MoveOfferSolution,
	MoveSetExpectation, MoveReassure, MoveThank, MoveClose, MoveHold, MoveBlameCustomer,
	MoveDismiss, MovePolicyWall, MoveRude, MoveShouting,
}

// Valid reports whether m is a move of the vocabulary.
func (m Move) Valid() bool {
	return m.Rank() >= 0
}

// Rank is the position of m in AllMoves, or -1 for an unknown move. Sorting by rank
// gives the reporting order.
func (m Move) Rank() int {
	// A switch, not a search of AllMoves: the simulator and the grader ask on every
	// message. TestRankMatchesAllMoves keeps the two in step.
	switch m {
	case MoveGreet:
		return 0
	case MoveAcknowledgeEmotion:
		return 1
	case MoveApologize:
		return 2
	case MoveEmpathize:
		return 3
	case MoveAskQuestion:
		return 4
	case MoveVerifyIdentity:
		return 5
	case MoveTakeOwnership:
		return 6
	case MoveEscalate:
		return 7
	case MoveExplain:
		return 8
	case MoveOfferSolution:
		return 9
	case MoveSetExpectation:
		return 10
	case MoveReassure:
		return 11
	case MoveThank:
		return 12
	case MoveClose:
		return 13
	case MoveHold:
		return 14
	case MoveBlameCustomer:
		return 15
	case MoveDismiss:
		return 16
	case MovePolicyWall:
		return 17
	case MoveRude:
		return 18
	case MoveShouting:
		return 19
	}
	return -1
}

// Negative reports whether m is a move that hurts the conversation (blaming,
// dismissing, hiding behind policy, rudeness, shouting).
func (m Move) Negative() bool {
	switch m {
	case MoveBlameCustomer, MoveDismiss, MovePolicyWall, MoveRude, MoveShouting:
		return true
	}
	return false
}
