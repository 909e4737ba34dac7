package bench

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// noRaw is the ceiling of an index row when raw Bleve was not run.
const noRaw = "not run (`-raw=false`)"

func (s *Session) indexRows() []row {
	n := float64(s.opts.Events)
	own, raw := "BenchmarkIndex/dateline", "BenchmarkIndex/raw-default-mapping"
	idx := row{area: "indexing", what: fmt.Sprintf("%s generated events, `Apply` batches of ~1,000", num(n))}
	disk := row{area: "indexing", what: "disk per 1,000,000 events", target: "≤ 1.5 GiB"}
	perM := func(mib float64) float64 { return mib / 1024 * 1e6 / n }
	if v, ok := s.value("index", own, "events/s"); ok {
		merged, _ := s.value("index", own, "merged-events")
		heap, _ := s.value("index", own, "heap-MiB")
		idx.figure = fmt.Sprintf("**%s events/s** (%s merged events, heap %s MiB)", num(v), num(merged), num(heap))
		switch rv, ok := s.value("index", raw, "events/s"); {
		case ok:
			idx.ceiling, idx.ratio = num(rv)+" events/s (raw Bleve, default mapping, batches of 1,000)", ratio(v, rv)
		case !s.opts.Raw:
			idx.ceiling = noRaw
		default:
			idx.ceiling = s.absent("index")
		}
	} else {
		idx.figure = s.absent("index")
	}
	if mib, ok := s.value("index", own, "disk-MiB"); ok {
		g := perM(mib)
		disk.figure = fmt.Sprintf("**%.2f GiB** (%s MiB for %s)", g, num(mib), num(n))
		disk.met = s.sized(g <= 1.5)
		switch rmib, ok := s.value("index", raw, "disk-MiB"); {
		case ok:
			disk.ceiling, disk.ratio = fmt.Sprintf("%.2f GiB (raw Bleve, default mapping)", perM(rmib)), ratio(g, perM(rmib))
		case !s.opts.Raw:
			disk.ceiling = noRaw
		default:
			disk.ceiling = s.absent("index")
		}
	} else {
		disk.figure, disk.met = s.absent("index"), "not measured"
	}
	reindex := row{area: "indexing", what: "`dateline reindex` from EVENTS", figure: "not measured: no benchmark of it yet",
		target: "≥ 10,000 events/s", met: "not measured"}
	return []row{idx, disk, reindex}
}

func (s *Session) queryRows() []row {
	n := s.opts.Events
	sfx := "/n=" + strconv.Itoa(n)
	var rs []row
	for _, c := range []struct {
		what, name string
		limit      float64
	}{
		{"two words + one-year range, limit 20", "words+range", 50},
		{"the same with facets (type, actor, place, feed)", "words+range+facets", 150},
		{"the same sorted by date", "words+range+sort-date", 60},
	} {
		r := row{area: "search", what: c.what, target: fmt.Sprintf("p95 ≤ %g ms", c.limit)}
		own := "BenchmarkQuery/" + c.name + "/dateline" + sfx
		p95, ok := s.value("query", own, "p95-ms")
		if !ok {
			r.figure, r.met = s.absent("query"), "not measured"
			rs = append(rs, r)
			continue
		}
		r.figure = s.latency("query", own, true, "hits")
		r.met = s.sized(p95 <= c.limit)
		raw := "BenchmarkQuery/" + c.name + "/raw-bleve" + sfx
		switch rp95, ok := s.value("query", raw, "p95-ms"); {
		case ok:
			r.ceiling, r.ratio = s.latency("query", raw, false, "hits")+" (raw Bleve)", ratio(p95, rp95)
		case !s.opts.Raw:
			r.ceiling = noRaw
		default:
			r.ceiling = s.absent("query")
		}
		rs = append(rs, r)
	}

	tl := row{area: "search", what: "timeline of everything by month, uncached", target: "p95 ≤ 200 ms",
		ceiling: "none: raw Bleve has no span-overlap timeline"}
	all := "BenchmarkTimeline/all/month" + sfx
	if p95, ok := s.value("serve", all, "p95-ms"); ok {
		tl.figure = s.latency("serve", all, true, "events counted")
		if w, ok := s.value("serve", "BenchmarkTimeline/words/month"+sfx, "p95-ms"); ok {
			tl.figure += fmt.Sprintf("; two words p95 %s ms", num(w))
		}
		if c, ok := s.value("serve", "BenchmarkTimeline/all-cached/month"+sfx, "p95-ms"); ok {
			tl.figure += fmt.Sprintf("; cached p95 %s ms", num(c))
		}
		tl.met = s.sized(p95 <= 200)
	} else {
		tl.figure, tl.met = s.absent("serve"), "not measured"
	}
	rs = append(rs, tl)

	rs = append(rs, s.apiRows()...)
	rs = append(rs, s.memoryRow(), s.startupRow())
	return rs
}

// serverNote says why the rows of `dateline serve` have no figure.
func (s *Session) serverNote() string {
	if s.serverErr != nil {
		return "not measured: " + firstLine(s.serverErr.Error())
	}
	return "not measured"
}

func (s *Session) apiRows() []row {
	sr := s.server
	var rs []row
	for k, c := range []struct{ what, target string }{
		{"`GET /api/v1/events`: two words + one-year range, limit 20, through HTTP (the API adds facets and highlights)", "p95 ≤ 150 ms (the facets target)"},
		{"the same sorted by date (`sort=-date`)", ""},
	} {
		r := row{area: "search", what: c.what, ceiling: "none: raw Bleve has no HTTP API", target: c.target}
		if s.serverErr != nil || len(sr.latency[k]) == 0 {
			r.figure = s.serverNote()
			if c.target != "" {
				r.met = "not measured"
			}
			rs = append(rs, r)
			continue
		}
		p95 := percentile(sr.latency[k], 95)
		r.figure = fmt.Sprintf("**p95 %s ms** (p50 %s, %s hits; %d searches of `dateline serve`, one at a time)",
			num(ms(p95)), num(ms(percentile(sr.latency[k], 50))), num(float64(sr.hits[k])/float64(len(sr.latency[k]))), len(sr.latency[k]))
		if c.target != "" {
			r.met = s.sized(p95 <= 150*time.Millisecond)
		}
		rs = append(rs, r)
	}
	return rs
}

func (s *Session) memoryRow() row {
	n := s.opts.Events
	r := row{area: "search", what: "resident memory while serving these queries",
		target: "≤ 1 GiB at 1M, ≤ 2 GiB at 10M", ceiling: "none measured"}
	limit := float64(2 << 10)
	if n <= 1_000_000 {
		limit = 1 << 10
	}
	mib := func(b int64) float64 { return float64(b) / (1 << 20) }
	var bench string
	if sv := s.runs["serve"]; sv != nil && sv.err == nil && sv.mem.hwm > 0 {
		bench = fmt.Sprintf("the index benchmark's process serving the four kinds of query above: %s MiB peak", num(mib(sv.mem.hwm)))
	}
	if s.serverErr == nil && s.server.mem.hwm > 0 {
		r.figure = fmt.Sprintf("**%s MiB** peak (VmHWM) of `dateline serve`, embedded NATS included, after start-up and %d rounds of the two API searches and the timeline (VmRSS at most %s MiB)",
			num(mib(s.server.mem.hwm)), s.server.searches, num(mib(s.server.mem.peakRSS)))
		if bench != "" {
			r.figure += "; " + bench
		}
		r.met = s.sized(mib(s.server.mem.hwm) <= limit)
		return r
	}
	if bench != "" {
		hwm := mib(s.runs["serve"].mem.hwm)
		r.figure = fmt.Sprintf("**%s MiB** peak (VmHWM), %s; `dateline serve` %s", num(hwm), bench, s.serverNote())
		r.met = s.sized(hwm <= limit)
		return r
	}
	r.figure, r.met = s.absent("serve"), "not measured"
	return r
}

func (s *Session) startupRow() row {
	r := row{area: "search", what: "start-up to ready with the index on disk", target: "≤ 5 s"}
	var parts []string
	var worstReady time.Duration
	if s.serverErr == nil && s.server.ready > 0 {
		worstReady = s.server.ready
		parts = append(parts, fmt.Sprintf("**%s ms** `dateline serve` from exec to `/readyz` 200 (embedded NATS on an empty directory)", num(ms(s.server.ready))))
	}
	if s.startErr == nil && len(s.startup.own) > 0 {
		w := worst(s.startup.own)
		worstReady = max(worstReady, w)
		open := fmt.Sprintf("%s ms to open the index and answer a first search (worst of %d)", num(ms(w)), len(s.startup.own))
		if len(parts) == 0 {
			open = "**" + open + "**"
		}
		parts = append(parts, open)
		if len(s.startup.raw) > 0 {
			rw := worst(s.startup.raw)
			r.ceiling, r.ratio = fmt.Sprintf("%s ms (raw Bleve: open, first search; worst of %d)", num(ms(rw)), len(s.startup.raw)), ratio(ms(w), ms(rw))
		} else {
			r.ceiling = noRaw
		}
	}
	if len(parts) == 0 {
		r.figure, r.met = "not measured", "not measured"
		if s.startErr != nil {
			r.figure = "not measured: " + firstLine(s.startErr.Error())
		}
		return r
	}
	if s.serverErr != nil {
		parts = append(parts, "`dateline serve` "+s.serverNote())
	}
	r.figure = strings.Join(parts, "; ")
	r.met = s.sized(worstReady <= 5*time.Second)
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// latency formats a query benchmark's figures; bold marks Dateline's
// p95, counted names what its hits/op metric counts.
func (s *Session) latency(stepName, bench string, bold bool, counted string) string {
	p50, _ := s.value(stepName, bench, "p50-ms")
	p95, _ := s.value(stepName, bench, "p95-ms")
	cpu, _ := s.value(stepName, bench, "cpu-ms/op")
	hits, _ := s.value(stepName, bench, "hits/op")
	f := "p95 " + num(p95) + " ms"
	if bold {
		f = "**" + f + "**"
	}
	return fmt.Sprintf("%s (p50 %s, CPU %s ms/query, %s %s)", f, num(p50), num(cpu), num(hits), counted)
}
