// saved.js — the Saved view (#saved): saved searches and the alert rules
// on them. Anyone may list the saved searches, open one or follow it as
// Atom; saving the search on screen, deleting one, and everything about
// alert rules (list, create on a saved search, send a test, delete) and
// failed deliveries (list, replay) needs the admin token, typed into the
// view and kept in the page's memory only (the Feeds view's token field
// and this one are the same token). All text from the server is text.
'use strict';

(function () {
  const { el } = DL;
  const $ = (id) => document.getElementById(id);

  let saved = [];

  // token is the admin token typed into either view.
  function token() {
    return ($('saved-token').value || $('admin-token').value).trim();
  }

  async function request(method, path, body, admin) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET' || admin) {
      if (!token()) throw new Error('Type the admin token first.');
      headers.Authorization = 'Bearer ' + token();
    }
    if (body) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    let out = null;
    try { out = await r.json(); } catch { /* not JSON, or no body */ }
    if (!r.ok) throw new Error((out && out.error) || `The server answered ${r.status}`);
    return out;
  }

  function say(msg, bad) {
    $('saved-msg').textContent = msg;
    $('saved-msg').classList.toggle('bad', !!bad);
  }

  // current is the search on screen as a query string, without the view.
  function current() {
    const p = new URLSearchParams(location.search);
    p.delete('view');
    return p.toString();
  }

  // describe writes a saved query string in words: "q: treaty · type: protest".
  function describe(query) {
    const parts = [];
    for (const [k, v] of new URLSearchParams(query)) parts.push(`${k}: ${v}`);
    return parts.length ? parts.join(' · ') : 'every event';
  }

  const enc = encodeURIComponent;

  // Saved searches.
  async function loadSearches() {
    try {
      const res = await request('GET', '/api/v1/searches');
      saved = Array.isArray(res.searches) ? res.searches : [];
      $('searches-off').hidden = true;
    } catch (err) {
      saved = [];
      $('searches-off').hidden = false;
      $('searches-off').textContent = 'Saved searches are not available: ' + err.message;
    }
    $('searches-rows').replaceChildren(...saved.map((s) => el('tr', { 'data-name': String(s.name || '') },
      el('td', { class: 's-name' }, String(s.name || '')),
      el('td', { class: 's-query' }, describe(s.query)),
      el('td', { class: 's-links' },
        el('a', { href: new URL('/?' + String(s.query || ''), location.href).href, class: 's-open' }, 'Open'), ' · ',
        el('a', { href: new URL('/api/v1/searches/' + enc(s.name) + '/feed.atom', location.href).href }, 'Atom')),
      el('td', {}, el('button', { type: 'button', class: 's-delete', 'aria-label': 'Delete ' + s.name, onclick: () => deleteSearch(s.name) }, 'Delete')))));
    $('searches-none').hidden = saved.length > 0;
    $('alert-search').replaceChildren(...saved.map((s) => el('option', { value: String(s.name || '') }, String(s.name || ''))));
    $('save-what').textContent = describe(current());
  }

  async function saveSearch(e) {
    e.preventDefault();
    const name = $('save-name').value.trim();
    if (!name) return;
    try {
      await request('POST', '/api/v1/searches', { name, query: current() });
      $('save-name').value = '';
      say(`Saved the search as ${name}.`);
    } catch (err) {
      say('Could not save the search: ' + err.message, true);
    }
    await loadSearches();
  }

  async function deleteSearch(name) {
    try {
      await request('DELETE', '/api/v1/searches/' + enc(name));
      say(`Deleted the saved search ${name}.`);
    } catch (err) {
      say(`Could not delete ${name}: ${err.message}`, true);
    }
    await loadSearches();
  }

  // Alert rules and failed deliveries: admin only.
  async function loadAlerts() {
    if (!token()) {
      $('alerts-rows').replaceChildren();
      $('deliveries-rows').replaceChildren();
      $('alerts-none').hidden = false;
      $('alerts-none').textContent = 'Type the admin token to see the alert rules and failed deliveries.';
      return;
    }
    let alerts = [], failed = [];
    try {
      alerts = (await request('GET', '/api/v1/alerts', null, true)).alerts || [];
      failed = (await request('GET', '/api/v1/alerts/deliveries?status=failed', null, true)).deliveries || [];
      $('alerts-none').textContent = alerts.length ? '' : 'No alert rules.';
      $('alerts-none').hidden = alerts.length > 0;
    } catch (err) {
      $('alerts-none').hidden = false;
      $('alerts-none').textContent = 'Could not read the alert rules: ' + err.message;
    }
    $('alerts-rows').replaceChildren(...alerts.map(alertRow));
    $('deliveries-rows').replaceChildren(...failed.map(deliveryRow));
    $('deliveries-none').hidden = failed.length > 0;
  }

  function alertRow(a) {
    const what = a.search ? 'saved search ' + a.search : describe(new URLSearchParams(a.query ? { q: a.query } : {}).toString());
    const dests = (a.destinations || []).map((d) => String(d.kind || '')).join(', ');
    const api = a.source === 'api';
    return el('tr', { 'data-name': String(a.name || '') },
      el('td', { class: 'a-name' }, String(a.name || '')),
      el('td', {}, what),
      el('td', {}, dests),
      el('td', { class: 'muted' }, api ? 'added here' : 'config file'),
      el('td', { class: 'a-actions' },
        el('button', { type: 'button', class: 'a-test', 'aria-label': 'Send a test of ' + a.name, onclick: () => testAlert(a.name) }, 'Send a test'),
        api ? el('button', { type: 'button', class: 'a-delete', 'aria-label': 'Delete ' + a.name, onclick: () => deleteAlert(a.name) }, 'Delete') : null));
  }

  function deliveryRow(d) {
    return el('tr', { 'data-id': String(d.id || '') },
      el('td', {}, String(d.rule || '')),
      el('td', {}, String(d.kind || '')),
      el('td', { class: 'num' }, String(d.attempts || 0)),
      el('td', { class: 'f-error' }, String(d.last_error || '')),
      el('td', {}, el('button', { type: 'button', class: 'd-replay', onclick: () => replay(d) }, 'Replay')));
  }

  async function createAlert(e) {
    e.preventDefault();
    const name = $('alert-name').value.trim();
    const search = $('alert-search').value;
    const kind = $('alert-kind').value;
    const url = $('alert-url').value.trim();
    if (!name || !search || !url) {
      say('An alert needs a name, a saved search and a destination URL.', true);
      return;
    }
    const dest = { kind, url };
    let made = '';
    if (kind === 'webhook') {
      dest.secret = $('alert-secret').value.trim();
      if (!dest.secret) dest.secret = made = newSecret();
    }
    try {
      await request('POST', '/api/v1/alerts', { name, search, destinations: [dest] });
      $('alert-name').value = '';
      $('alert-url').value = '';
      $('alert-secret').value = '';
      say(`Added the alert ${name} on ${search}.` + (made ? ` Its webhook signing secret, shown only now: ${made}` : ''));
    } catch (err) {
      say('Could not add the alert: ' + err.message, true);
    }
    await loadAlerts();
  }

  // newSecret makes a Standard Webhooks signing secret: "whsec_" and 32
  // random bytes in base64.
  function newSecret() {
    const b = crypto.getRandomValues(new Uint8Array(32));
    return 'whsec_' + btoa(String.fromCharCode(...b));
  }

  async function testAlert(name) {
    try {
      const rep = await request('POST', '/api/v1/alerts/' + enc(name) + '/test');
      const lines = (rep.results || []).map((r) => `${r.destination}: ${r.error ? 'FAIL ' + r.error : 'ok ' + (r.status || '')}`);
      say(`Test of ${name}: ` + (lines.join('; ') || 'no destinations'), rep.failed > 0);
    } catch (err) {
      say(`Could not test ${name}: ${err.message}`, true);
    }
  }

  async function deleteAlert(name) {
    try {
      await request('DELETE', '/api/v1/alerts/' + enc(name));
      say(`Deleted the alert ${name}.`);
    } catch (err) {
      say(`Could not delete ${name}: ${err.message}`, true);
    }
    await loadAlerts();
  }

  async function replay(d) {
    try {
      await request('POST', '/api/v1/alerts/deliveries/' + enc(d.id) + '/replay');
      say(`Sent the delivery of ${d.rule} to ${d.kind} again.`);
    } catch (err) {
      say('Could not replay the delivery: ' + err.message, true);
    }
    await loadAlerts();
  }

  function load() {
    loadSearches();
    loadAlerts();
  }

  function showView() {
    const open = location.hash === '#saved';
    const was = !$('saved-view').hidden;
    $('saved-view').hidden = !open;
    if (open && !was) {
      load();
      $('saved-view').scrollIntoView({ block: 'start' });
      $('saved-title').focus({ preventScroll: true });
    }
  }

  function init() {
    $('save-form').addEventListener('submit', saveSearch);
    $('alert-form').addEventListener('submit', createAlert);
    $('saved-close').addEventListener('click', () => {
      history.pushState(null, '', location.pathname + location.search);
      showView();
    });
    // One admin token for the page: the two fields mirror each other.
    for (const [from, to] of [['saved-token', 'admin-token'], ['admin-token', 'saved-token']]) {
      $(from).addEventListener('input', () => { $(to).value = $(from).value; });
    }
    const reload = DL.debounce(() => { if (!$('saved-view').hidden) loadAlerts(); }, 300);
    $('saved-token').addEventListener('input', reload);
    $('admin-token').addEventListener('input', reload);
    window.addEventListener('hashchange', showView);
    window.addEventListener('popstate', showView);
    showView();
  }

  DL.saved = { init, load };
})();
