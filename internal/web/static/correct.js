// correct.js — an analyst's corrections on the event list. With the admin
// token typed into the Feeds or Saved view (kept in the page's memory
// only), each event gets a "Correct" panel: mark it wrong (hidden), set
// its type, dates or actors, merge it into another event, split one of
// its reports out, or withdraw its correction, through
// PUT/DELETE /api/v1/events/{id}/correction. The live stream then sends
// the corrected event, or its removal. Events show what was corrected.
'use strict';

(function () {
  const { el } = DL;

  // token is the admin token typed into the page, "" when none.
  function token() {
    const f = document.getElementById('admin-token');
    return f ? f.value.trim() : '';
  }

  // send PUTs body (or DELETEs when body is null) as the event's
  // correction; it returns the error text, "" on success.
  async function send(id, body) {
    try {
      const r = await fetch('/api/v1/events/' + encodeURIComponent(id) + '/correction', {
        method: body ? 'PUT' : 'DELETE',
        headers: { Authorization: 'Bearer ' + token(), 'Content-Type': 'application/json', Accept: 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (r.ok) return '';
      let msg = `The server answered ${r.status}`;
      try { msg = (await r.json()).error || msg; } catch { /* not JSON */ }
      return msg;
    } catch (e) {
      return e.message;
    }
  }

  // badge says what an analyst did to ev, nil when nothing.
  DL.correctionBadge = function correctionBadge(ev) {
    const c = ev.corrected;
    if (!c && !ev.hidden) return null;
    const was = c && c.extracted ? `Extracted: ${c.extracted.type || ''} ${c.extracted.date || ''} ${(c.extracted.actors || []).join(', ')}` : '';
    const who = c ? [c.note, c.by ? 'by ' + c.by : ''].filter(Boolean).join(' ') : '';
    return el('span', { class: 'badge-corrected', title: [was, who].filter(Boolean).join(' — ') },
      ev.hidden ? 'Marked wrong' : 'Corrected');
  };

  // The panels show while an admin token is typed.
  document.addEventListener('input', (e) => {
    if (e.target && (e.target.id === 'admin-token' || e.target.id === 'saved-token')) {
      for (const p of document.querySelectorAll('.ev-correct')) p.hidden = !token();
    }
  });

  // controls is the correction panel of ev, shown while the admin token
  // is typed.
  DL.correctionControls = function correctionControls(ev) {
    const id = String(ev.id);
    const status = el('span', { class: 'correct-status', role: 'status' });
    const field = (label, input) => el('label', null, label + ' ', input);
    const hidden = el('input', { type: 'checkbox' });
    const type = el('select', null, el('option', { value: '' }, '(as extracted)'),
      DL.typeIDs().map((t) => el('option', { value: t }, DL.typeLabel(t))));
    const date = el('input', { type: 'text', placeholder: 'YYYY-MM-DD', maxlength: '10', size: '10' });
    const end = el('input', { type: 'text', placeholder: 'YYYY-MM-DD', maxlength: '10', size: '10' });
    const actors = el('input', { type: 'text', placeholder: 'Russia, Ukraine', maxlength: '500' });
    const into = el('input', { type: 'text', placeholder: 'event id', maxlength: '128', size: '26' });
    const note = el('input', { type: 'text', maxlength: '500' });
    const done = (err) => { status.textContent = err || 'Saved; the list updates shortly.'; };
    const save = async () => {
      const body = {};
      if (hidden.checked) body.hidden = true;
      if (type.value) body.type = type.value;
      if (date.value.trim()) body.date = date.value.trim();
      if (end.value.trim()) body.date_end = end.value.trim();
      if (actors.value.trim()) body.actors = actors.value.split(',').map((a) => a.trim()).filter(Boolean);
      if (into.value.trim()) body.merge_into = into.value.trim();
      if (note.value.trim()) body.note = note.value.trim();
      if (Object.keys(body).length === 0 || (Object.keys(body).length === 1 && body.note)) {
        status.textContent = 'Nothing to correct.';
        return;
      }
      done(await send(id, body));
    };
    const sources = DL.sourcesOf(ev).filter((s) => s.event_id);
    const splits = sources.length > 1
      ? el('p', null, 'Split out: ', sources.map((s) => el('button', {
        type: 'button', class: 'chip-btn', title: 'Make this report an event of its own',
        onclick: async () => done(await send(s.event_id, { split: true, note: note.value.trim() || undefined })),
      }, String(s.feed || s.title || s.event_id))))
      : null;
    return el('details', { class: 'ev-correct', hidden: token() ? null : '' }, el('summary', null, 'Correct'),
      el('div', { class: 'correct-form' },
        field('Mark wrong', hidden), field('Type', type), field('Date', date), field('End date', end),
        field('Actors', actors), field('Merge into', into), field('Note', note),
        el('button', { type: 'button', onclick: save }, 'Save'),
        el('button', { type: 'button', onclick: async () => done(await send(id, null)) }, 'Withdraw'),
        splits, status));
  };
})();
