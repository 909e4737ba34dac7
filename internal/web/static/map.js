// map.js — a map of the events in view: each located place of the loaded
// events is a point sized by the sources reporting there, points closer
// than a few pixels join into one, and choosing a point asks the page to
// filter the search to a circle around it (the near parameter). Countries
// are drawn from world.json, Natural Earth's 1:110m outlines (public
// domain), embedded in the binary: no tile server, nothing fetched from
// elsewhere. Place names are text.
'use strict';

(function () {
  const { svg } = DL;
  const W = 1000, H = 500;
  const TOP = 10, BOTTOM = 420; // latitudes about 88° N to 61° S
  const JOIN_PX = 14; // points closer than this on screen join
  const KM_PER_DEG = 111.2;

  // project places a longitude and latitude on the 1000 × 500 map.
  function project(lon, lat) {
    return { x: ((lon + 180) / 360) * W, y: ((90 - lat) / 180) * H };
  }

  // located is a place with coordinates (0, 0 means none).
  function located(p) {
    return p && typeof p === 'object' && Number.isFinite(p.lat) && Number.isFinite(p.lon) && (p.lat !== 0 || p.lon !== 0) &&
      Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
  }

  // distanceKm is the great-circle distance between two points.
  function distanceKm(a, b) {
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  class EventMap {
    // root: the element to draw in; opts.onPick({lat, lon, km, label}) is
    // called when a point is chosen.
    constructor(root, opts) {
      this.root = root;
      this.opts = opts;
      this.events = [];
      this.near = null;
      this.svg = svg('svg', { class: 'map-svg', viewBox: `0 ${TOP} ${W} ${BOTTOM - TOP}`, role: 'group', 'aria-label': 'Map of the events listed' });
      this.land = svg('g', { class: 'map-land', 'aria-hidden': 'true' });
      this.points = svg('g', { class: 'map-points' });
      this.svg.append(this.land, this.points);
      root.append(this.svg);
      if (window.ResizeObserver) new ResizeObserver(DL.debounce(() => this.render(), 80)).observe(root);
      this.loadLand();
    }

    async loadLand() {
      try {
        const r = await fetch('/static/world.json', { headers: { Accept: 'application/json' } });
        if (!r.ok) throw new Error(`The server answered ${r.status}`);
        const world = await r.json();
        this.land.replaceChildren(...(world.countries || []).map((c) =>
          svg('path', { class: 'map-country', d: String(c.d || '') }, svg('title', { text: String(c.name || '') }))));
      } catch (e) {
        console.warn('map outlines: ' + e.message);
      }
    }

    // setEvents shows the places of events; near is the circle the search
    // is filtered to, or null.
    setEvents(events, near) {
      this.events = events;
      this.near = near;
      this.render();
    }

    // scale is screen pixels per map unit.
    scale() {
      const box = this.svg.getBoundingClientRect();
      const k = Math.min(box.width / W, box.height / (BOTTOM - TOP));
      return Math.max(0.2, k || (this.root.clientWidth || W) / W);
    }

    // places gathers the located places of the events: per place, its
    // events and the sources reporting them.
    places() {
      const by = new Map();
      for (const ev of this.events) {
        const sources = Number.isInteger(ev.source_count) && ev.source_count > 0 ? ev.source_count : 1;
        const seen = new Set();
        for (const p of ev.places || []) {
          if (!located(p)) continue;
          const key = `${p.name}|${p.lat}|${p.lon}`;
          if (seen.has(key)) continue;
          seen.add(key);
          let e = by.get(key);
          if (!e) by.set(key, (e = { name: String(p.name || ''), lat: p.lat, lon: p.lon, events: 0, sources: 0, ...project(p.lon, p.lat) }));
          e.events++;
          e.sources += sources;
        }
      }
      return [...by.values()];
    }

    // groups joins places closer than JOIN_PX on screen, the most
    // reported first.
    groups() {
      const join = JOIN_PX / this.scale();
      const out = [];
      for (const p of this.places().sort((a, b) => b.sources - a.sources || a.name.localeCompare(b.name))) {
        const g = out.find((q) => Math.hypot(q.x - p.x, q.y - p.y) < join);
        if (g) {
          g.members.push(p);
          g.events += p.events;
          g.sources += p.sources;
        } else {
          out.push({ x: p.x, y: p.y, lat: p.lat, lon: p.lon, members: [p], events: p.events, sources: p.sources });
        }
      }
      return out;
    }

    render() {
      const k = this.scale();
      const items = [];
      if (this.near) {
        const c = project(this.near.lon, this.near.lat);
        const r = Math.max(3 / k, this.near.km / KM_PER_DEG / 360 * W);
        items.push(svg('circle', { class: 'map-near', cx: c.x, cy: c.y, r, 'aria-hidden': 'true' }));
      }
      for (const g of this.groups().sort((a, b) => b.sources - a.sources)) {
        const r = (4 + 2.2 * Math.sqrt(g.sources)) / k;
        const names = g.members.map((m) => m.name);
        const label = (g.members.length === 1 ? names[0] : `${g.members.length} places: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}`) +
          ` — ${g.events} ${g.events === 1 ? 'event' : 'events'}, ${g.sources} ${g.sources === 1 ? 'source' : 'sources'}. Select to list the events there.`;
        // The circle to filter by covers every member place.
        const km = Math.max(25, ...g.members.map((m) => distanceKm(g, m) + 10));
        const pick = () => this.opts.onPick({ lat: round(g.lat), lon: round(g.lon), km: Math.ceil(km), label: names[0] });
        const node = svg('g', {
          class: 'map-pt' + (g.members.length > 1 ? ' joined' : ''), tabindex: '0', role: 'button', 'aria-label': label,
          'data-sources': g.sources, 'data-events': g.events, 'data-places': g.members.length,
          onclick: pick, onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } },
        }, svg('title', { text: label }), svg('circle', { cx: g.x, cy: g.y, r }));
        if (g.members.length > 1) {
          node.append(svg('text', { x: g.x, y: g.y + 3.5 / k, 'text-anchor': 'middle', 'font-size': 10 / k, text: String(g.members.length) }));
        }
        items.push(node);
      }
      this.points.replaceChildren(...items);
      this.points.setAttribute('stroke-width', String(1.5 / k));
    }
  }

  function round(v) {
    return Math.round(v * 1000) / 1000;
  }

  DL.EventMap = EventMap;
})();
