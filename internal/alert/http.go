package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/dateline/dateline/internal/rules"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/httperr"
)

// HandlerOptions configures NewHandler.
type HandlerOptions struct {
	// Logger receives one line per failed request; nil discards.
	Logger *slog.Logger
	// MaxBodyBytes caps request bodies (default 64 KiB).
	MaxBodyBytes int64
	// Env looks up TELEGRAM_BOT_TOKEN when validating (default os.LookupEnv).
	Env func(string) (string, bool)
	// Types are the event types a rule may name: those of the rules in use
	// (nil: the built-in rules').
	Types rules.Catalog
	// Replicas is the replica count of the buckets (default 1).
	Replicas int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Test configures the sample sends of POST /api/v1/alerts/{name}/test
	// (public URL, private networks, Telegram API); its Env defaults to Env.
	Test Options
}

// Handler serves the alert admin API. Mount it for these patterns (the
// caller checks the admin token first):
//
//	GET    /api/v1/alerts                      every rule, secrets redacted
//	POST   /api/v1/alerts                      create or replace an API rule
//	GET    /api/v1/alerts/{name}               one rule
//	DELETE /api/v1/alerts/{name}               delete an API rule
//	GET    /api/v1/alerts/deliveries?status=failed|pending
//	POST   /api/v1/alerts/deliveries/{id}/replay
//	POST   /api/v1/alerts/{name}/test          send the sample message, one result per destination
//
// Errors are JSON {"error": "...", "param": "..."} (httperr.Write; param
// only when one is at fault). It needs no Alerter in
// the same process: rules and deliveries live in JetStream KV.
type Handler struct {
	st     *stores
	config map[string]Rule
	opts   HandlerOptions
	mux    *http.ServeMux
}

// NewHandler declares the buckets and returns the handler. rules are the
// config file's rules: listed, but neither replaced nor deleted by the API.
func NewHandler(ctx context.Context, js jetstream.JetStream, rules []config.Alert, opts HandlerOptions) (*Handler, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 64 << 10
	}
	if opts.Env == nil {
		opts.Env = os.LookupEnv
	}
	opts.Now = clock(opts.Now)
	if opts.Test.Env == nil {
		opts.Test.Env = opts.Env
	}
	st, err := openStores(ctx, js, opts.Replicas)
	if err != nil {
		return nil, err
	}
	h := &Handler{st: st, config: map[string]Rule{}, opts: opts, mux: http.NewServeMux()}
	for _, a := range rules {
		h.config[a.Name] = FromConfig(a)
	}
	h.mux.HandleFunc("GET /api/v1/alerts", h.wrap(h.list))
	h.mux.HandleFunc("POST /api/v1/alerts", h.wrap(h.save))
	h.mux.HandleFunc("GET /api/v1/alerts/{name}", h.wrap(h.get))
	h.mux.HandleFunc("DELETE /api/v1/alerts/{name}", h.wrap(h.remove))
	h.mux.HandleFunc("GET /api/v1/alerts/deliveries", h.wrap(h.deliveries))
	h.mux.HandleFunc("POST /api/v1/alerts/deliveries/{id}/replay", h.wrap(h.replay))
	h.mux.HandleFunc("POST /api/v1/alerts/{name}/test", h.wrap(h.test))
	return h, nil
}

// ServeHTTP routes a request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func herr(status int, param, format string, args ...any) error {
	return httperr.Errorf(status, param, format, args...)
}

// wrap serves f, writing its error with httperr.Write and logging the
// failures that are the server's fault.
func (h *Handler) wrap(f func(w http.ResponseWriter, r *http.Request) (int, any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status, body, err := f(w, r)
		if err != nil {
			if he := httperr.Write(w, err); he.Status >= 500 {
				h.opts.Logger.Error("alerts api", "method", r.Method, "path", r.URL.Path, "err", err)
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if body != nil {
			_ = json.NewEncoder(w).Encode(body)
		}
	}
}

// stored returns the API rules in the bucket.
func (h *Handler) stored(ctx context.Context) (map[string]Rule, error) {
	ks, err := keys(ctx, h.st.rules, ">")
	if err != nil {
		return nil, err
	}
	out := map[string]Rule{}
	for _, k := range ks {
		e, err := h.st.rules.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("get rule %s: %w", k, err)
		}
		var r Rule
		if err := json.Unmarshal(e.Value(), &r); err != nil {
			continue
		}
		r.Source = "api"
		out[r.Name] = r
	}
	return out, nil
}

func redactRule(r Rule) Rule {
	ds := make([]Destination, len(r.Destinations))
	for i, d := range r.Destinations {
		ds[i] = d.Redacted()
	}
	r.Destinations = ds
	return r
}

func (h *Handler) list(_ http.ResponseWriter, r *http.Request) (int, any, error) {
	api, err := h.stored(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := []Rule{}
	for _, m := range []map[string]Rule{h.config, api} {
		start := len(out)
		for name, rule := range m {
			if _, shadowed := h.config[name]; shadowed && rule.Source == "api" {
				continue
			}
			out = append(out, redactRule(rule))
		}
		sort.Slice(out[start:], func(i, j int) bool { return out[start+i].Name < out[start+j].Name })
	}
	return http.StatusOK, map[string]any{"alerts": out}, nil
}

func (h *Handler) find(ctx context.Context, name string) (Rule, bool, error) {
	if r, ok := h.config[name]; ok {
		return r, true, nil
	}
	e, err := h.st.rules.Get(ctx, ruleID(name))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Rule{}, false, nil
	}
	if err != nil {
		return Rule{}, false, fmt.Errorf("get rule %q: %w", name, err)
	}
	var r Rule
	if err := json.Unmarshal(e.Value(), &r); err != nil || r.Name != name {
		return Rule{}, false, nil
	}
	r.Source = "api"
	return r, true, nil
}

func (h *Handler) get(_ http.ResponseWriter, r *http.Request) (int, any, error) {
	rule, ok, err := h.find(r.Context(), r.PathValue("name"))
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, herr(http.StatusNotFound, "name", "no alert named %q", r.PathValue("name"))
	}
	return http.StatusOK, redactRule(rule), nil
}

func (h *Handler) save(w http.ResponseWriter, r *http.Request) (int, any, error) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	dec.DisallowUnknownFields()
	var rule Rule
	if err := dec.Decode(&rule); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return 0, nil, fmt.Errorf("read rule: %w", err)
		}
		return 0, nil, herr(http.StatusBadRequest, "", "invalid JSON body: %v", err)
	}
	rule.Source = ""
	if rule.Name == "deliveries" {
		return 0, nil, herr(http.StatusBadRequest, "name", `"deliveries" is reserved`)
	}
	if _, ok := h.config[rule.Name]; ok {
		return 0, nil, herr(http.StatusConflict, "name", "alert %q is defined in the config file; change it there", rule.Name)
	}
	old, exists, err := h.find(r.Context(), rule.Name)
	if err != nil {
		return 0, nil, err
	}
	if exists {
		keepSecrets(&rule, old)
	}
	if _, err := compile(rule, h.opts.Env, h.opts.Types); err != nil {
		param, msg := ruleProblems(err)
		return 0, nil, herr(http.StatusBadRequest, param, "%s", msg)
	}
	raw, err := json.Marshal(rule)
	if err != nil {
		return 0, nil, fmt.Errorf("encode rule: %w", err)
	}
	if _, err := h.st.rules.Put(r.Context(), ruleID(rule.Name), raw); err != nil {
		return 0, nil, fmt.Errorf("store rule %q: %w", rule.Name, err)
	}
	rule.Source = "api"
	status := http.StatusCreated
	if exists {
		status = http.StatusOK
	}
	return status, redactRule(rule), nil
}

// ruleProblems puts the problems compile found into one line, "field:
// problem; field: problem" (the rule is the one in the request), and
// names the first field at fault: the error's param.
func ruleProblems(err error) (param, msg string) {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		var re *RuleError
		if !errors.As(e, &re) {
			parts = append(parts, strings.ReplaceAll(e.Error(), "\n", "; "))
			continue
		}
		if param == "" {
			param = re.Field
		}
		parts = append(parts, re.Field+": "+re.Msg)
	}
	return param, strings.Join(parts, "; ")
}

// keepSecrets puts back the stored secrets a client sent redacted, as a
// GET returned them, so a read-modify-write keeps them.
func keepSecrets(rule *Rule, old Rule) {
	for i := range rule.Destinations {
		if i >= len(old.Destinations) {
			break
		}
		d, o := &rule.Destinations[i], old.Destinations[i]
		red := o.Redacted()
		if d.URL != "" && d.URL == red.URL {
			d.URL = o.URL
		}
		if d.Secret == redacted {
			d.Secret = o.Secret
		}
		if d.Token == redacted {
			d.Token = o.Token
		}
	}
}

func (h *Handler) remove(_ http.ResponseWriter, r *http.Request) (int, any, error) {
	name := r.PathValue("name")
	if _, ok := h.config[name]; ok {
		return 0, nil, herr(http.StatusConflict, "name", "alert %q is defined in the config file; remove it there", name)
	}
	_, ok, err := h.find(r.Context(), name)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, herr(http.StatusNotFound, "name", "no alert named %q", name)
	}
	if err := h.st.rules.Delete(r.Context(), ruleID(name)); err != nil {
		return 0, nil, fmt.Errorf("delete rule %q: %w", name, err)
	}
	return http.StatusNoContent, nil, nil
}

func (h *Handler) deliveries(_ http.ResponseWriter, r *http.Request) (int, any, error) {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = StatusFailed
	}
	if status != StatusFailed && status != StatusPending {
		return 0, nil, herr(http.StatusBadRequest, "status", "%q is not one of failed, pending", status)
	}
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return 0, nil, herr(http.StatusBadRequest, "limit", "%q is not a number from 1 to 1000", v)
		}
		limit = n
	}
	ks, err := keys(r.Context(), h.st.queue, status+".>")
	if err != nil {
		return 0, nil, err
	}
	out := []Delivery{}
	for _, k := range ks {
		d, _, err := h.st.getDelivery(r.Context(), strings.TrimPrefix(k, status+"."))
		if errors.Is(err, jetstream.ErrKeyNotFound) && status == StatusFailed {
			// The record expired (30 days): drop its marker. (A failed
			// marker is written after its record; a pending one before.)
			_ = deleteKey(r.Context(), h.st.queue, k)
			continue
		}
		if err != nil {
			continue // a pending delivery not yet written
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Updated.After(out[j].Updated) })
	if len(out) > limit {
		out = out[:limit]
	}
	return http.StatusOK, map[string]any{"deliveries": out}, nil
}

func (h *Handler) replay(_ http.ResponseWriter, r *http.Request) (int, any, error) {
	ctx, id := r.Context(), r.PathValue("id")
	d, rev, err := h.st.getDelivery(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil, herr(http.StatusNotFound, "id", "no delivery %q", id)
	}
	if err != nil {
		return 0, nil, err
	}
	_, ferr := h.st.queue.Get(ctx, failedKey(id))
	halfReplayed := d.Status == StatusPending && ferr == nil // an earlier replay stopped midway
	if d.Status != StatusFailed && !halfReplayed {
		return 0, nil, herr(http.StatusConflict, "id", "delivery %q is %s, not failed", id, d.Status)
	}
	// The record first, then its pending marker: a worker woken by the
	// marker must find the record pending.
	d.Status, d.Attempts, d.LastError, d.Owner, d.Lease, d.Updated = StatusPending, 0, "", "", time.Time{}, h.opts.Now().UTC()
	if _, err := h.st.updateDelivery(ctx, d, rev); err != nil {
		return 0, nil, herr(http.StatusConflict, "id", "delivery %q changed meanwhile; try again", id)
	}
	if err := deleteKey(ctx, h.st.queue, disabledKey(d.Destination)); err != nil {
		return 0, nil, err
	}
	if _, err := h.st.queue.Put(ctx, pendingKey(id), nil); err != nil {
		return 0, nil, fmt.Errorf("queue delivery %s: %w", id, err)
	}
	if err := deleteKey(ctx, h.st.queue, failedKey(id)); err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, d, nil
}

// TestReport is the answer of POST /api/v1/alerts/{name}/test.
type TestReport struct {
	// Alert is the rule's name; Source is "config" or "api".
	Alert  string `json:"alert"`
	Source string `json:"source"`
	// Results has one entry per destination, in the rule's order.
	Results []TestReportResult `json:"results"`
	// Failed counts the destinations that did not take the message.
	Failed int `json:"failed"`
}

// TestReportResult is one destination's outcome in a TestReport.
type TestReportResult struct {
	// Destination names it without secrets.
	Destination string `json:"destination"`
	// Status is the HTTP status, 0 when no response came.
	Status int `json:"status"`
	// Error is why it failed; empty when delivered. It holds no secrets.
	Error string `json:"error,omitempty"`
}

// test sends the sample message of one rule to each of its destinations,
// as dateline alerts test does, and reports each result. A send that
// fails is a result, not an error of the request.
func (h *Handler) test(_ http.ResponseWriter, r *http.Request) (int, any, error) {
	name := r.PathValue("name")
	rule, ok, err := h.find(r.Context(), name)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, herr(http.StatusNotFound, "name", "no alert named %q", name)
	}
	results, err := sendTest(r.Context(), rule, h.opts.Test)
	if err != nil {
		return 0, nil, herr(http.StatusUnprocessableEntity, "name", "alert %q: %v", name, err)
	}
	source := rule.Source
	if source == "" {
		source = "config"
	}
	rep := TestReport{Alert: name, Source: source, Results: make([]TestReportResult, len(results))}
	for i, res := range results {
		rep.Results[i] = TestReportResult{Destination: res.Destination, Status: res.Status}
		if res.Err != nil {
			rep.Results[i].Error = res.Err.Error()
			rep.Failed++
		}
	}
	return http.StatusOK, rep, nil
}
