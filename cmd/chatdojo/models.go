package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"chatdojo/grading"
	"chatdojo/ollama"
	"chatdojo/scenarios"
	"chatdojo/simulator"
)

// modelFlags are the flags of the commands that can use a model.
type modelFlags struct {
	ollama *string
	model  *string
}

func (e *env) addModelFlags(fl *flag.FlagSet) modelFlags {
	return modelFlags{
		ollama: fl.String("ollama", "", "the Ollama `URL`s for model and hybrid scenarios, comma-separated (default: $CHATDOJO_OLLAMA, else $OLLAMA_HOST)"),
		model:  fl.String("model", "", "the model `NAME` to use instead of the scenario's (default: $CHATDOJO_MODEL)"),
	}
}

// ollamaHosts is the Ollama hosts a command uses: --ollama, else CHATDOJO_OLLAMA (a
// list), else OLLAMA_HOST (one host, as Ollama's own tools read it); none when unset.
func (e *env) ollamaHosts(flagValue string) ([]string, error) {
	list := flagValue
	if list == "" {
		list = e.getenv("CHATDOJO_OLLAMA")
	}
	if list == "" {
		list = e.getenv("OLLAMA_HOST")
	}
	if list == "" {
		return nil, nil
	}
	hosts, err := ollama.ParseHosts(list)
	if err != nil {
		return nil, usageErrorf("%s", scenarios.ErrorMessage(err))
	}
	return hosts, nil
}

// customer is the customer that plays sc: a model customer for a model or hybrid
// scenario when Ollama hosts are configured, else the scripted one (with a warning for
// a model or hybrid scenario).
func (e *env) customer(sc *scenarios.Scenario, mf modelFlags, seed int64) (simulator.Customer, error) {
	if sc.Mode == scenarios.ModeScripted || sc.Mode == "" {
		return simulator.Scripted{}, nil
	}
	hosts, err := e.ollamaHosts(*mf.ollama)
	if err != nil {
		return nil, err
	}
	if len(hosts) == 0 {
		fmt.Fprintf(e.stderr, "warning: %s is a %s scenario but no Ollama host is set (--ollama, CHATDOJO_OLLAMA or OLLAMA_HOST): it plays scripted\n", sc.ID, sc.Mode)
		return simulator.Scripted{}, nil
	}
	c, err := ollama.New(ollama.Config{Hosts: hosts})
	if err != nil {
		return nil, err
	}
	model := *mf.model
	if model == "" {
		model = e.getenv("CHATDOJO_MODEL")
	}
	return &simulator.ModelCustomer{Writer: c, Model: model, Seed: seed}, nil
}

// ollamaJudge returns the model judge for --judge ollama:MODEL, or nil with a warning
// when no Ollama host is set or answers: the rule judge then grades alone.
func (e *env) ollamaJudge(ctx context.Context, flagValue, model string) (grading.Judge, error) {
	hosts, err := e.ollamaHosts(flagValue)
	if err != nil {
		return nil, err
	}
	if len(hosts) == 0 {
		fmt.Fprintf(e.stderr, "warning: --judge ollama:%s but no Ollama host is set (--ollama, CHATDOJO_OLLAMA or OLLAMA_HOST): grading with the rule judge alone\n", model)
		return nil, nil
	}
	c, err := ollama.New(ollama.Config{Hosts: hosts})
	if err != nil {
		return nil, err
	}
	if !c.Reachable(ctx) {
		fmt.Fprintf(e.stderr, "warning: no Ollama host answers (%s): grading with the rule judge alone\n", strings.Join(hosts, ", "))
		return nil, nil
	}
	return ollama.NewJudge(c, model), nil
}
