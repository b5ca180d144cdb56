package ollama

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ollama/ollama/api"

	"chatdojo/grading"
	"chatdojo/scenarios"
)

var _ grading.Judge = (*Judge)(nil)

// Judge rates agent turns with a model: the three empathy mechanisms and a
// de-escalation rating with a one-line reason, through Ollama's structured output (a
// JSON schema in the request's format, every string with a maxLength so that a reply
// cannot be cut off half-way). The grader falls back to its rules for a turn the model
// could not judge.
type Judge struct {
	c     *Client
	model string
}

// NewJudge returns a judge that asks model on the client's hosts.
func NewJudge(c *Client, model string) *Judge {
	return &Judge{c: c, model: model}
}

// Name is what a grade's judge field says: "ollama:MODEL".
func (j *Judge) Name() string { return "ollama:" + j.model }

// judgeSchema is the JSON schema of a judgement.
var judgeSchema = json.RawMessage(`{
  "type": "object",
  "properties": {
    "emotional_reaction": {"type": "integer", "minimum": 0, "maximum": 2},
    "interpretation": {"type": "integer", "minimum": 0, "maximum": 2},
    "exploration": {"type": "integer", "minimum": 0, "maximum": 2},
    "de_escalation": {"type": "integer", "minimum": 0, "maximum": 100},
    "reason": {"type": "string", "maxLength": 200}
  },
  "required": ["emotional_reaction", "interpretation", "exploration", "de_escalation", "reason"]
}`)

const judgeSystem = `You rate one reply of a customer-support agent to a customer, on the empathy mechanisms of Sharma et al. (EPITOME) and on de-escalation.
- emotional_reaction: 0 none; 1 a generic expression of warmth or sympathy ("sorry for the inconvenience"); 2 a specific reaction to what this customer feels.
- interpretation: 0 none; 1 a generic "I understand"; 2 shows understanding of this customer's particular situation.
- exploration: 0 none; 1 a generic question; 2 a question about the customer's own feelings or circumstances.
- de_escalation: 0 to 100, how much the reply calms the customer down (ownership, clear next steps, reassurance raise it; blame, dismissal, policy walls, sarcasm, shouting lower it).
- reason: one short sentence.
Answer with the JSON object only.`

// JudgeTurn rates one agent turn. Errors are EINTERNAL (no host answered, or an answer
// outside the schema); the grader then uses its rules for the turn.
func (j *Judge) JudgeTurn(ctx context.Context, turn grading.TurnContext) (grading.Judgement, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "The customer's mood before the reply: %d of 100 (0 furious, 100 delighted).\n", turn.CustomerMood)
	if turn.Customer != "" {
		fmt.Fprintf(&b, "Customer: %s\n", turn.Customer)
	}
	fmt.Fprintf(&b, "Agent: %s\n", turn.Agent)
	reply, err := j.c.chat(ctx, &api.ChatRequest{
		Model:    j.model,
		Messages: []api.Message{{Role: "system", Content: judgeSystem}, {Role: "user", Content: b.String()}},
		Format:   judgeSchema,
		Options:  map[string]any{"temperature": 0, "seed": 1, "num_predict": 160},
	})
	if err != nil {
		return grading.Judgement{}, scenarios.Errorf(scenarios.EINTERNAL, "judge %s: %v", j.Name(), err)
	}
	var v struct {
		EmotionalReaction *int   `json:"emotional_reaction"`
		Interpretation    *int   `json:"interpretation"`
		Exploration       *int   `json:"exploration"`
		DeEscalation      *int   `json:"de_escalation"`
		Reason            string `json:"reason"`
	}
	if err := json.Unmarshal([]byte(reply), &v); err != nil {
		return grading.Judgement{}, scenarios.Errorf(scenarios.EINVALID, "judge %s: the answer is not the JSON asked for: %v", j.Name(), err)
	}
	for _, x := range []struct {
		p   *int
		max int
	}{{v.EmotionalReaction, 2}, {v.Interpretation, 2}, {v.Exploration, 2}, {v.DeEscalation, 100}} {
		if x.p == nil || *x.p < 0 || *x.p > x.max {
			return grading.Judgement{}, scenarios.Errorf(scenarios.EINVALID, "judge %s: a rating is missing or out of range in %q", j.Name(), reply)
		}
	}
	return grading.Judgement{
		Mechanisms:   grading.Mechanisms{EmotionalReaction: *v.EmotionalReaction, Interpretation: *v.Interpretation, Exploration: *v.Exploration},
		DeEscalation: v.DeEscalation,
		Reason:       v.Reason,
	}, nil
}
