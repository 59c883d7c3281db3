// The room page's lists in the console: its inputs (with the programme switch, adding, new keys and removal), its
// recordings (download, replay link) and its recent events. Each keeps its rows across the page's refreshes (a focused
// button keeps its focus).
import { t, number } from '/web/common/i18n.js';

const el = id => document.getElementById(id);
let deps = null;          // what the console lends: api, notice, token, ApiError, roomId, refresh
let recordingOff = false; // the server does not record (its recordings API answered 404)

/** Hands the lists the console's API call, notice line, token, shown room and page refresh. */
export function connect(lent) {
  deps = lent;
}

/**
 * Keeps a table body's rows in step with a list, row by row by key: rows are updated in place (a focused button keeps
 * its focus across refreshes), added and removed.
 */
function syncRows(body, items, keyOf, make, fill) {
  const rows = new Map([...body.children].map(row => [row.dataset.key, row]));
  const wanted = items.map(item => {
    const key = keyOf(item);
    let row = rows.get(key);
    if (!row) {
      row = make(item);
      row.dataset.key = key;
    }
    fill(row, item);
    return row;
  });
  wanted.forEach((row, i) => { if (body.children[i] !== row) body.insertBefore(row, body.children[i] || null); });
  while (body.children.length > wanted.length) body.lastElementChild.remove();
}

function cells(count) {
  const tr = document.createElement('tr');
  for (let i = 0; i < count; i++) tr.append(document.createElement('td'));
  return tr;
}

/**
 * The room's inputs: each one's state and key, the one on air marked, buttons to put another on air, give one a new key
 * or remove it (not the main one). The table shows once the room has a second input; the form to add one is always there.
 */
export function inputsTable(room) {
  const inputs = room.inputs || [];
  el('inputs-table').hidden = inputs.length < 2;
  syncRows(el('inputs-body'), inputs, input => input.id, () => {
    const tr = cells(5);
    tr.cells[2].className = 'key';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.addEventListener('click', () => switchProgram(tr.dataset.key));
    tr.cells[3].append(button, document.createElement('span'));
    const rotate = document.createElement('button');
    rotate.type = 'button';
    rotate.className = 'secondary';
    rotate.addEventListener('click', () => rotateInput(tr.dataset.key));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'danger';
    remove.addEventListener('click', () => removeInput(tr.dataset.key));
    tr.cells[4].append(rotate, ' ', remove);
    return tr;
  }, (tr, input) => {
    tr.cells[0].textContent = input.role === 'backup' ? t('console.inputBackup', { id: input.id }) : input.id;
    tr.cells[1].replaceChildren(t(input.publishing ? 'console.inputPublishing' : 'console.inputIdle'));
    if (input.parametersDifferFromMain) {
      // Allowed, but a switch to or from it is a jump for HLS viewers: said in words, not only by colour.
      const warning = document.createElement('span');
      warning.className = 'bad mismatch';
      warning.textContent = t('console.inputMismatch', { tracks: (input.differingTracks || []).map(track => t(`console.track.${track}`)).join(', ') });
      tr.cells[1].append(document.createElement('br'), warning);
    }
    tr.cells[2].textContent = input.streamName;
    const [button, mark] = tr.cells[3].children;
    const pending = room.programPending && room.programPending.input === input.id;
    button.textContent = t('console.putOnAir');
    button.setAttribute('aria-label', t('console.putOnAirLabel', { id: input.id }));
    button.hidden = input.onAir;
    button.disabled = !input.publishing || pending;
    mark.textContent = input.onAir ? t('console.onAir') : pending ? t('console.switchPendingMark') : '';
    mark.className = input.onAir ? 'on-air' : 'hint';
    const [rotate, remove] = tr.cells[4].querySelectorAll('button');
    rotate.textContent = t('console.rotate');
    rotate.setAttribute('aria-label', t('console.rotateInputLabel', { id: input.id }));
    remove.textContent = t('console.removeInput');
    remove.setAttribute('aria-label', t('console.removeInputLabel', { id: input.id }));
    remove.hidden = input.id === inputs[0].id; // the main input goes with the room
    tr.dataset.onAir = String(!!input.onAir);
    tr.dataset.publishing = String(!!input.publishing);
  });
}

async function switchProgram(input) {
  try {
    const answer = await deps.api('POST', `/api/rooms/${encodeURIComponent(deps.roomId())}/program`, { input });
    deps.notice(answer.pending ? t('console.switchPending', { id: input }) : t('console.switched', { id: answer.program }));
  } catch (e) {
    deps.notice(e.status === 409 ? t('console.switchRefused', { id: input, reason: e.message }) : t('console.failed', { reason: e.message }));
  }
  await deps.refresh().catch(() => {});
}

/** The path of the shown room's inputs, or of one of them. */
function inputsPath(input) {
  const base = `/api/rooms/${encodeURIComponent(deps.roomId())}/inputs`;
  return input === undefined ? base : `${base}/${encodeURIComponent(input)}`;
}

/** The key an answer's room view gives an input (the notice shows it once; its row keeps showing it). */
function keyOf(room, input) {
  const found = (room.inputs || []).find(i => i.id === input);
  return found ? found.streamName : '';
}

/** Wires the form that adds an input: its id, role and stream key (made by the server when left empty). */
export function addInputForm() {
  el('add-input-form').addEventListener('submit', async event => {
    event.preventDefault();
    const id = el('input-id').value.trim();
    const spec = { id };
    if (el('input-role').value) spec.role = el('input-role').value;
    if (el('input-key').value.trim()) spec.streamName = el('input-key').value.trim();
    try {
      const room = await deps.api('POST', inputsPath(), spec);
      el('add-input-form').reset();
      deps.notice(t('console.inputAdded', { id, key: keyOf(room, id) }));
    } catch (e) {
      deps.notice(t('console.failed', { reason: e.message }));
      if (e.field === 'id') el('input-id').focus();
      else if (e.field === 'streamName') el('input-key').focus();
      return;
    }
    await deps.refresh().catch(() => {});
  });
}

async function rotateInput(input) {
  if (!confirm(t('console.rotateInputConfirm', { id: input }))) return;
  try {
    const room = await deps.api('POST', `${inputsPath(input)}/stream-name`);
    deps.notice(t('console.inputRotated', { id: input, key: keyOf(room, input) }));
  } catch (e) {
    deps.notice(t('console.failed', { reason: e.message }));
  }
  await deps.refresh().catch(() => {});
}

async function removeInput(input) {
  if (!confirm(t('console.removeInputConfirm', { id: input }))) return;
  try {
    await deps.api('DELETE', inputsPath(input));
    deps.notice(t('console.inputRemoved', { id: input }));
  } catch (e) {
    deps.notice(t('console.failed', { reason: e.message }));
  }
  await deps.refresh().catch(() => {});
}

/** What a refusal's reason label means, in words; the label itself when it has no message. */
function reasonText(reason) {
  const key = reason.startsWith('access_') ? 'console.reasonAccess' : reason.startsWith('bandwidth_') ? 'console.reasonBandwidth'
    : `console.reason.${reason}`;
  const text = t(key);
  return text === key ? reason : text;
}

/** The text of one event of GET /api/rooms/{id}/events. */
function eventText(event) {
  const d = event.detail || {};
  const vars = { ...d, encoder: d.encoder || '—', address: d.address || '—', from: d.from || '—',
    reason: d.reason ? reasonText(d.reason) : '', duration: d.durationSeconds === undefined ? '' : duration(d.durationSeconds) };
  if (event.type === 'program_switched') vars.reason = t(`console.switchReason.${d.reason}`);
  if (event.type === 'input_mismatch') {
    const tracks = (d.tracks || []).map(track => t(`console.track.${track}`)).join(', ');
    return t(d.mismatch ? 'console.event.input_mismatch' : 'console.event.input_match', { input: d.input, main: d.main, tracks });
  }
  if (d.since) vars.since = new Date(d.since).toLocaleTimeString(document.documentElement.lang);
  const text = t(`console.event.${event.type}`, vars);
  return text === `console.event.${event.type}` ? event.type : text;
}

export async function recentEvents(id) {
  const { events } = await deps.api('GET', `/api/rooms/${encodeURIComponent(id)}/events`);
  el('events-empty').hidden = events.length > 0;
  el('events-list').replaceChildren(...events.slice(0, 30).map(event => {
    const li = document.createElement('li');
    li.dataset.type = event.type;
    const time = document.createElement('time');
    time.dateTime = event.time;
    time.textContent = new Date(event.time).toLocaleTimeString(document.documentElement.lang);
    li.append(time, document.createTextNode(eventText(event)));
    return li;
  }));
}

function duration(seconds) {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = n => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

function size(bytes) {
  return bytes >= 1e9 ? `${number(bytes / 1e9)} ${t('console.unitGB')}` : `${number(bytes / 1e6)} ${t('console.unitMB')}`;
}

/**
 * The room's recordings with download and replay-link buttons; hidden when the server does not record (its API answers
 * 404, asked once per page load).
 */
export async function recordingsTable(id) {
  let recordings;
  if (recordingOff) { el('recordings').hidden = true; return; }
  try {
    ({ recordings } = await deps.api('GET', `/api/rooms/${encodeURIComponent(id)}/recordings`));
  } catch (e) {
    if (e.status === 404) { recordingOff = true; el('recordings').hidden = true; return; }
    throw e;
  }
  el('recordings').hidden = false;
  el('recordings-empty').hidden = recordings.length > 0;
  el('recordings-table').hidden = recordings.length === 0;
  const newest = [...recordings].reverse();
  syncRows(el('recordings-body'), newest, r => r.id, () => {
    const tr = cells(5);
    const download = document.createElement('button');
    download.type = 'button';
    download.className = 'secondary';
    download.addEventListener('click', () => downloadRecording(tr.dataset.key));
    const link = document.createElement('button');
    link.type = 'button';
    link.className = 'secondary';
    link.addEventListener('click', () => copyReplayLink(tr.dataset.key));
    tr.cells[4].append(download, ' ', link);
    return tr;
  }, (tr, r) => {
    tr.cells[0].textContent = new Date(r.start).toLocaleString(document.documentElement.lang);
    tr.cells[1].textContent = r.duration === null || r.duration === undefined ? '—' : duration(r.duration);
    tr.cells[2].textContent = size(r.size || 0);
    tr.cells[3].textContent = t(`console.recording.${r.state}`);
    if (r.error) tr.cells[3].title = r.error;
    const [download, link] = tr.cells[4].querySelectorAll('button');
    const start = tr.cells[0].textContent;
    download.textContent = t('console.download');
    download.setAttribute('aria-label', t('console.downloadLabel', { start }));
    link.textContent = t('console.copyReplay');
    link.setAttribute('aria-label', t('console.copyReplayLabel', { start }));
    download.disabled = link.disabled = r.state !== 'ready';
  });
}

/** Downloads a recording's MP4 through the API (which needs the token, so not by a plain link). */
async function downloadRecording(id) {
  try {
    const headers = deps.token() ? { Authorization: `Bearer ${deps.token()}` } : {};
    const response = await fetch(`/api/recordings/${encodeURIComponent(id)}/file`, { headers });
    if (!response.ok) throw new deps.ApiError(response.status, await response.json().catch(() => null));
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `${id}.mp4`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    deps.notice(t('console.failed', { reason: e.message }));
  }
}

async function copyReplayLink(id) {
  try {
    const { url, expires } = await deps.api('GET', `/api/recordings/${encodeURIComponent(id)}/replay`);
    const link = new URL(url, location.href).toString();
    try {
      await navigator.clipboard.writeText(link);
      deps.notice(t('console.replayCopied', { expires: new Date(expires).toLocaleString(document.documentElement.lang) }));
    } catch (e) {
      deps.notice(t('console.replayLink', { link })); // no clipboard access: shown to be copied by hand
    }
  } catch (e) {
    deps.notice(t('console.failed', { reason: e.message }));
  }
}

