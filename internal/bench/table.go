package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// tenMillion is the corpus size issue 16's targets are set for.
const tenMillion = 10_000_000

// row is one line of the table.
type row struct {
	area, what      string
	figure, ceiling string
	ratio           string
	target, met     string
}

// value reads one metric of one benchmark of one step.
func (s *Session) value(stepName, bench, unit string) (float64, bool) {
	r, ok := s.runs[stepName]
	if !ok {
		return 0, false
	}
	res, ok := r.results[bench]
	if !ok {
		return 0, false
	}
	v, ok := res.Metrics[unit]
	return v, ok
}

// absent says why a step's figure is missing.
func (s *Session) absent(stepName string) string {
	if r, ok := s.runs[stepName]; ok && r.err != nil {
		return "not measured: the " + stepName + " step failed"
	}
	return "not measured: no result"
}

// num formats a figure with about three significant digits, thousands
// separated.
func num(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1000:
		s := strconv.FormatInt(int64(math.Round(v)), 10)
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		if neg {
			return "-" + b.String()
		}
		return b.String()
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// ratio is a ÷ b as "×0.42", empty when b is not positive.
func ratio(a, b float64) string {
	if b <= 0 {
		return ""
	}
	return "×" + strconv.FormatFloat(a/b, 'f', 2, 64)
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// sized qualifies whether a 10M target is met when the corpus is smaller.
func (s *Session) sized(ok bool) string {
	if s.opts.Events >= tenMillion {
		return yesNo(ok)
	}
	return yesNo(ok) + " at " + num(float64(s.opts.Events))
}

// rows is the whole table.
func (s *Session) rows() []row {
	var rs []row
	rs = append(rs, s.extractRows()...)
	rs = append(rs, s.pollRows()...)
	rs = append(rs, s.publishRows()...)
	rs = append(rs, s.indexRows()...)
	rs = append(rs, s.queryRows()...)
	rs = append(rs, s.endToEndRows()...)
	rs = append(rs, s.alertRows()...)
	return rs
}

func (s *Session) extractRows() []row {
	var rs []row
	for _, c := range []struct{ what, bench, regexp string }{
		{"wire story, 4.8 KB, one core", "BenchmarkExtract", "BenchmarkRegexpDates/story"},
		{"hard-wrapped letter, 14 KB, one core", "BenchmarkExtractWrapped", "BenchmarkRegexpDates/wrapped"},
	} {
		r := row{area: "extraction", what: c.what, target: "≥ 20 MB/s per core (issue 3)"}
		mb, ok := s.value("extract", c.bench, "MB/s")
		if !ok {
			r.figure, r.met = s.absent("extract"), "not measured"
			rs = append(rs, r)
			continue
		}
		ns, _ := s.value("extract", c.bench, "ns/op")
		allocs, _ := s.value("extract", c.bench, "allocs/op")
		r.figure = fmt.Sprintf("**%s MB/s** (%s µs, %s allocs per text)", num(mb), num(ns/1e3), num(allocs))
		r.met = yesNo(mb >= 20)
		if re, ok := s.value("extract", c.regexp, "MB/s"); ok {
			r.ceiling = num(re) + " MB/s (Go regexp date finder)"
			r.ratio = ratio(mb, re)
		} else {
			r.ceiling = s.absent("extract")
		}
		rs = append(rs, r)
	}
	return rs
}

func (s *Session) pollRows() []row {
	const p = "BenchmarkPoll304/"
	const na = "BenchmarkNewArticles/"
	gofeed, gofeedOK := s.value("poll", na+"gofeed.Parse", "items/s")
	cases := []struct {
		what, bench, unit, target string
		floor                     float64
		ceiling                   func() (float64, string, bool)
	}{
		{"5,000 feeds answering 304, one host, budget lifted, state in KV (`always`)", p + "hosts=1/budget=off/state=kv", "polls/s",
			"≥ 500 polls/s (issue 4)", 500, func() (float64, string, bool) {
				v, ok := s.value("poll", p+"hosts=1/budget=off/state=memory", "polls/s")
				return v, "polls/s (the same poller, state in memory)", ok
			}},
		{"5,000 feeds over 500 hosts, default per-host budget, state in KV", p + "hosts=500/budget=default/state=kv", "polls/s",
			"≥ 500 polls/s (issue 4)", 500, func() (float64, string, bool) {
				return 1000, "polls/s (the budget's own limit: 2 per host, 500 ms apart)", true
			}},
		{"new articles (50 feeds × 100 items): fetch, parse, convert, publish, `always`", na + "poller/jetstream/sync=always", "articles/s",
			"≥ 2,000 articles/s (issue 4)", 2000, func() (float64, string, bool) {
				return gofeed, "items/s (raw gofeed.Parse of the same bytes)", gofeedOK
			}},
		{"the same, server's default fsync", na + "poller/jetstream/sync=default", "articles/s",
			"", 0, func() (float64, string, bool) { return gofeed, "items/s (raw gofeed.Parse)", gofeedOK }},
		{"parse and convert only (no HTTP, no publishing)", na + "parse+convert", "articles/s",
			"", 0, func() (float64, string, bool) { return gofeed, "items/s (raw gofeed.Parse)", gofeedOK }},
	}
	var rs []row
	for _, c := range cases {
		r := row{area: "polling", what: c.what, target: c.target}
		v, ok := s.value("poll", c.bench, c.unit)
		if !ok {
			r.figure = s.absent("poll")
			if c.target != "" {
				r.met = "not measured"
			}
			rs = append(rs, r)
			continue
		}
		r.figure = "**" + num(v) + " " + c.unit + "**"
		if c.target != "" {
			r.met = yesNo(v >= c.floor)
		}
		if cv, label, ok := c.ceiling(); ok {
			r.ceiling, r.ratio = num(cv)+" "+label, ratio(v, cv)
		} else {
			r.ceiling = s.absent("poll")
		}
		rs = append(rs, r)
	}
	return rs
}

func (s *Session) publishRows() []row {
	cases := []struct{ what, bench, raw, rawLabel string }{
		{"`bus.Articles.Publish`, a new 3 KB article, `always`", "BenchmarkPublishArticle/sync=always/dateline",
			"BenchmarkPublishArticle/sync=always/raw-jetstream", "raw JetStream synchronous publish"},
		{"the same, server's default fsync", "BenchmarkPublishArticle/sync=default/dateline",
			"BenchmarkPublishArticle/sync=default/raw-jetstream", "raw JetStream synchronous publish"},
		{"`bus.Articles.Publish` from 16 goroutines, `always`", "BenchmarkPublishArticleParallel/sync=always",
			"BenchmarkRawAsyncPublish/sync=always", "raw JetStream async publish, acks awaited"},
		{"the same, server's default fsync", "BenchmarkPublishArticleParallel/sync=",
			"BenchmarkRawAsyncPublish/sync=default", "raw JetStream async publish, acks awaited"},
	}
	var rs []row
	for _, c := range cases {
		r := row{area: "publishing", what: c.what}
		ns, ok := s.value("publish", c.bench, "ns/op")
		if !ok || ns <= 0 {
			r.figure = s.absent("publish")
			rs = append(rs, r)
			continue
		}
		r.figure = fmt.Sprintf("**%s msg/s** (%s µs each)", num(1e9/ns), num(ns/1e3))
		if rns, ok := s.value("publish", c.raw, "ns/op"); ok && rns > 0 {
			r.ceiling = fmt.Sprintf("%s msg/s (%s)", num(1e9/rns), c.rawLabel)
			r.ratio = ratio(1e9/ns, 1e9/rns)
		} else {
			r.ceiling = s.absent("publish")
		}
		rs = append(rs, r)
	}
	return rs
}

func (s *Session) endToEndRows() []row {
	articles := 3000
	if s.opts.Quick {
		articles = 300
	}
	always := row{area: "end to end", what: fmt.Sprintf("one poll of a %s-item feed to searchable, `always`, empty index at start", num(float64(articles))),
		ceiling: "none: the slowest stage's ceilings are above", target: "≥ 2,000 articles/s with 1M events already indexed"}
	def := row{area: "end to end", what: "the same, server's default fsync"}
	if v, ok := s.value("ingest", "BenchmarkIngest/sync=always", "articles/s"); ok {
		first, _ := s.value("ingest", "BenchmarkIngest/sync=always", "ms-to-first-event")
		always.figure = fmt.Sprintf("**%s articles/s** (first event searchable after %s ms)", num(v), num(first))
		rel := "above"
		if v < 2000 {
			rel = "below"
		}
		always.met = "not measured as specified (empty index); " + rel + " 2,000 on an empty one"
	} else {
		always.figure, always.met = s.absent("ingest"), "not measured"
	}
	if v, ok := s.value("ingest", "BenchmarkIngest/sync=2m", "articles/s"); ok {
		first, _ := s.value("ingest", "BenchmarkIngest/sync=2m", "ms-to-first-event")
		def.figure = fmt.Sprintf("**%s articles/s** (first event searchable after %s ms)", num(v), num(first))
	} else {
		def.figure = s.absent("ingest")
	}
	steadyN := 2000
	if s.opts.Quick {
		steadyN = 300
	}
	steady := row{area: "end to end", what: fmt.Sprintf("poll to searchable at a steady 100 articles/s (%s articles on one feed polled every second, `always`)", num(float64(steadyN))),
		ceiling: "none", target: "median ≤ 1 s"}
	const sb = "BenchmarkSteadyIngest"
	if p50, ok := s.value("ingest", sb, "p50-ms"); ok {
		p95, _ := s.value("ingest", sb, "p95-ms")
		mx, _ := s.value("ingest", sb, "max-ms")
		rate, _ := s.value("ingest", sb, "articles/s")
		steady.figure = fmt.Sprintf("**p50 %s ms** (p95 %s, max %s; %s articles/s over the run)", num(p50), num(p95), num(mx), num(rate))
		steady.met = yesNo(p50 <= 1000)
	} else {
		steady.figure, steady.met = s.absent("ingest"), "not measured"
	}
	return []row{always, def, steady}
}

func (s *Session) alertRows() []row {
	r := row{area: "alerts", what: "event set on EVENTS to signed webhook POST, 100 matching events/s",
		ceiling: "none", target: "p99 < 2 s (issue 6)"}
	p99, ok := s.value("alert", "BenchmarkAlertLatency", "p99-ms")
	if !ok {
		r.figure, r.met = s.absent("alert"), "not measured"
		return []row{r}
	}
	p50, _ := s.value("alert", "BenchmarkAlertLatency", "p50-ms")
	mx, _ := s.value("alert", "BenchmarkAlertLatency", "max-ms")
	r.figure = fmt.Sprintf("**p99 %s ms** (p50 %s, max %s)", num(p99), num(p50), num(mx))
	r.met = yesNo(p99 < 2000)
	return []row{r}
}
