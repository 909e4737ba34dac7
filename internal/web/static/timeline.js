// timeline.js — the visual timeline: a histogram of event counts per
// interval above a date axis, and the loaded events as dots below it,
// grouped into numbered clusters where they crowd. Zoom (wheel, pinch,
// buttons, keys) runs from centuries to days; the histogram interval
// follows the zoom (year, month, week, day).
'use strict';

(function () {
  const { svg, DAY } = DL;
  const HIST = 104; // histogram height
  const AXIS = 26; // axis band below it
  const LANES = 98; // event marks (STACK rows) and spans
  const HEIGHT = HIST + AXIS + LANES;
  const MIN_SPAN = 10 * DAY;
  const MAX_SPAN = 400 * 365.25 * DAY;
  const CLUSTER_PX = 15; // marks closer than this share a column
  const STACK = 3; // marks a column stacks before it becomes a count
  const ROW_PX = 17; // between stacked marks

  // countWidth is the width of the pill that counts n events.
  function countWidth(n) {
    return 12 + 7 * String(n > 999 ? '999+' : n).length;
  }

  // intervalFor picks the histogram interval for a visible span.
  function intervalFor(span) {
    const days = span / DAY;
    if (days > 365 * 7) return 'year';
    if (days > 230) return 'month';
    if (days > 75) return 'week';
    return 'day';
  }

  // weekStart is the Monday starting ISO week w of year y.
  function weekStart(y, w) {
    const jan4 = Date.UTC(y, 0, 4);
    const dow = (new Date(jan4).getUTCDay() + 6) % 7;
    return jan4 - dow * DAY + (w - 1) * 7 * DAY;
  }

  // bucketRange turns a bucket key into its [start, end) in ms.
  function bucketRange(key) {
    const w = /^(\d{4})-W(\d{2})$/.exec(key);
    if (w) {
      const start = weekStart(+w[1], +w[2]);
      return { start, end: start + 7 * DAY };
    }
    return DL.parseDate(key);
  }

  // keyFor is the bucket key of an instant at an interval.
  function keyFor(ms, interval) {
    const day = DL.isoDay(ms);
    switch (interval) {
      case 'year': return day.slice(0, 4);
      case 'month': return day.slice(0, 7);
      case 'day': return day;
    }
    const dow = (new Date(ms).getUTCDay() + 6) % 7;
    const thursday = ms - dow * DAY + 3 * DAY;
    const y = new Date(thursday).getUTCFullYear();
    const week = 1 + Math.floor((thursday - weekStart(y, 1)) / (7 * DAY));
    return y + '-W' + String(week).padStart(2, '0');
  }

  // Tick units from fine to coarse: approximate length in days, and a
  // function giving the first tick at or before t and the next tick.
  const UNITS = [
    { days: 1, floor: (t) => t - (t % DAY), next: (t) => t + DAY, label: 'day' },
    { days: 7, floor: (t) => { const d = t - (t % DAY); return d - ((new Date(d).getUTCDay() + 6) % 7) * DAY; }, next: (t) => t + 7 * DAY, label: 'day' },
    ...[1, 3, 6].map((n) => ({ days: 30.44 * n, floor: monthFloor(n), next: monthNext(n), label: 'month' })),
    ...[1, 2, 5, 10, 25, 50, 100].map((n) => ({ days: 365.25 * n, floor: yearFloor(n), next: yearNext(n), label: 'year' })),
  ];
  function monthFloor(n) {
    return (t) => { const d = new Date(t); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % n), 1); };
  }
  function monthNext(n) {
    return (t) => { const d = new Date(t); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1); };
  }
  function yearFloor(n) {
    return (t) => { const y = new Date(t).getUTCFullYear(); return Date.UTC(y - (((y % n) + n) % n), 0, 1); };
  }
  function yearNext(n) {
    return (t) => Date.UTC(new Date(t).getUTCFullYear() + n, 0, 1);
  }

  function tickLabel(t, unit) {
    const d = new Date(t);
    if (unit.label === 'year') return String(d.getUTCFullYear());
    if (unit.label === 'month') return d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : DL.fmt.monthOnly.format(t);
    return d.getUTCDate() === 1 && d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : DL.fmt.dayMonth.format(t);
  }

  class Timeline {
    // root: the element to draw in. opts.onViewChange(view, interval) is
    // called (debounced) after the visible range changes;
    // opts.onSelect(id) when a single event is chosen.
    constructor(root, opts) {
      this.root = root;
      this.opts = opts;
      this.view = null;
      this.buckets = [];
      this.interval = 'year';
      this.events = new Map();
      this.fresh = new Set();
      this.selected = '';
      this.svg = svg('svg', {
        class: 'tl-svg', role: 'group', tabindex: '0',
        'aria-label': 'Timeline of events. Arrow keys pan, plus and minus zoom, 0 fits.',
        height: HEIGHT,
      });
      root.append(this.svg);
      this.notify = DL.debounce(() => {
        if (this.view) this.opts.onViewChange(this.view, this.intervalNow());
      }, 180);
      this.bind();
      if (window.ResizeObserver) new ResizeObserver(DL.debounce(() => this.render(), 60)).observe(root);
    }

    width() { return Math.max(260, this.root.clientWidth || 0); }
    x(ms) { return ((ms - this.view.start) / (this.view.end - this.view.start)) * this.width(); }
    at(px) { return this.view.start + (px / this.width()) * (this.view.end - this.view.start); }
    intervalNow() { return intervalFor(this.view.end - this.view.start); }

    // setView shows [start, end), clamped to sensible spans.
    setView(start, end, quiet) {
      let span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, end - start));
      const mid = (start + end) / 2;
      start = mid - span / 2;
      const lo = Date.UTC(1, 0, 1), hi = Date.UTC(9999, 0, 1);
      if (start < lo) start = lo;
      if (start + span > hi) start = hi - span;
      this.view = { start, end: start + span };
      this.render();
      if (!quiet) this.notify();
    }

    zoom(factor, centerMs) {
      if (!this.view) return;
      const c = centerMs ?? (this.view.start + this.view.end) / 2;
      const span = this.view.end - this.view.start;
      const next = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span * factor));
      const rel = (c - this.view.start) / span;
      this.setView(c - rel * next, c - rel * next + next);
    }

    pan(fraction) {
      if (!this.view) return;
      const d = (this.view.end - this.view.start) * fraction;
      this.setView(this.view.start + d, this.view.end + d);
    }

    // extent is the range covering every bucket and event, or null.
    extent() {
      let lo = Infinity, hi = -Infinity;
      for (const b of this.buckets) { lo = Math.min(lo, b.range.start); hi = Math.max(hi, b.range.end); }
      for (const ev of this.events.values()) {
        const s = DL.span(ev);
        if (s) { lo = Math.min(lo, s.start); hi = Math.max(hi, s.end); }
      }
      return lo < hi ? { start: lo, end: hi } : null;
    }

    // fit shows everything loaded, with a margin.
    fit(quiet) {
      const e = this.extent();
      if (!e) {
        const now = Date.now();
        this.setView(now - 5 * 365.25 * DAY, now + 90 * DAY, quiet);
        return;
      }
      const pad = Math.max((e.end - e.start) * 0.06, 15 * DAY);
      this.setView(e.start - pad, e.end + pad, quiet);
    }

    // setBuckets replaces the histogram.
    setBuckets(buckets, interval) {
      this.interval = interval;
      this.buckets = (buckets || []).map((b) => ({ ...b, range: bucketRange(b.key) })).filter((b) => b.range);
      this.render();
    }

    // setEvents replaces the dots with events.
    setEvents(events) {
      this.events = new Map(events.map((ev) => [ev.id, ev]));
      this.fresh.clear();
      this.render();
    }

    // addEvent adds or updates one event that arrived live, counting it in
    // the histogram when it is new.
    addEvent(ev) {
      const known = this.events.has(ev.id);
      this.events.set(ev.id, ev);
      this.fresh.add(ev.id);
      const s = DL.span(ev);
      if (s && !known) {
        const key = keyFor(s.start, this.interval);
        let b = this.buckets.find((x) => x.key === key);
        if (!b) {
          b = { key, count: 0, by_type: {}, range: bucketRange(key) };
          this.buckets.push(b);
          this.buckets.sort((p, q) => p.range.start - q.range.start);
        }
        b.count++;
        b.by_type = b.by_type || {};
        b.by_type[ev.type] = (b.by_type[ev.type] || 0) + 1;
      }
      this.render();
    }

    // removeEvent drops an event an analyst's correction took out of the
    // search on screen (the histogram is recounted on the next search).
    removeEvent(id) {
      if (this.events.delete(id)) {
        this.fresh.delete(id);
        this.render();
      }
    }

    select(id) {
      this.selected = id;
      this.render();
    }

    render() {
      if (!this.view) return;
      const w = this.width();
      this.svg.setAttribute('width', w);
      this.svg.setAttribute('viewBox', `0 0 ${w} ${HEIGHT}`);
      const layers = [this.drawGrid(w), this.drawHistogram(w), this.drawAxis(w), this.drawEvents(w)];
      this.svg.replaceChildren(...layers.filter(Boolean));
    }

    unit(w) {
      const pxPerDay = w / ((this.view.end - this.view.start) / DAY);
      return UNITS.find((u) => u.days * pxPerDay >= 72) || UNITS[UNITS.length - 1];
    }

    ticks(w) {
      const unit = this.unit(w);
      const out = [];
      for (let t = unit.floor(this.view.start); t <= this.view.end && out.length < 200; t = unit.next(t)) {
        if (t >= this.view.start) out.push(t);
      }
      return { unit, ticks: out };
    }

    drawGrid(w) {
      const g = svg('g', { class: 'tl-grid', 'aria-hidden': 'true' });
      for (const t of this.ticks(w).ticks) {
        const x = Math.round(this.x(t)) + 0.5;
        g.append(svg('line', { x1: x, x2: x, y1: 0, y2: HEIGHT }));
      }
      return g;
    }

    drawHistogram(w) {
      const g = svg('g', { class: 'tl-hist' });
      const visible = this.buckets.filter((b) => b.range.end > this.view.start && b.range.start < this.view.end);
      const max = Math.max(1, ...visible.map((b) => b.count));
      const top = 14;
      for (const b of visible) {
        const x0 = this.x(b.range.start), x1 = this.x(b.range.end);
        const gap = x1 - x0 > 4 ? 1 : 0;
        const bw = Math.max(1, x1 - x0 - gap);
        const bar = svg('g', { class: 'tl-bar' });
        const label = `${this.bucketLabel(b)}: ${b.count} ${b.count === 1 ? 'event' : 'events'}`;
        const types = Object.entries(b.by_type || {}).sort((p, q) => DL.typeOrder(p[0]) - DL.typeOrder(q[0]) || (p[0] < q[0] ? -1 : 1));
        const lines = types.map(([t, n]) => `${DL.typeLabel(t)}: ${n}`);
        bar.append(svg('title', { text: [label, ...lines].join('\n') }));
        let y = HIST;
        const scale = (HIST - top) / max;
        if (!types.length) types.push(['', b.count]);
        for (const [t, n] of types) {
          const h = Math.max(n > 0 ? 1 : 0, n * scale);
          y -= h;
          bar.append(svg('rect', { x: x0 + gap / 2, y, width: bw, height: h, class: t ? DL.colorClass(t) : 'c-all', rx: bw > 6 ? 1.5 : 0 }));
        }
        if (bw >= 20) {
          bar.append(svg('text', { x: x0 + bw / 2 + gap / 2, y: y - 3, class: 'tl-count', 'text-anchor': 'middle', text: b.count }));
        }
        g.append(bar);
      }
      g.append(svg('line', { class: 'tl-base', x1: 0, x2: w, y1: HIST + 0.5, y2: HIST + 0.5 }));
      return g;
    }

    bucketLabel(b) {
      if (/W/.test(b.key)) return 'Week of ' + DL.fmt.day.format(b.range.start);
      return DL.formatDate(b.key);
    }

    drawAxis(w) {
      const g = svg('g', { class: 'tl-axis', 'aria-hidden': 'true' });
      const { unit, ticks } = this.ticks(w);
      for (const t of ticks) {
        const x = this.x(t);
        g.append(svg('line', { x1: x, x2: x, y1: HIST, y2: HIST + 5 }));
        if (x < w - 24) g.append(svg('text', { x: x + 3, y: HIST + 18, text: tickLabel(t, unit) }));
      }
      return g;
    }

    // drawEvents places the loaded events: a dot at each start (spans also
    // get a bar to their end), merged into numbered clusters where closer
    // than CLUSTER_PX.
    drawEvents(w) {
      const g = svg('g', { class: 'tl-events' });
      const laneY = HIST + AXIS + 20;
      const items = [];
      for (const ev of this.events.values()) {
        const s = DL.span(ev);
        if (!s || s.end < this.view.start || s.start > this.view.end) continue;
        items.push({ ev, s, px: this.x(s.start) });
      }
      items.sort((a, b) => a.px - b.px);
      let row = 0;
      for (const it of items) {
        const x1 = Math.min(w, this.x(it.s.end));
        if (x1 - Math.max(0, it.px) > 12) {
          const y = laneY + (STACK - 1) * ROW_PX + 16 + (row++ % 4) * 6;
          const span = svg('line', { class: 'tl-span ' + DL.colorClass(it.ev.type), x1: Math.max(0, it.px), x2: x1, y1: y, y2: y });
          span.append(svg('title', { text: `${DL.formatWhen(it.ev)} · ${it.ev.title}` }));
          g.append(span);
        }
      }
      // Marks show starts; a span that began before the view shows as its
      // bar only. Starts closer than CLUSTER_PX share a column: up to
      // STACK marks stack in it, more become one count that zooms in.
      // Columns are then spread so that no two overlap.
      const starts = items.filter((it) => it.s.start >= this.view.start);
      const cols = [];
      for (const it of starts) {
        const last = cols[cols.length - 1];
        if (last && it.px - last.items[0].px < CLUSTER_PX) last.items.push(it);
        else cols.push({ items: [it] });
      }
      for (const c of cols) {
        c.x = c.items.reduce((a, it) => a + it.px, 0) / c.items.length;
        c.half = c.items.length <= STACK ? 9 : countWidth(c.items.length) / 2 + 1;
      }
      for (let i = 1; i < cols.length; i++) {
        const min = cols[i - 1].x + cols[i - 1].half + cols[i].half;
        if (cols[i].x < min) cols[i].x = min;
      }
      for (let i = cols.length - 1; i >= 0; i--) {
        const max = i === cols.length - 1 ? w - cols[i].half : cols[i + 1].x - cols[i + 1].half - cols[i].half;
        if (cols[i].x > max) cols[i].x = max;
      }
      for (const c of cols) {
        if (c.items.length <= STACK) c.items.forEach((it, row) => g.append(this.dot(it, c.x, laneY + row * ROW_PX)));
        else g.append(this.cluster(c.items, c.x, laneY));
      }
      if (!items.length) {
        g.append(svg('text', { class: 'tl-empty', x: w / 2, y: laneY + 4, 'text-anchor': 'middle', text: this.events.size ? 'No loaded events in this range' : 'No events to show' }));
      }
      return g;
    }

    dot(it, px, y) {
      const ev = it.ev;
      const label = `${DL.formatWhen(ev)} · ${DL.typeLabel(ev.type)} · ${ev.title}`;
      const cls = ['tl-event', DL.colorClass(ev.type)];
      if (this.fresh.has(ev.id)) cls.push('fresh');
      if (this.selected === ev.id) cls.push('sel');
      const g = svg('g', { class: cls.join(' '), tabindex: '0', role: 'button', 'aria-label': label, 'data-id': ev.id });
      g.append(svg('title', { text: label }), DL.mark(ev.type, px, y, 6.5));
      this.activate(g, () => this.opts.onSelect(ev.id));
      return g;
    }

    cluster(grp, px, y) {
      const n = grp.length;
      const cw = countWidth(n);
      const lo = Math.min(...grp.map((it) => it.s.start));
      const hi = Math.max(...grp.map((it) => it.s.start));
      const label = `${n} events from ${DL.fmt.day.format(lo)} to ${DL.fmt.day.format(hi)}: zoom in`;
      const cls = ['tl-cluster'];
      if (grp.some((it) => this.fresh.has(it.ev.id))) cls.push('fresh');
      const g = svg('g', { class: cls.join(' '), tabindex: '0', role: 'button', 'aria-label': label, 'data-count': n });
      g.append(svg('title', { text: label }), svg('rect', { x: px - cw / 2, y: y - 9, width: cw, height: 18, rx: 9 }),
        svg('text', { x: px, y: y + 4, 'text-anchor': 'middle', text: n > 999 ? '999+' : n }));
      this.activate(g, () => {
        const pad = Math.max((hi - lo) * 0.25, 4 * DAY);
        this.setView(lo - pad, hi + pad);
        this.svg.focus();
      });
      return g;
    }

    // activate runs fn on click (unless the pointer dragged), Enter or Space.
    activate(node, fn) {
      node.addEventListener('click', (e) => {
        if (this.dragged) return;
        e.stopPropagation();
        fn();
      });
      node.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          fn();
        }
      });
    }

    bind() {
      const s = this.svg;
      s.addEventListener('wheel', (e) => {
        if (!this.view) return;
        e.preventDefault();
        const d = Math.abs(e.deltaX) > Math.abs(e.deltaY) && !e.ctrlKey ? 0 : e.deltaY;
        if (d) this.zoom(Math.exp(d * (e.deltaMode ? 0.05 : 0.0015)), this.at(this.localX(e)));
        else this.pan(e.deltaX / this.width());
      }, { passive: false });
      s.addEventListener('dblclick', (e) => this.zoom(0.5, this.at(this.localX(e))));
      s.addEventListener('keydown', (e) => {
        const keys = { ArrowLeft: () => this.pan(-0.2), ArrowRight: () => this.pan(0.2), '+': () => this.zoom(0.5),
          '=': () => this.zoom(0.5), '-': () => this.zoom(2), '_': () => this.zoom(2), 0: () => this.fit() };
        const k = keys[e.key];
        if (k && !e.altKey && !e.metaKey && !e.ctrlKey) {
          e.preventDefault();
          k();
        }
      });
      // Pointer drag pans; two pointers pinch-zoom.
      const pts = new Map();
      let last = null;
      s.addEventListener('pointerdown', (e) => {
        if (e.button !== 0) return;
        pts.set(e.pointerId, this.localX(e));
        this.dragged = false;
        this.moved = 0;
        last = this.pinch(pts);
      });
      s.addEventListener('pointermove', (e) => {
        if (!pts.has(e.pointerId) || !this.view) return;
        const prev = pts.get(e.pointerId);
        const x = this.localX(e);
        pts.set(e.pointerId, x);
        if (pts.size === 1) {
          this.moved += Math.abs(x - prev);
          if (this.moved > 4) {
            if (!this.dragged) s.setPointerCapture(e.pointerId);
            this.dragged = true;
            this.pan((prev - x) / this.width());
          }
        } else {
          const now = this.pinch(pts);
          if (last && now && now.dist > 10) {
            this.dragged = true;
            this.zoom(last.dist / now.dist, this.at(now.mid));
          }
          last = now;
        }
      });
      const end = (e) => {
        pts.delete(e.pointerId);
        last = this.pinch(pts);
        setTimeout(() => { if (!pts.size) this.dragged = false; }, 0);
      };
      s.addEventListener('pointerup', end);
      s.addEventListener('pointercancel', end);
    }

    pinch(pts) {
      if (pts.size !== 2) return null;
      const [a, b] = [...pts.values()];
      return { dist: Math.abs(a - b), mid: (a + b) / 2 };
    }

    localX(e) {
      return e.clientX - this.svg.getBoundingClientRect().left;
    }
  }

  Timeline.intervalFor = intervalFor;
  Timeline.keyFor = keyFor;
  Timeline.bucketRange = bucketRange;
  DL.Timeline = Timeline;
})();
