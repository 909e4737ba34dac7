// dom.js — safe DOM building, dates, and the event types' labels and
// colours shared by the page.
//
// Every piece of text that comes from feeds goes through el()/text nodes
// (textContent), never through markup. Links go through safeURL(), which
// keeps only absolute http(s) URLs.
'use strict';

const DL = (window.DL = window.DL || {});

// el creates an element. attrs: "text" sets textContent, "on<event>" adds a
// listener, "href" is set only when safeURL accepts it, anything else is set
// as an attribute.
// Children may be nodes or strings (added as text).
DL.el = function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
};

// svg creates an SVG element the same way.
DL.svg = function svg(tag, attrs, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
};

function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'href') {
      const u = DL.safeURL(v);
      if (u) node.setAttribute('href', u);
    } else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return node;
}

// safeURL returns u normalised when it is an absolute http or https URL,
// else "" — javascript:, data:, relative and malformed URLs are dropped.
DL.safeURL = function safeURL(u) {
  if (typeof u !== 'string') return '';
  u = u.trim();
  if (!/^https?:\/\//i.test(u)) return '';
  try {
    const p = new URL(u);
    if ((p.protocol !== 'http:' && p.protocol !== 'https:') || !p.hostname) return '';
    return p.href;
  } catch {
    return '';
  }
};

// highlight turns an API highlight fragment (HTML-escaped text with
// <mark>…</mark> around matches) into DOM nodes without parsing it as
// HTML: the text between marks is unescaped and inserted as text.
DL.highlight = function highlight(fragment) {
  const out = document.createDocumentFragment();
  const parts = String(fragment).split(/<mark>([\s\S]*?)<\/mark>/);
  parts.forEach((part, i) => {
    const text = DL.unescape(part);
    if (!text) return;
    out.append(i % 2 ? DL.el('mark', { text }) : document.createTextNode(text));
  });
  return out;
};

// unescape reverses HTML escaping of the five characters Go escapes.
DL.unescape = function unescape(s) {
  return String(s).replace(/&(lt|gt|amp|quot|#34|#39|#x27);/g, (_, e) =>
    ({ lt: '<', gt: '>', amp: '&', quot: '"', '#34': '"', '#39': "'", '#x27': "'" })[e]);
};

// plainOf returns the text of a highlight fragment without marks or
// ellipses, to tell which field it came from.
DL.plainOf = function plainOf(fragment) {
  return DL.unescape(String(fragment).replace(/<\/?mark>/g, '')).replace(/^…|…$/g, '');
};

const DAY = 86400000;
DL.DAY = DAY;

// parseDate reads YYYY, YYYY-MM or YYYY-MM-DD: {start, end, precision}
// with start and end (exclusive) in UTC milliseconds; null if malformed.
DL.parseDate = function parseDate(s) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(s || ''));
  if (!m) return null;
  const y = +m[1];
  if (m[3]) {
    const start = Date.UTC(y, +m[2] - 1, +m[3]);
    return { start, end: start + DAY, precision: 'day' };
  }
  if (m[2]) return { start: Date.UTC(y, +m[2] - 1, 1), end: Date.UTC(y, +m[2], 1), precision: 'month' };
  return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1), precision: 'year' };
};

// span returns the instants an event covers, or null when undated.
DL.span = function span(ev) {
  const a = DL.parseDate(ev.date);
  if (!a) return null;
  const b = ev.date_end ? DL.parseDate(ev.date_end) : null;
  return { start: a.start, end: b && b.end > a.end ? b.end : a.end };
};

// Dates are written by hand, in English and UTC, so that every browser
// shows the same text ("19 Jun 2024", "Jun 2024", "2024").
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const fmt = {
  day: { format: (t) => { const d = new Date(t); return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`; } },
  month: { format: (t) => { const d = new Date(t); return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`; } },
  year: { format: (t) => String(new Date(t).getUTCFullYear()) },
  dayMonth: { format: (t) => { const d = new Date(t); return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`; } },
  monthOnly: { format: (t) => MONTHS[new Date(t).getUTCMonth()] },
};
DL.fmt = fmt;

// formatDate writes a date string at its own precision: "19 Jun 2024",
// "Jun 2024" or "2024".
DL.formatDate = function formatDate(s) {
  const d = DL.parseDate(s);
  if (!d) return String(s || 'undated');
  return fmt[d.precision].format(d.start);
};

// formatWhen writes an event's date or span.
DL.formatWhen = function formatWhen(ev) {
  const a = DL.formatDate(ev.date);
  return ev.date_end ? a + ' – ' + DL.formatDate(ev.date_end) : a;
};

// The event types and their facts (label, colour, order) come from
// GET /api/v1/types, that is from the rules in pipelines/: DL.loadTypes
// fetches them once, before the first search.
let TYPES = new Map(); // id → { label, color, order }

// loadTypes fetches the event types. On failure the page still works,
// with labels written from the ids and colours from the palette.
DL.loadTypes = async function loadTypes() {
  try {
    const r = await fetch('/api/v1/types', { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`The server answered ${r.status}`);
    DL.setTypes((await r.json()).types || []);
  } catch (e) {
    console.warn('event types: ' + e.message);
  }
};

// setTypes installs the types: their labels and order, and one CSS rule
// per coloured type (".ty-<id> { --c: <colour> }") in a style sheet of
// the page's own (CSSOM, which the Content-Security-Policy allows).
DL.setTypes = function setTypes(list) {
  TYPES = new Map();
  const rules = [];
  list.forEach((t, order) => {
    if (!t || typeof t.id !== 'string' || !/^[a-z0-9_]+$/.test(t.id)) return;
    const color = /^#[0-9a-f]{6}$/i.test(t.color || '') ? t.color : '';
    TYPES.set(t.id, { label: String(t.label || '') || DL.idLabel(t.id), color, order });
    if (color) rules.push(`.ty-${t.id} { --c: ${color}; }`);
  });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(rules.join('\n'));
  document.adoptedStyleSheets = [sheet];
};

// typeIDs returns the ids of the event types, in the rules' order.
DL.typeIDs = function typeIDs() {
  return [...TYPES.entries()].sort((a, b) => a[1].order - b[1].order).map(([id]) => id);
};

// idLabel writes an id in words: "treaty_signing" → "Treaty signing".
DL.idLabel = function idLabel(t) {
  const s = String(t || 'event').replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

// typeLabel is a type's label from the rules, else its id in words.
DL.typeLabel = function typeLabel(t) {
  const known = TYPES.get(t);
  return known ? known.label : DL.idLabel(t);
};

// typeOrder is a type's place in the rules; unknown types come last.
DL.typeOrder = function typeOrder(t) {
  const known = TYPES.get(t);
  return known ? known.order : Infinity;
};

// Types the rules give no colour, and types they do not know, hash into
// the palette of style.css.
const PALETTE = 14;

// colorClass returns the CSS class that colours an event type: "ty-<id>"
// for a type the rules colour, else one of "c0" … "c13".
DL.colorClass = function colorClass(t) {
  const known = TYPES.get(t);
  if (known && known.color) return 'ty-' + t;
  let h = 0;
  for (const ch of String(t)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return 'c' + (h % PALETTE);
};

// Each type is drawn with a shape as well as a colour, so that types stay
// apart for readers who cannot tell two colours apart: the rules' order
// picks the shape, the colour is the rules' own. Unknown types are dots.
const SHAPES = ['circle', 'square', 'diamond', 'triangle', 'hexagon', 'star', 'triangle-down'];

// shapeOf returns the shape of an event type.
DL.shapeOf = function shapeOf(t) {
  const known = TYPES.get(t);
  return known ? SHAPES[known.order % SHAPES.length] : 'circle';
};

// polygon is the path of n points around (cx, cy) at radius R, starting
// at angle a0 (radians); a star alternates R with R * inner.
function polygon(cx, cy, n, R, a0, inner) {
  const pts = [];
  const steps = inner ? n * 2 : n;
  for (let i = 0; i < steps; i++) {
    const rr = inner && i % 2 ? R * inner : R;
    const a = a0 + (i * 2 * Math.PI) / steps;
    pts.push((cx + rr * Math.cos(a)).toFixed(2) + ',' + (cy + rr * Math.sin(a)).toFixed(2));
  }
  return 'M' + pts.join('L') + 'Z';
}

// mark draws the shape of event type t centred on (cx, cy), about as
// large as a circle of radius r, as an SVG element of class "mark".
DL.mark = function mark(t, cx, cy, r) {
  const shape = DL.shapeOf(t);
  const up = -Math.PI / 2;
  let d;
  switch (shape) {
    case 'square': d = polygon(cx, cy, 4, r * 1.25, Math.PI / 4); break;
    case 'diamond': d = polygon(cx, cy, 4, r * 1.25, up); break;
    case 'triangle': d = polygon(cx, cy, 3, r * 1.3, up); break;
    case 'triangle-down': d = polygon(cx, cy, 3, r * 1.3, -up); break;
    case 'hexagon': d = polygon(cx, cy, 6, r * 1.1, 0); break;
    case 'star': d = polygon(cx, cy, 5, r * 1.3, up, 0.5); break;
    default: return DL.svg('circle', { class: 'mark', 'data-shape': 'circle', cx, cy, r });
  }
  return DL.svg('path', { class: 'mark', 'data-shape': shape, d });
};

// legend lists every event type of the rules, in their order, with its
// shape, colour and label.
DL.legend = function legend() {
  return [...TYPES.keys()].map((t) => DL.el('li', { class: 'legend-item ' + DL.colorClass(t), 'data-type': t },
    DL.svg('svg', { class: 'legend-mark', viewBox: '-9 -9 18 18', 'aria-hidden': 'true' }, DL.mark(t, 0, 0, 5.5)),
    DL.typeLabel(t)));
};

// debounce delays fn until calls stop for ms.
DL.debounce = function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
};

// isoDay writes UTC milliseconds as YYYY-MM-DD.
DL.isoDay = function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
};
