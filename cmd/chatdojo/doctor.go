package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"

	"chatdojo/ollama"
	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/store"
)

const doctorUsage = `
Usage: chatdojo doctor [--db DB] [--ollama URL,…] [--model NAME]

Checks what chatdojo needs and says how to fix what is missing: the database (it can be
opened, its migrations are applied), the Ollama hosts (each answers), and the models the
model and hybrid scenarios name (each host has them: "ollama pull MODEL"). Exit status 0
when everything is in place, 1 when something is missing.
`

func (e *env) doctor(ctx context.Context, args []string) error {
	fl := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	db := e.dbFlag(fl)
	mf := e.addModelFlags(fl)
	fl.Usage = func() { flagUsage(e.stderr, doctorUsage, fl) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	problems := 0
	ok := func(format string, args ...any) { fmt.Fprintf(e.stdout, "ok       "+format+"\n", args...) }
	missing := func(what, fix string) {
		problems++
		fmt.Fprintf(e.stdout, "MISSING  %s\n         fix: %s\n", what, fix)
	}

	// The database.
	dsn := e.database(*db)
	st, err := store.Open(ctx, dsn)
	if err != nil {
		missing(fmt.Sprintf("database %s: %s", dbName(dsn), scenarios.ErrorMessage(err)), "check --db / DATABASE_URL; for PostgreSQL check that the server runs and the URL's user, password and database exist")
	} else {
		names, err := st.Migrate(ctx)
		if err != nil {
			missing(fmt.Sprintf("database %s: migrations fail: %v", dbName(dsn), err), "run chatdojo migrate --db … and read its error")
		} else {
			ok("database %s (migrations up to date%s)", dbName(dsn), appliedNote(names))
		}
		st.Close()
	}

	// The models the scenarios need.
	cat, err := library.Load()
	if err != nil {
		return fmt.Errorf("load the built-in library: %w", err)
	}
	need := map[string][]string{} // model -> scenarios
	override := *mf.model
	if override == "" {
		override = e.getenv("CHATDOJO_MODEL")
	}
	for _, sc := range cat.All() {
		if (sc.Mode == scenarios.ModeModel || sc.Mode == scenarios.ModeHybrid) && sc.Model != nil {
			name := sc.Model.Name
			if override != "" {
				name = override
			}
			need[name] = append(need[name], sc.ID)
		}
	}
	hosts, err := e.ollamaHosts(*mf.ollama)
	if err != nil {
		return err
	}
	if len(hosts) == 0 {
		if len(need) > 0 {
			missing(fmt.Sprintf("no Ollama host is set: %d model and hybrid scenarios play their scripted lines", countScenarios(need)),
				"install Ollama (https://ollama.com), run ollama serve, and pass --ollama http://127.0.0.1:11434 (or set CHATDOJO_OLLAMA or OLLAMA_HOST)")
		}
	} else {
		c, err := ollama.New(ollama.Config{Hosts: hosts})
		if err != nil {
			return err
		}
		for _, s := range c.Check(ctx) {
			if s.Err != nil {
				missing(fmt.Sprintf("Ollama host %s does not answer: %v", s.URL, s.Err), "start it (ollama serve, with OLLAMA_HOST set to the address) or remove it from the list")
				continue
			}
			ok("Ollama host %s (version %s, %d models)", s.URL, s.Version, len(s.Models))
			models := slices.Sorted(maps.Keys(need))
			for _, m := range models {
				if hasModel(s.Models, m) {
					ok("  model %s on %s (for %s)", m, s.URL, strings.Join(need[m], ", "))
				} else {
					missing(fmt.Sprintf("model %s is not on %s (needed by %s)", m, s.URL, strings.Join(need[m], ", ")), "OLLAMA_HOST="+strings.TrimPrefix(s.URL, "http://")+" ollama pull "+m)
				}
			}
		}
	}
	if problems > 0 {
		fmt.Fprintf(e.stdout, "%d problem(s) found\n", problems)
		return reported(1)
	}
	fmt.Fprintln(e.stdout, "everything chatdojo needs is in place")
	return nil
}

func appliedNote(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("; applied %d now", len(names))
}

func countScenarios(need map[string][]string) int {
	n := 0
	for _, ids := range need {
		n += len(ids)
	}
	return n
}

// hasModel reports whether a host's model list has name; "llama3.2" means
// "llama3.2:latest".
func hasModel(models []string, name string) bool {
	if !strings.Contains(name, ":") {
		name += ":latest"
	}
	return slices.Contains(models, name)
}
