package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/ollama"
	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/simulator"
	"chatdojo/store"
	"chatdojo/web"
)

const serveUsage = `
Usage: chatdojo serve [--addr HOST:PORT] [--db DB] [--base-url URL] [--admin-email E] [--ollama URL,…] [--model NAME]

Runs the web app and the JSON API. DB is a SQLite file (default ./chatdojo.db, created
and migrated when missing) or a postgres:// URL; DATABASE_URL is read when --db is not
given. Several instances may share one PostgreSQL database behind a load balancer. The
first start creates an admin and prints a one-time sign-in link. SIGTERM or Ctrl-C
shuts down gracefully. With Ollama hosts (--ollama, CHATDOJO_OLLAMA or OLLAMA_HOST) a
model writes the customer's words in model and hybrid scenarios; without, they play
their scripted lines.
`

// dbFlag adds --db to a command's flags.
func (e *env) dbFlag(fl *flag.FlagSet) *string {
	return fl.String("db", "", "the database: a SQLite file `path` or a postgres:// URL (default: $DATABASE_URL, else ./chatdojo.db)")
}

// database is the database a command uses: --db, else DATABASE_URL, else
// ./chatdojo.db.
func (e *env) database(flagDB string) string {
	if flagDB != "" {
		return flagDB
	}
	if db := e.getenv("DATABASE_URL"); db != "" {
		return db
	}
	return "chatdojo.db"
}

// openStore opens and migrates the database a command names.
func (e *env) openStore(ctx context.Context, db string) (*store.Store, error) {
	st, err := store.Open(ctx, e.database(db))
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func (e *env) serve(ctx context.Context, args []string) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "the `HOST:PORT` to listen on (port 0 picks a free one)")
	db := e.dbFlag(fl)
	baseURL := fl.String("base-url", "", "the `URL` users reach the app at, for links (default: http://ADDR)")
	adminEmail := fl.String("admin-email", "admin@localhost", "the `email` of the admin created on the first start")
	typing := fl.Float64("typing", 1, "scale of the customer's typing delay on the chat page (0 turns it off)")
	verbose := fl.Bool("v", false, "log every request")
	mf := e.addModelFlags(fl)
	fl.Usage = func() { flagUsage(e.stderr, serveUsage, fl) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	if fl.NArg() > 0 {
		return usageErrorf("serve takes no arguments, got %q", fl.Args())
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))

	st, err := e.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()

	cat, err := library.Load()
	if err != nil {
		return fmt.Errorf("load the built-in library: %w", err)
	}
	sources := map[string][]byte{}
	for _, sc := range cat.All() {
		src, err := fs.ReadFile(library.FS(), sc.File)
		if err != nil {
			return fmt.Errorf("read library file %s: %w", sc.File, err)
		}
		sources[sc.ID] = src
	}
	cls := moves.New()
	hosts, err := e.ollamaHosts(*mf.ollama)
	if err != nil {
		return err
	}
	var customer func(sc *scenarios.Scenario, seed int64) simulator.Customer
	var models func(ctx context.Context) bool
	if len(hosts) > 0 {
		oc, err := ollama.New(ollama.Config{Hosts: hosts})
		if err != nil {
			return err
		}
		model := *mf.model
		if model == "" {
			model = e.getenv("CHATDOJO_MODEL")
		}
		customer = func(sc *scenarios.Scenario, seed int64) simulator.Customer {
			return &simulator.ModelCustomer{Writer: oc, Model: model, Seed: seed}
		}
		models = oc.Reachable
		log.Info("model-driven customers through Ollama", "hosts", strings.Join(hosts, ","), "reachable", oc.Reachable(ctx))
	} else {
		log.Info("no Ollama host set (--ollama, CHATDOJO_OLLAMA or OLLAMA_HOST): model and hybrid scenarios play scripted")
	}
	practice, err := web.NewPractice(ctx, web.PracticeConfig{
		Store: st, Catalog: cat, Sources: sources, Classifier: cls, Log: log, Now: e.now, Customer: customer, Models: models,
		Grader: grading.New(cls, grading.Options{Lookup: func(id string) (*scenarios.Scenario, bool) {
			sc, err := cat.FindScenarioByID(id)
			return sc, err == nil
		}}),
	})
	if err != nil {
		return err
	}
	key, err := st.Secret(ctx, "csrf_key", func() string {
		b := make([]byte, 32)
		rand.Read(b)
		return hex.EncodeToString(b)
	})
	if err != nil {
		return err
	}
	csrfKey, err := hex.DecodeString(key)
	if err != nil || len(csrfKey) != 32 {
		return fmt.Errorf("the stored CSRF key is not 32 hex-encoded bytes")
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageErrorf("listen on %s: %v", *addr, err)
	}
	url := *baseURL
	if url == "" {
		url = "http://" + displayAddr(ln.Addr().String())
	}
	srv, err := web.New(web.Config{Store: st, Practice: practice, Log: log, Now: e.now, BaseURL: url, CSRFKey: csrfKey, Typing: *typing})
	if err != nil {
		return err
	}
	if n, err := st.CountUsers(ctx); err != nil {
		return err
	} else if n == 0 {
		_, link, err := web.CreateUser(ctx, st, *adminEmail, "Admin", web.RoleAdmin, url, e.now())
		if err != nil {
			return err
		}
		log.Info("first start: sign in as the admin with this one-time link", "email", *adminEmail, "link", link)
		fmt.Fprintf(e.stderr, "\n  Admin sign-in link (one time, valid 7 days):\n  %s\n\n", link)
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRun()
	go practice.Run(runCtx, time.Second)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("chatdojo listening", "url", url, "addr", ln.Addr().String(), "db", dbName(e.database(*db)))
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	stopRun()
	shCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.CloseStreams() // event streams never finish on their own
	if err := hs.Shutdown(shCtx); err != nil {
		hs.Close()
	}
	log.Info("stopped")
	return nil
}

// displayAddr makes a listen address into one a browser can open.
func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// dbName is the database for the log, without a password.
func dbName(db string) string {
	if store.IsPostgres(db) {
		if at := strings.LastIndexByte(db, '@'); at >= 0 {
			return "postgres://…" + db[at:]
		}
	}
	return db
}

const migrateUsage = `
Usage: chatdojo migrate [--db DB]

Creates the database when missing and applies the migrations not applied yet. serve
does the same on start.
`

func (e *env) migrate(ctx context.Context, args []string) error {
	fl := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	db := e.dbFlag(fl)
	fl.Usage = func() { flagUsage(e.stderr, migrateUsage, fl) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	st, err := store.Open(ctx, e.database(*db))
	if err != nil {
		return err
	}
	defer st.Close()
	names, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		fmt.Fprintln(e.stdout, "the database is up to date")
	}
	for _, n := range names {
		fmt.Fprintln(e.stdout, "applied", n)
	}
	return nil
}

const userUsage = `
Usage: chatdojo user add --email E [--name N] --role admin|trainer|trainee [--db DB] [--base-url URL]

Creates a user and prints a one-time sign-in link for them (valid 7 days) on the last
line of the output.
`

func (e *env) user(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(e.stdout, strings.TrimLeft(userUsage, "\n"))
			return nil
		}
		return usageErrorf("user: expected the subcommand add (chatdojo user add --email E --role ROLE)")
	}
	fl := flag.NewFlagSet("user add", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	email := fl.String("email", "", "the user's `email`")
	name := fl.String("name", "", "the user's `name`")
	role := fl.String("role", "trainee", "the `role`: admin, trainer or trainee")
	baseURL := fl.String("base-url", "http://127.0.0.1:8080", "the `URL` the app is reached at, for the link")
	db := e.dbFlag(fl)
	fl.Usage = func() { flagUsage(e.stderr, userUsage, fl) }
	if err := fl.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	if *email == "" {
		return usageErrorf("user add: --email is required")
	}
	st, err := e.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, link, err := web.CreateUser(ctx, st, *email, *name, web.Role(*role), *baseURL, e.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "created %s (%s); their one-time sign-in link:\n", u.Email, u.Role)
	fmt.Fprintln(e.stdout, link)
	return nil
}

const tokenUsage = `
Usage: chatdojo token create --email E [--name N] [--db DB]

Makes a new API token for a user and prints it alone on the last line. Only its hash is
kept: copy it now.
`

func (e *env) token(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(e.stdout, strings.TrimLeft(tokenUsage, "\n"))
			return nil
		}
		return usageErrorf("token: expected the subcommand create (chatdojo token create --email E)")
	}
	fl := flag.NewFlagSet("token create", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	email := fl.String("email", "", "the `email` of the user the token acts for")
	name := fl.String("name", "cli", "a `name` for the token")
	db := e.dbFlag(fl)
	fl.Usage = func() { flagUsage(e.stderr, tokenUsage, fl) }
	if err := fl.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	if *email == "" {
		return usageErrorf("token create: --email is required")
	}
	st, err := e.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.FindUserByEmail(ctx, *email)
	if err != nil {
		if scenarios.ErrorCode(err) == scenarios.ENOTFOUND {
			return scenarios.Errorf(scenarios.ENOTFOUND, "no user with the email %s (create one with chatdojo user add)", *email)
		}
		return err
	}
	tok, err := web.CreateToken(ctx, st, u, *name, e.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "API token for %s (shown once):\n", u.Email)
	fmt.Fprintln(e.stdout, tok)
	return nil
}
