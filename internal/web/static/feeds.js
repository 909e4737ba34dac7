// feeds.js — feed health and the Feeds view. It reads GET /api/v1/feeds
// (every feed with its id, status, polls and last error, and a summary by
// status), shows the counts in the header, explains an empty timeline
// when feeds fail ("2 of 3 feeds failing: … — see Feeds"), and lists the
// feeds in a view opened by #feeds in the URL. With the admin token typed
// into that view, feeds can be added, imported from OPML and removed. The token stays in the
// page's memory only. Feed text (names, URLs, errors) is always text.
'use strict';

(function () {
  const { el } = DL;
  const $ = (id) => document.getElementById(id);
  const REFRESH = 30 * 1000;

  let feeds = [];
  let summary = null;
  let empty = false;
  let timer = 0;

  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = $('admin-token').value.trim();
    if (method !== 'GET') {
      if (!token) throw new Error('Type the admin token first.');
      headers.Authorization = 'Bearer ' + token;
    }
    if (body) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    let out = null;
    try { out = await r.json(); } catch { /* not JSON, or no body */ }
    if (!r.ok) throw new Error((out && out.error) || `The server answered ${r.status}`);
    return out;
  }

  // load fetches the feed list and redraws health and the view. A process
  // without feed management (503) shows neither.
  async function load() {
    clearTimeout(timer);
    try {
      const res = await request('GET', '/api/v1/feeds');
      feeds = Array.isArray(res.feeds) ? res.feeds : [];
      summary = res.summary || count(feeds);
    } catch {
      feeds = [];
      summary = null;
    }
    render();
    timer = setTimeout(load, REFRESH);
  }

  function count(list) {
    const s = { total: list.length, ok: 0, error: 0, pending: 0, disabled: 0 };
    for (const f of list) {
      if (f.status in s && f.status !== 'total') s[f.status]++;
      else s.pending++;
    }
    return s;
  }

  // commonError is the most frequent last error of the failing feeds.
  function commonError() {
    const n = new Map();
    for (const f of feeds) if (f.status === 'error' && f.last_error) n.set(f.last_error, (n.get(f.last_error) || 0) + 1);
    let best = '', most = 0;
    for (const [e, k] of n) if (k > most) { best = e; most = k; }
    return best.length > 160 ? best.slice(0, 159) + '…' : best;
  }

  function render() {
    renderHealth();
    renderBanner();
    renderView();
  }

  // renderHealth shows the counts on the header's Feeds link.
  function renderHealth() {
    const link = $('feeds-link');
    if (!summary) { link.hidden = true; return; }
    link.hidden = false;
    const parts = [`${summary.ok} ok`];
    if (summary.error) parts.push(`${summary.error} failing`);
    if (summary.pending) parts.push(`${summary.pending} pending`);
    if (summary.disabled) parts.push(`${summary.disabled} disabled`);
    $('feeds-health').textContent = parts.join(' · ');
    link.classList.toggle('failing', summary.error > 0);
  }

  // renderBanner says why an empty timeline is empty when feeds are the
  // reason: failing, or not read yet.
  function renderBanner() {
    const b = $('feed-banner');
    let msg = '';
    if (empty && summary && summary.total) {
      if (summary.error) {
        const err = commonError();
        msg = `${summary.error} of ${summary.total} feeds failing` + (err ? ': ' + err : '');
      } else if (summary.ok === 0 && summary.pending) {
        msg = `No feed read yet: ${summary.pending} of ${summary.total} feeds pending`;
      }
    } else if (empty && summary && !summary.total) {
      msg = 'No feeds configured';
    }
    b.hidden = !msg;
    b.replaceChildren(...(msg ? [msg + ' — ', el('a', { href: '#feeds', class: 'see-feeds', onclick: openView }, 'see Feeds')] : []));
  }

  function openView(e) {
    if (e) e.preventDefault();
    if (location.hash !== '#feeds') history.pushState(null, '', location.pathname + location.search + '#feeds');
    showView();
  }

  function showView() {
    const open = location.hash === '#feeds';
    const was = !$('feeds-view').hidden;
    $('feeds-view').hidden = !open;
    if (open && !was) {
      load();
      $('feeds-view').scrollIntoView({ block: 'start' });
      $('feeds-title').focus({ preventScroll: true });
    }
  }

  function when(t) {
    if (!t || String(t).startsWith('0001-')) return '—';
    const ms = Date.parse(t);
    if (Number.isNaN(ms)) return '—';
    const d = Math.round((ms - Date.now()) / 1000);
    const a = Math.abs(d);
    const unit = a < 90 ? [a, 's'] : a < 5400 ? [Math.round(a / 60), 'min'] : a < 129600 ? [Math.round(a / 3600), 'h'] : [Math.round(a / 86400), 'd'];
    const rel = d >= 0 ? `in ${unit[0]} ${unit[1]}` : `${unit[0]} ${unit[1]} ago`;
    return rel;
  }

  function row(f) {
    const failed = f.status === 'error';
    return el('tr', { class: 'feed ' + (failed ? 'failing' : ''), 'data-id': f.id || '' },
      el('td', { class: 'f-name' },
        el('span', { class: 'f-title' }, f.name || f.url || ''),
        f.name ? el('span', { class: 'f-url muted' }, f.url || '') : null),
      el('td', {}, el('span', { class: 'f-status s-' + String(f.status || 'pending').replace(/[^a-z]/g, '') }, f.status || 'pending')),
      el('td', { title: f.last_polled || '' }, when(f.last_polled)),
      el('td', { title: f.next_poll || '' }, when(f.next_poll), f.next_reason ? el('span', { class: 'muted' }, ' (' + f.next_reason + ')') : null),
      el('td', { class: 'num' }, String(f.articles || 0)),
      el('td', { class: 'f-error' }, f.last_error || ''),
      el('td', {}, f.id ? el('button', { type: 'button', class: 'f-remove', 'aria-label': 'Remove ' + (f.name || f.url || ''), onclick: () => remove(f) }, 'Remove') : null));
  }

  function renderView() {
    const rows = feeds.map(row);
    $('feeds-rows').replaceChildren(...rows);
    $('feeds-none').hidden = rows.length > 0;
  }

  function say(msg, bad) {
    $('feeds-msg').textContent = msg;
    $('feeds-msg').classList.toggle('bad', !!bad);
  }

  async function add(e) {
    e.preventDefault();
    const url = $('feed-url').value.trim();
    const name = $('feed-name').value.trim();
    if (!url) return;
    try {
      await request('POST', '/api/v1/feeds', name ? { url, name } : { url });
      $('feed-url').value = '';
      $('feed-name').value = '';
      say('Added ' + (name || url) + '.');
    } catch (err) {
      say('Could not add the feed: ' + err.message, true);
    }
    await load();
  }

  // opmlFeeds reads the feeds of an OPML document: every outline with an
  // xmlUrl, named by its text or title. It reads attributes with a
  // pattern, as the page parses no markup; entities are decoded.
  function opmlFeeds(doc) {
    const out = [];
    for (const [tag] of String(doc).matchAll(/<outline\b[^>]*>/gi)) {
      const attrs = {};
      for (const m of tag.matchAll(/([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attrs[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? '');
      }
      const url = (attrs.xmlurl || '').trim();
      if (url) out.push({ url, name: (attrs.text || attrs.title || '').trim() });
    }
    return out;
  }

  function decodeEntities(s) {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : all;
      }
      return named[e.toLowerCase()] ?? all;
    });
  }

  // importOPML adds the feeds of the chosen OPML file that are not there
  // yet, and says for each whether it was added, already there or failed.
  async function importOPML(e) {
    e.preventDefault();
    const file = $('feed-opml').files[0];
    if (!file) { say('Choose an OPML file first.', true); return; }
    if (!$('admin-token').value.trim()) { say('Type the admin token first.', true); return; }
    const list = opmlFeeds(await file.text());
    if (!list.length) { say(`No feeds in ${file.name}.`, true); return; }
    await load();
    const have = new Set(feeds.map((f) => f.url));
    const lines = [];
    let added = 0, there = 0, failed = 0;
    for (const f of list) {
      if (have.has(f.url)) {
        there++;
        lines.push([f, 'already there']);
        continue;
      }
      try {
        await request('POST', '/api/v1/feeds', f.name ? f : { url: f.url });
        added++;
        have.add(f.url);
        lines.push([f, 'added']);
      } catch (err) {
        failed++;
        lines.push([f, 'failed: ' + err.message]);
      }
    }
    $('feeds-import-log').replaceChildren(...lines.map(([f, what]) => el('li', { class: what === 'added' ? 'ok' : what.startsWith('failed') ? 'bad' : '' },
      (f.name || f.url) + ' — ' + what)));
    say(`${added} added, ${there} already there` + (failed ? `, ${failed} failed` : '') + ` (${list.length} in ${file.name})`, failed > 0);
    await load();
  }

  async function remove(f) {
    try {
      await request('DELETE', '/api/v1/feeds/' + encodeURIComponent(f.id));
      say('Removed ' + (f.name || f.url) + '.');
    } catch (err) {
      say('Could not remove ' + (f.name || f.url) + ': ' + err.message, true);
    }
    await load();
  }

  // setEmpty tells whether the timeline on screen is empty, so that the
  // banner can say why.
  function setEmpty(on) {
    empty = on;
    renderBanner();
  }

  function init() {
    $('feed-add').addEventListener('submit', add);
    $('feed-import').addEventListener('submit', importOPML);
    $('feeds-link').addEventListener('click', openView);
    $('feeds-close').addEventListener('click', () => {
      history.pushState(null, '', location.pathname + location.search);
      showView();
    });
    window.addEventListener('hashchange', showView);
    window.addEventListener('popstate', showView);
    showView();
    if ($('feeds-view').hidden) load();
  }

  DL.feeds = { init, load, setEmpty };
})();
