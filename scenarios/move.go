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
	for i, v := range AllMoves {
		if v == m {
			return i
		}
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
