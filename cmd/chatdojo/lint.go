package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"chatdojo/scenarios"
	"chatdojo/simulator"
)

const lintUsage = `
Usage: chatdojo lint FILE|DIR…

Checks scenario files (every .md file in a folder, README.md aside) and reports each
problem as file:line: field: what is wrong, what was expected. An agent script beside a
scenario (<name>.good.txt, <name>.poor.txt) is checked too. Warnings are printed but do
not fail. Exit status: 0 when there is no error, 1 when there is one, 2 when a path
cannot be read.
`

func (e *env) lint(ctx context.Context, args []string) error {
	fl := flag.NewFlagSet("lint", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	quiet := fl.Bool("quiet", false, "print errors only, not warnings")
	fl.Usage = func() { flagUsage(e.stderr, lintUsage, fl) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return usageErrorf("lint needs at least one file or folder")
	}
	var files []scenarios.File
	var scripts []string
	for _, arg := range fl.Args() {
		paths, err := scenarioPaths(arg)
		if err != nil {
			return usageErrorf("%v", err)
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				return usageErrorf("read %s: %v", p, err)
			}
			files = append(files, scenarios.File{Name: p, Data: b})
			base := strings.TrimSuffix(p, ".md")
			for _, kind := range []string{".good.txt", ".poor.txt"} {
				if _, err := os.Stat(base + kind); err == nil {
					scripts = append(scripts, base+kind)
				}
			}
		}
	}
	list, diags := scenarios.ParseAll(files)
	for _, p := range scripts {
		f, err := os.Open(p)
		if err != nil {
			return usageErrorf("read %s: %v", p, err)
		}
		lines, ds := simulator.ParseScript(p, f)
		f.Close()
		if len(lines) == 0 && len(ds) == 0 {
			ds = append(ds, scenarios.Diagnostic{File: p, Line: 1, Field: "agent", Message: "no messages, expected one agent message a line"})
		}
		diags = append(diags, ds...)
	}
	errs := 0
	for _, d := range diags {
		if d.Warning && *quiet {
			continue
		}
		if !d.Warning {
			errs++
		}
		fmt.Fprintln(e.stdout, d.String())
	}
	if errs > 0 {
		fmt.Fprintf(e.stderr, "%d error(s) in %d file(s)\n", errs, len(files)+len(scripts))
		return reported(1)
	}
	fmt.Fprintf(e.stderr, "%d scenario(s) OK\n", len(list))
	return nil
}

// scenarioPaths expands a file or folder argument into scenario file paths, sorted.
func scenarioPaths(arg string) ([]string, error) {
	st, err := os.Stat(arg)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", arg, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return []string{arg}, nil
	}
	var out []string
	err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && scenarios.IsScenarioFile(p) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", arg, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no scenario files (.md) in %s", arg)
	}
	sort.Strings(out)
	return out, nil
}
