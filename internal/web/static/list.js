// list.js — one list item per event: date at its precision, type, status,
// title and evidence sentence (with search highlights), actors and places
// as filter buttons, and a link to every source. All of it is built with
// DL.el, so feed text is always text.
'use strict';

(function () {
  const { el } = DL;

  // sourcesOf returns the articles reporting ev: its "sources" when the
  // API sends them (merged events), else its one article.
  function sourcesOf(ev) {
    if (Array.isArray(ev.sources) && ev.sources.length) return ev.sources;
    return ev.article ? [ev.article] : [];
  }

  // split assigns highlight fragments to the title or the sentence.
  function split(ev, frags) {
    const out = { title: null, sentence: null };
    for (const f of frags || []) {
      const plain = DL.plainOf(f);
      if (!out.title && plain && String(ev.title || '').includes(plain)) out.title = f;
      else if (!out.sentence && plain && String(ev.sentence || '').includes(plain)) out.sentence = f;
    }
    return out;
  }

  function published(s) {
    if (!s.published || String(s.published).startsWith('0001-')) return '';
    const t = Date.parse(s.published);
    return Number.isNaN(t) ? '' : DL.fmt.day.format(t);
  }

  // sourceItem is one source: its title linked when the URL is http(s).
  function sourceItem(s) {
    const title = String(s.title || s.url || 'Untitled article');
    const href = DL.safeURL(s.url);
    const link = href
      ? el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'src-title' }, title)
      : el('span', { class: 'src-title' }, title);
    const meta = [s.feed, published(s)].filter(Boolean).join(' · ');
    return el('li', null, link, meta ? el('span', { class: 'src-meta' }, ' — ' + meta) : null);
  }

  // chips renders actors or places as buttons that filter by them.
  function chips(kind, values, onFilter) {
    const names = (values || []).map((v) => (typeof v === 'string' ? v : v && v.name)).filter(Boolean);
    if (!names.length) return null;
    return el('li', { class: 'chips ' + kind },
      el('span', { class: 'sr-only' }, kind === 'actor' ? 'Actors: ' : 'Places: '),
      names.map((n) => el('button', {
        type: 'button', class: 'chip-btn', title: `Only events with ${kind} ${n}`,
        onclick: () => onFilter(kind, n),
      }, n)));
  }

  // render builds the <li> of ev. frags are its highlight fragments;
  // fresh marks an event that arrived live.
  DL.renderEvent = function renderEvent(ev, frags, fresh, onFilter) {
    const hl = split(ev, frags);
    const d = DL.parseDate(ev.date);
    const sources = sourcesOf(ev);
    const n = Number.isInteger(ev.source_count) ? ev.source_count : sources.length;
    const head = el('div', { class: 'ev-head' },
      el('time', { datetime: d ? ev.date : null, class: 'ev-date' }, DL.formatWhen(ev)),
      el('span', { class: 'type ' + DL.colorClass(ev.type) }, DL.typeLabel(ev.type)),
      ev.status && ev.status !== 'occurred' ? el('span', { class: 'status ' + (ev.status === 'denied' ? 'denied' : 'planned') }, ev.status) : null,
      fresh ? el('span', { class: 'badge-new' }, 'New') : null,
      DL.correctionBadge ? DL.correctionBadge(ev) : null);
    const title = el('h3', { class: 'ev-title' }, hl.title ? DL.highlight(hl.title) : String(ev.title || 'Untitled event'));
    const sentence = ev.sentence
      ? el('blockquote', { class: 'ev-sentence' }, hl.sentence ? DL.highlight(hl.sentence) : String(ev.sentence))
      : null;
    const tags = el('ul', { class: 'ev-tags' }, chips('actor', ev.actors, onFilter), chips('place', ev.places, onFilter));
    const srcs = el('details', { class: 'ev-sources', open: sources.length <= 3 ? '' : null },
      el('summary', null, `${n} ${n === 1 ? 'source' : 'sources'}`),
      el('ul', null, sources.map(sourceItem)));
    const cls = ['event', DL.colorClass(ev.type)];
    if (fresh) cls.push('fresh');
    return el('li', { class: cls.join(' '), id: 'ev-' + String(ev.id), 'data-id': String(ev.id), tabindex: '-1' },
      el('article', { 'aria-label': String(ev.title || '') }, head, title, sentence, tags.childElementCount ? tags : null, srcs,
        DL.correctionControls ? DL.correctionControls(ev) : null));
  };

  DL.sourcesOf = sourcesOf;
})();
