// app.js — the page: reads the search from the URL, asks the API for
// events, facets and the histogram, renders list and timeline, and keeps
// them current through the live stream. The URL always holds the search
// (history.replaceState), so a view can be shared by copying it.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const FIELDS = ['q', 'type', 'actor', 'place', 'from', 'to', 'sort', 'near'];
  const PAGE = 100;
  const FACETS = 8; // actors and places shown as facets

  let state = {};
  let cursor = '';
  let total = 0;
  let loaded = new Map();
  let highlights = {};
  let stream = null;
  let generation = 0;
  let fetched = ''; // the histogram request last shown
  let newCount = 0;
  let tl;
  let map;

  // The search in the URL and in the form.
  function readURL() {
    const p = new URLSearchParams(location.search);
    const s = {};
    for (const f of FIELDS) s[f] = (p.get(f) || '').trim();
    s.view = p.get('view') || '';
    return s;
  }

  function readForm() {
    const s = {};
    for (const f of FIELDS) s[f] = $(f).value.trim();
    return s;
  }

  function writeForm(s) {
    ensureOption($('type'), s.type);
    for (const f of FIELDS) $(f).value = s[f] || '';
  }

  function ensureOption(select, value) {
    if (!value || [...select.options].some((o) => o.value === value)) return;
    select.append(DL.el('option', { value }, DL.typeLabel(value)));
  }

  function params(s, extra) {
    const p = new URLSearchParams();
    for (const f of FIELDS) if (s[f]) p.set(f, s[f]);
    for (const [k, v] of Object.entries(extra || {})) if (v) p.set(k, v);
    return p;
  }

  // On a phone the filters fold behind one button, which counts the
  // filters set.
  function foldFilters(open) {
    document.body.classList.toggle('filters-open', open);
    $('filters-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  // phone tells whether the page is laid out for a phone (style.css).
  const phone = () => matchMedia('(max-width: 560px)').matches;

  function countFilters() {
    const n = FIELDS.filter((f) => f !== 'q' && state[f]).length;
    $('filters-n').textContent = n ? String(n) : '';
    $('filters-toggle').setAttribute('aria-label', n ? `Filters, ${n} set` : 'Filters');
  }

  function updateURL() {
    countFilters();
    const p = params(state, { view: state.view });
    const qs = p.toString();
    history.replaceState(null, '', (qs ? '?' + qs : location.pathname) + location.hash);
    const search = params(state).toString();
    const suffix = search ? '?' + search : '';
    for (const [id, path] of [['x-atom', '/feed.atom'], ['x-csv', '/api/v1/events.csv'], ['x-geojson', '/api/v1/events.geojson'],
      ['x-ics', '/api/v1/events.ics'], ['x-tjs', '/api/v1/timelinejs']]) {
      $(id).setAttribute('href', path + suffix);
    }
  }

  // api fetches JSON from the API, throwing its error message on failure.
  async function api(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await r.json(); } catch { /* not JSON */ }
    if (!r.ok) throw new Error((body && body.error) || `The server answered ${r.status}`);
    return body;
  }

  function showError(msg) {
    $('error').textContent = msg ? 'Could not search: ' + msg : '';
    $('error').hidden = !msg;
  }

  // refuse shows a search the server refused: its error, once, in place
  // of the results (no count, list, banner or exports of a search that
  // did not run). refuse(false) shows the results again.
  function refuse(on) {
    document.body.classList.toggle('refused', on);
    $('results').hidden = on;
    $('tl-panel').hidden = on;
    $('map-panel').hidden = on;
  }

  function busy(on) {
    document.body.classList.toggle('busy', on);
    $('results').setAttribute('aria-busy', on ? 'true' : 'false');
  }

  // run starts a new search from the form.
  function run() {
    state = { ...readForm(), view: '' };
    updateURL();
    search(true);
  }

  async function search(refit) {
    const my = ++generation;
    showError('');
    busy(true);
    // The old stream's filters are stale: close it now, so that "Live"
    // always means the stream of the search on screen.
    disconnect();
    live('connecting', 'Connecting…');
    newCount = 0;
    let ok = true;
    try {
      const res = await api('/api/v1/events?' + params(state, { limit: PAGE }));
      if (my !== generation) return;
      refuse(false);
      loaded = new Map();
      highlights = res.highlights || {};
      total = res.total || 0;
      cursor = res.next || '';
      renderList(res.events || [], false);
      renderFacets(res.facets || {});
      tl.setEvents(res.events || []);
      showMap();
    } catch (e) {
      if (my !== generation) return;
      ok = false;
      loaded = new Map();
      total = 0;
      cursor = '';
      renderList([], false);
      tl.setEvents([]);
      DL.feeds.setEmpty(false);
      showError(e.message);
      refuse(true);
    }
    if (ok) await histogram(refit, my);
    if (my !== generation) return;
    busy(false);
    if (ok) connect();
    else disconnect('Paused');
  }

  async function more() {
    if (!cursor) return;
    const my = generation;
    $('more').disabled = true;
    try {
      const res = await api('/api/v1/events?' + params(state, { limit: PAGE, cursor }));
      if (my !== generation) return;
      Object.assign(highlights, res.highlights || {});
      cursor = res.next || '';
      const fresh = (res.events || []).filter((ev) => !loaded.has(ev.id));
      renderList(fresh, true);
      for (const ev of fresh) tl.events.set(ev.id, ev);
      tl.render();
      showMap();
    } catch (e) {
      showError(e.message);
    } finally {
      $('more').disabled = false;
    }
  }

  // histogram loads the counts for the timeline's current interval. On a
  // new search it first fits the view: to the URL's view, else to the
  // yearly extent of the results.
  async function histogram(refit, my) {
    try {
      if (refit) {
        fetched = '';
        const v = parseView(state.view);
        if (v) {
          tl.setView(v.start, v.end, true);
        } else {
          const r = await api('/api/v1/timeline?' + params(state, { interval: 'year' }));
          if (my !== generation) return;
          showBuckets(r.buckets, 'year');
          fetched = 'year';
          tl.fit(true);
        }
      }
      await refreshHistogram(my);
    } catch (e) {
      if (my === generation) showError(e.message);
    }
  }

  // refreshHistogram fetches the buckets of the visible interval unless
  // they are already shown. Day and week counts are fetched for a window
  // around the view only.
  async function refreshHistogram(my) {
    const interval = tl.intervalNow();
    let extra = { interval };
    let key = interval;
    if (interval === 'day' || interval === 'week') {
      const span = tl.view.end - tl.view.start;
      const win = clampRange(tl.view.start - span, tl.view.end + span);
      if (!win) { showBuckets([], interval); fetched = ''; return; }
      if (fetched.startsWith(interval + '|')) {
        const [, a, b] = fetched.split('|');
        if (tl.view.start >= Date.parse(a) && tl.view.end <= Date.parse(b) + DL.DAY) return;
      }
      extra = { interval, from: DL.isoDay(win.start), to: DL.isoDay(win.end - DL.DAY) };
      key = `${interval}|${extra.from}|${extra.to}`;
    } else if (fetched === key) {
      return;
    }
    const p = params(state, extra);
    if (extra.from) { p.set('from', extra.from); p.set('to', extra.to); }
    const r = await api('/api/v1/timeline?' + p);
    if (my !== generation) return;
    fetched = key;
    showBuckets(r.buckets, r.interval || interval);
  }

  // showBuckets draws a histogram and names its interval.
  function showBuckets(buckets, interval) {
    tl.setBuckets(buckets, interval);
    $('tl-interval').textContent = 'by ' + interval;
  }

  // clampRange intersects [start, end) with the search's from/to.
  function clampRange(start, end) {
    const f = DL.parseDate(state.from), t = DL.parseDate(state.to);
    if (f) start = Math.max(start, f.start);
    if (t) end = Math.min(end, t.end);
    start = Math.max(start, Date.UTC(1, 0, 1));
    end = Math.min(end, Date.UTC(9999, 0, 1));
    start -= start % DL.DAY;
    end += (DL.DAY - (end % DL.DAY)) % DL.DAY;
    return start < end ? { start, end } : null;
  }

  function parseView(v) {
    const m = /^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$/.exec(v || '');
    if (!m) return null;
    const a = DL.parseDate(m[1]), b = DL.parseDate(m[2]);
    return a && b && a.start < b.end ? { start: a.start, end: b.end } : null;
  }

  function onViewChange(view) {
    state.view = DL.isoDay(view.start) + '~' + DL.isoDay(view.end);
    updateURL();
    refreshHistogram(generation).catch((e) => showError(e.message));
  }

  function onSelect(id) {
    const node = document.getElementById('ev-' + id);
    if (!node) return;
    tl.select(id);
    for (const n of document.querySelectorAll('.event.flash')) n.classList.remove('flash');
    node.classList.add('flash');
    node.scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    node.focus({ preventScroll: true });
  }

  // nearOf reads the near parameter, "lat,lon,km", or null.
  function nearOf(s) {
    const m = /^(-?[\d.]+),(-?[\d.]+),([\d.]+)$/.exec(s || '');
    return m ? { lat: +m[1], lon: +m[2], km: +m[3] } : null;
  }

  // showMap draws the places of the loaded events and says which circle
  // the search is filtered to.
  function showMap() {
    const near = nearOf(state.near);
    map.setEvents([...loaded.values()], near);
    $('map-note').textContent = near ? `near ${state.placeLabel || `${near.lat}, ${near.lon}`} (${near.km} km)` : '';
    $('map-clear').hidden = !state.near;
  }

  // pickPlace filters the search to a circle the map chose.
  function pickPlace(p) {
    $('near').value = `${p.lat},${p.lon},${p.km}`;
    run();
    state.placeLabel = p.label;
    showMap();
  }

  function filterBy(kind, value) {
    $(kind).value = value;
    run();
  }

  // Rendering.
  function renderList(events, append) {
    const items = events.map((ev) => {
      loaded.set(ev.id, ev);
      return DL.renderEvent(ev, highlights[ev.id], false, filterBy);
    });
    if (append) $('events').append(...items);
    else $('events').replaceChildren(...items);
    $('empty').hidden = loaded.size > 0;
    DL.feeds.setEmpty(loaded.size === 0);
    $('more').hidden = !cursor;
    renderTotal();
  }

  function renderTotal() {
    const n = total.toLocaleString('en');
    const words = [n, total === 1 ? 'event' : 'events'];
    if (state.q) words.push('for “' + state.q + '”');
    $('total').textContent = words.join(' ');
  }

  function renderFacets(facets) {
    const types = Object.entries(facets.type || {}).sort((a, b) => b[1] - a[1] || DL.typeOrder(a[0]) - DL.typeOrder(b[0]));
    const sel = $('type');
    const current = state.type;
    sel.replaceChildren(DL.el('option', { value: '' }, 'All types'),
      ...types.map(([t, n]) => DL.el('option', { value: t }, `${DL.typeLabel(t)} (${n})`)));
    ensureOption(sel, current);
    sel.value = current || '';
    $('facets').replaceChildren(...types.map(([t, n]) => DL.el('button', {
      type: 'button', class: 'facet ' + DL.colorClass(t) + (t === current ? ' on' : ''),
      'aria-pressed': t === current ? 'true' : 'false',
      onclick: () => filterBy('type', t === current ? '' : t),
    }, DL.svg('svg', { class: 'swatch', viewBox: '-9 -9 18 18', 'aria-hidden': 'true' }, DL.mark(t, 0, 0, 5.5)),
    DL.typeLabel(t), DL.el('span', { class: 'n' }, String(n)))));
    for (const [kind, list] of [['actor', 'actors'], ['place', 'places']]) {
      const names = Object.keys(facets[kind] || {});
      $(list).replaceChildren(...names.map((v) => DL.el('option', { value: v })));
      renderNameFacets(kind, facets[kind] || {});
    }
  }

  // renderNameFacets shows the most frequent actors or places of the
  // search as buttons; one filters the search by it, again clears it.
  function renderNameFacets(kind, counts) {
    const current = state[kind];
    const top = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, FACETS);
    $(kind + '-group').hidden = top.length === 0;
    $('facets-' + kind).replaceChildren(...top.map(([v, n]) => DL.el('button', {
      type: 'button', class: 'facet name' + (v === current ? ' on' : ''), 'data-value': v,
      'aria-pressed': v === current ? 'true' : 'false',
      onclick: () => filterBy(kind, v === current ? '' : v),
    }, v, DL.el('span', { class: 'n' }, String(n)))));
  }

  // The live stream.
  function connect() {
    disconnect();
    const p = params(state);
    p.delete('sort');
    stream = new EventSource('/api/v1/stream?' + p);
    live('connecting', 'Connecting…');
    stream.onopen = () => live('on', newCount ? `Live · ${newCount} new` : 'Live');
    stream.onerror = () => {
      if (stream && stream.readyState === EventSource.CLOSED) live('off', 'Offline');
      else live('connecting', 'Reconnecting…');
    };
    stream.addEventListener('event', (m) => {
      let ev;
      try { ev = JSON.parse(m.data); } catch { return; }
      if (ev && typeof ev.id === 'string') arrived(ev);
    });
    // An analyst hid the event, or corrected it out of this search.
    stream.addEventListener('removed', (m) => {
      let r;
      try { r = JSON.parse(m.data); } catch { return; }
      if (r && typeof r.id === 'string') removed(r.id);
    });
  }

  function disconnect(text) {
    if (stream) stream.close();
    stream = null;
    if (text) live('off', text);
  }

  function live(cls, text) {
    $('live').className = 'live ' + cls;
    $('live-text').textContent = text;
  }

  // arrived shows an event from the stream: updated in place when listed,
  // else at the top of the list, marked new.
  // The stream sends only what the search on screen finds (from and to
  // included): nothing is filtered here.
  function arrived(ev) {
    const isNew = !loaded.has(ev.id);
    loaded.set(ev.id, ev);
    const node = DL.renderEvent(ev, null, true, filterBy);
    const old = document.getElementById('ev-' + ev.id);
    if (old) old.replaceWith(node);
    else $('events').prepend(node);
    if (isNew) {
      total++;
      newCount++;
      renderTotal();
    }
    $('empty').hidden = true;
    DL.feeds.setEmpty(false);
    tl.addEvent(ev);
    showMap();
    // Unless the reader chose a range, keep every event in view.
    if (!state.view) tl.fit(true);
    live('on', `Live · ${newCount} new`);
  }

  // removed takes out of the list an event the stream says the search no
  // longer finds.
  function removed(id) {
    const node = document.getElementById('ev-' + id);
    if (!loaded.has(id) && !node) return;
    loaded.delete(id);
    if (node) node.remove();
    total = Math.max(0, total - 1);
    renderTotal();
    tl.removeEvent(id);
    showMap();
  }

  async function init() {
    DL.feeds.init();
    DL.saved.init();
    await DL.loadTypes();
    $('legend').replaceChildren(...DL.legend());
    state = readURL();
    writeForm(state);
    tl = new DL.Timeline($('timeline'), { onViewChange, onSelect });
    map = new DL.EventMap($('map'), { onPick: pickPlace });
    $('map-clear').addEventListener('click', () => {
      $('near').value = '';
      run();
    });
    $('search').addEventListener('submit', (e) => {
      e.preventDefault();
      run();
    });
    for (const id of ['type', 'sort']) $(id).addEventListener('change', run);
    $('clear').addEventListener('click', () => {
      for (const f of FIELDS) $(f).value = '';
      run();
      $('q').focus();
    });
    $('more').addEventListener('click', more);
    $('filters-toggle').addEventListener('click', () => foldFilters(!document.body.classList.contains('filters-open')));
    if (phone()) {
      // The first screen of a phone is for events: the legend folds too,
      // and the search box says less.
      $('legend-box').open = false;
      $('map-box').open = false;
      $('q').placeholder = 'Search: drones Kyiv, a OR b, -word';
    }
    $('zoom-in').addEventListener('click', () => tl.zoom(0.5));
    $('zoom-out').addEventListener('click', () => tl.zoom(2));
    $('zoom-fit').addEventListener('click', () => tl.fit());
    $('use-range').addEventListener('click', () => {
      if (!tl.view) return;
      $('from').value = DL.isoDay(Math.max(tl.view.start, Date.UTC(1, 0, 1)));
      $('to').value = DL.isoDay(tl.view.end - DL.DAY);
      run();
    });
    document.addEventListener('keydown', (e) => {
      const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement && document.activeElement.tagName);
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        $('q').focus();
        $('q').select();
      }
    });
    updateURL();
    search(true);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
