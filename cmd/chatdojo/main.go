// Command chatdojo is the one binary of chatdojo: it lints and simulates scenarios and
// lets a person practise one in the terminal. See `chatdojo --help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"chatdojo/scenarios"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitError carries the exit status a command wants: 1 when the input had problems it
// reported, 2 when the arguments or input could not be used at all.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is an error in the arguments: exit status 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// reported means the problems were already printed: exit status code, no more output.
func reported(code int) error {
	return &exitError{code: code}
}

// exitCode prints err (unless it was already reported) and returns the exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "chatdojo: %v\n", ee.err)
		}
		return ee.code
	}
	if errors.Is(err, context.Canceled) {
		return 130
	}
	fmt.Fprintf(stderr, "chatdojo: %s\n", errorText(err))
	if scenarios.ErrorCode(err) == scenarios.EINVALID {
		return 2
	}
	return 1
}

// errorText is what a person is shown for err: the domain message when there is one.
func errorText(err error) string {
	if scenarios.ErrorCode(err) == scenarios.EINTERNAL {
		return err.Error()
	}
	return scenarios.ErrorMessage(err)
}

const usage = `chatdojo — practise customer-support chats on simulated customers.

Usage:
  chatdojo <command> [flags]

Commands:
  practice   play a scenario in the terminal, in real time
  simulate   play an agent script against a scenario and print the transcript
  lint       check scenario files and report every problem with its line
  grade      grade conversations (JSON Lines) on empathy, de-escalation, timing, resolution
  report     build a readiness report (Markdown, HTML or JSON) from graded sessions
  serve      run the web app and the JSON API
  migrate    create or update the database
  user add   create a user and print a one-time sign-in link
  token create  make an API token for a user
  doctor     check the database, the Ollama hosts and the models, and say how to fix what is missing

Run "chatdojo <command> --help" for a command's flags.
`

// env is what a command gets from the outside world; tests replace its parts.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	// typing scales the customer's typing delay in practice; 0 turns it off.
	typing float64
	sleep  func(ctx context.Context, d time.Duration) error
}

// run is the whole program, so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now, typing: 1, sleep: sleepCtx}
	return e.run(ctx, args)
}

func (e *env) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return reported(2)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "-h", "--help", "-help", "help":
		fmt.Fprint(e.stdout, usage)
		return nil
	case "lint":
		return e.lint(ctx, rest)
	case "simulate":
		return e.simulate(ctx, rest)
	case "practice":
		return e.practice(ctx, rest)
	case "grade":
		return e.grade(ctx, rest)
	case "report":
		return e.report(ctx, rest)
	case "serve":
		return e.serve(ctx, rest)
	case "migrate":
		return e.migrate(ctx, rest)
	case "user":
		return e.user(ctx, rest)
	case "token":
		return e.token(ctx, rest)
	case "doctor":
		return e.doctor(ctx, rest)
	}
	fmt.Fprint(e.stderr, usage)
	return usageErrorf("unknown command %q", cmd)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// flagUsage writes a command's help: its synopsis and its flags.
func flagUsage(w io.Writer, synopsis string, fs interface{ PrintDefaults() }) {
	fmt.Fprintln(w, strings.TrimSpace(synopsis))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
	fs.PrintDefaults()
}
