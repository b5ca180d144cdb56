package main

import (
	"encoding/json"
	"strings"
	"testing"

	"chatdojo/internal/ollamatest"
	"chatdojo/scenarios"
)

// TestSimulateWithOllama plays a model scenario with --ollama against a real server
// and the generated model: the customer's messages come from the model, the script
// still resolves the session, and the JSON is valid grade input.
func TestSimulateWithOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	model := srv.CreateTinyModel(t, "chatdojo-tiny")
	out, errOut, code := runCmd(t, "", "simulate", "--scenario", "../../ollama/testdata/double-charge-model.md",
		"--agent", "../../scenarios/library/double-charge.good.txt", "--ollama", srv.URL, "--model", model, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var tr scenarios.Transcript
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.Outcome != scenarios.OutcomeResolved {
		t.Errorf("outcome %s, want resolved", tr.Outcome)
	}
	model_ := 0
	for _, m := range tr.Messages {
		if m.Role == scenarios.RoleCustomer && m.Source == scenarios.SourceModel {
			model_++
		}
	}
	if model_ == 0 {
		t.Errorf("no customer message came from the model:\n%s", out)
	}
	if _, _, code := runCmd(t, out+"\n", "grade", "-"); code != 0 {
		t.Errorf("grade of the simulated session: exit %d", code)
	}
}

// TestSimulateModelScenarioWithoutOllama: with no host set, a model scenario plays
// scripted and says so.
func TestSimulateModelScenarioWithoutOllama(t *testing.T) {
	out, errOut, code := runCmd(t, "", "simulate", "--scenario", "../../ollama/testdata/double-charge-model.md",
		"--agent", "../../scenarios/library/double-charge.good.txt", "--json")
	if code != 0 || !strings.Contains(errOut, "no Ollama host is set") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(out, `"source": "model"`) {
		t.Error("a message says it came from a model without one")
	}
}
