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

// TestGradeWithOllamaJudge grades a conversation with --judge ollama:MODEL against the
// real server and the generated model: the judge field names the model, and every
// turn still has its mechanisms and feedback.
func TestGradeWithOllamaJudge(t *testing.T) {
	srv := ollamatest.Start(t)
	model := srv.CreateTinyModel(t, "chatdojo-tiny")
	sim, errOut, code := runCmd(t, "", "simulate", "--scenario", "double-charge", "--agent", "../../scenarios/library/double-charge.good.txt", "--json")
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	out, errOut, code := runCmd(t, sim+"\n", "grade", "--judge", "ollama:"+model, "--ollama", srv.URL, "-")
	if code != 0 {
		t.Fatalf("grade: exit %d: %s", code, errOut)
	}
	var g struct {
		Judge string
		Turns []struct {
			Empathy  map[string]int
			Feedback string
		}
	}
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatal(err)
	}
	if g.Judge != "ollama:"+model {
		t.Errorf("judge %q, want ollama:%s", g.Judge, model)
	}
	if len(g.Turns) != 5 {
		t.Fatalf("%d turns, want 5", len(g.Turns))
	}
	for i, turn := range g.Turns {
		for _, k := range []string{"emotional_reaction", "interpretation", "exploration"} {
			if v, ok := turn.Empathy[k]; !ok || v < 0 || v > 2 {
				t.Errorf("turn %d: %s = %d (present %v), want 0..2", i, k, v, ok)
			}
		}
		if turn.Feedback == "" {
			t.Errorf("turn %d has no feedback", i)
		}
	}
}

// TestDoctor checks a database and a real Ollama server: the generated model is there
// when the scenarios are told to use it; a missing model and an unreachable host are
// each reported with their fix.
func TestDoctor(t *testing.T) {
	srv := ollamatest.Start(t)
	model := srv.CreateTinyModel(t, "chatdojo-tiny")
	db := t.TempDir() + "/d.db"
	out, errOut, code := runCmd(t, "", "doctor", "--db", db, "--ollama", srv.URL, "--model", model)
	if code != 0 || !strings.Contains(out, "everything chatdojo needs is in place") || !strings.Contains(out, "ok       database") {
		t.Errorf("all in place: exit %d, out:\n%s%s", code, out, errOut)
	}
	out, _, code = runCmd(t, "", "doctor", "--db", db, "--ollama", srv.URL+",http://127.0.0.1:1", "--model", "no-such-model:7b")
	if code != 1 || !strings.Contains(out, "ollama pull no-such-model:7b") || !strings.Contains(out, "127.0.0.1:1 does not answer") {
		t.Errorf("missing model and host: exit %d, out:\n%s", code, out)
	}
	out, _, code = runCmd(t, "", "doctor", "--db", db)
	if code != 1 || !strings.Contains(out, "no Ollama host is set") {
		t.Errorf("no host: exit %d, out:\n%s", code, out)
	}
}
