// The organisers' console: /console/. Uses the admin API (/api/rooms, docs/operations.md) and nothing else but the
// rooms' public state (for the RTMP port). The admin token is kept in sessionStorage for the tab's life; on loopback
// with no token configured the API answers without one, and so does the console.
import { chosenLanguage, useLanguage, languageSwitch, t, number, translate } from '/web/common/i18n.js';
import { addInputForm, connect, inputsTable, recentEvents, recordingsTable } from '/web/console/room-lists.js';

const TOKEN = 'fluxrelay.adminToken';
const REFRESH_MS = 2000;
const el = id => document.getElementById(id);
const SECTIONS = ['sign-in', 'rooms', 'edit', 'room'];

let refresh = null;
let current = null; // the room shown on the room page
let preview = null; // {room, hls} while the room page previews a room

function token() {
  try { return sessionStorage.getItem(TOKEN) || ''; } catch (e) { return ''; }
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.status = status;
    this.field = body && body.field;
  }
}

/** One admin API call; writes always say application/json (the API refuses others). */
async function api(method, path, body) {
  const headers = {};
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (method !== 'GET') headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => null);
  if (response.status === 401 || (response.status === 403 && !token())) {
    signIn(json && json.error);
    throw new ApiError(response.status, json);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function show(section) {
  SECTIONS.forEach(id => { el(id).hidden = id !== section; });
  el('sign-out').hidden = !token();
}

function notice(text) {
  el('notice').textContent = text || '';
  el('notice').hidden = !text;
}

function signIn(reason) {
  clearInterval(refresh);
  show('sign-in');
  notice(reason ? t('console.signInRefused', { reason }) : '');
  el('token').focus();
}

function stateOf(room) {
  if (room.live) return { key: 'console.stateLive', cls: 'live' };
  if (room.publishing) return { key: 'console.statePublishing', cls: 'ready' };
  if (room.shown) return { key: 'console.stateShownWaiting', cls: 'waiting' };
  return { key: 'console.stateIdle', cls: 'idle' };
}

function ingestSummary(room) {
  const p = room.publisher;
  if (!p || !p.video) return '—';
  return `${p.video.width}×${p.video.height}, ${number((p.videoKbps + p.audioKbps) / 1000)} Mbit/s`;
}

async function roomsPage() {
  const { rooms } = await api('GET', '/api/rooms');
  const body = el('rooms-body');
  body.replaceChildren(...rooms.map(room => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    const link = document.createElement('a');
    link.href = `#/rooms/${encodeURIComponent(room.id)}`;
    link.textContent = room.title || room.id;
    const id = document.createElement('span');
    id.className = 'hint';
    id.textContent = ` (${room.id})`;
    name.append(link, id);
    const state = document.createElement('td');
    const s = stateOf(room);
    state.textContent = t(s.key);
    state.className = s.cls;
    const viewers = document.createElement('td');
    viewers.textContent = String(room.viewers.total);
    const ingest = document.createElement('td');
    ingest.textContent = ingestSummary(room);
    tr.append(name, state, viewers, ingest);
    return tr;
  }));
  el('rooms-empty').hidden = rooms.length > 0;
  show('rooms');
}

function copyButtons() {
  document.querySelectorAll('[data-copy]').forEach(button => button.addEventListener('click', async () => {
    const input = el(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (e) {
      input.select(); // no clipboard access (plain http to a name): selected for Ctrl+C
      document.execCommand('copy');
    }
    notice(t('console.copied'));
  }));
}

/** A health row: figure, value now, recommendation, and whether it meets it (said in words, not only by colour). */
function healthRow(label, value, recommended, ok) {
  const tr = document.createElement('tr');
  const cells = [t(label), value, t(recommended)].map(text => {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  });
  if (ok !== null) {
    const mark = document.createElement('span');
    mark.className = ok ? 'good' : 'bad';
    mark.textContent = ` ${t(ok ? 'console.meets' : 'console.outside')}`;
    cells[1].append(mark);
  }
  tr.append(...cells);
  return tr;
}

function health(room) {
  const p = room.publisher;
  const body = el('health-body');
  el('health').hidden = !p;
  el('health-none').hidden = !!p;
  el('warnings').replaceChildren();
  if (!p) return;
  const rows = [];
  const v = p.video;
  if (v) {
    rows.push(healthRow('console.resolution', `${v.width}×${v.height}`, 'console.recResolution', v.height <= 720 && v.height >= 540));
    const ratio = v.width / v.height;
    rows.push(healthRow('console.aspect', number(ratio, 2), 'console.recAspect', Math.abs(ratio - 16 / 9) < 0.02));
  }
  const fps = p.measuredFps || (v && v.frameRate);
  if (fps) rows.push(healthRow('console.fps', number(fps), 'console.recFps', fps <= 30.5));
  const mbps = (p.videoKbps + p.audioKbps) / 1000;
  rows.push(healthRow('console.bitrate', `${number(mbps)} Mbit/s`, 'console.recBitrate', mbps >= 0.9 && mbps <= 2.3));
  if (p.keyframeIntervalMs) {
    rows.push(healthRow('console.keyframes', `${number(p.keyframeIntervalMs / 1000)} s`, 'console.recKeyframes',
      p.keyframeIntervalMs <= 2100));
  }
  if (p.encoder) rows.push(healthRow('console.encoder', p.encoder, 'console.recEncoder', null));
  body.replaceChildren(...rows);
  el('warnings').replaceChildren(...(p.warnings || []).map(w => {
    const li = document.createElement('li');
    li.textContent = w;
    return li;
  }));
}

/**
 * A small muted LL-HLS player of the room while its encoder publishes (it counts as one HLS viewer). Rooms whose viewers
 * need an access or bandwidth token are not previewed: the console holds neither.
 */
function updatePreview(room) {
  const video = el('preview');
  const wanted = room && room.publishing && room.live && room.viewerAccess !== 'token' && room.bandwidth.policy !== 'enforce'
    && window.Hls && window.Hls.isSupported();
  if (preview && (!wanted || preview.room !== room.id)) {
    preview.hls.destroy();
    preview = null;
  }
  video.hidden = !wanted;
  el('preview-note').textContent = !room ? '' : wanted ? ''
    : !room.live ? t('console.previewOffAir')
      : !(window.Hls && window.Hls.isSupported()) ? t('console.previewUnsupported') : t('console.previewTokens');
  if (wanted && !preview) {
    const hls = new window.Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 });
    hls.on(window.Hls.Events.ERROR, (event, data) => {
      // Packaging starts at GO LIVE, so the first playlist may not exist yet: the next refresh tries again.
      if (data.fatal && preview && preview.hls === hls) {
        hls.destroy();
        preview = null;
      }
    });
    hls.loadSource(`/hls/${encodeURIComponent(room.id)}/ll.m3u8`);
    hls.attachMedia(video);
    video.play().catch(() => {});
    preview = { room: room.id, hls };
  }
}

function encoderTexts(room, fms) {
  const key = room.streamName;
  el('obs-text').textContent = t('console.obsText', { server: fms, key });
  el('wirecast-text').textContent = t('console.wirecastText', { server: fms, key });
}

async function roomPage(id, first) {
  const room = await api('GET', `/api/rooms/${encodeURIComponent(id)}`);
  current = room;
  el('room-heading').textContent = room.title || room.id;
  const s = stateOf(room);
  el('room-state').textContent = t(s.key);
  el('room-state').className = `badge ${s.cls}`;
  el('go-live').disabled = room.shown;
  el('stop-live').disabled = !room.shown;
  el('watch-link').href = `/watch/${encodeURIComponent(room.id)}`;
  el('edit-link').href = `#/rooms/${encodeURIComponent(room.id)}/edit`;
  if (first) {
    const pub = await fetch(`/api/public/rooms/${encodeURIComponent(room.id)}`).then(r => r.json()).catch(() => ({}));
    const port = pub.rtmpPort || 1935;
    el('fms-url').value = `rtmp://${location.hostname}${port === 1935 ? '' : `:${port}`}/${room.app}`;
  }
  el('stream-key').value = room.streamName;
  encoderTexts(room, el('fms-url').value);
  inputsTable(room);
  health(room);
  updatePreview(room);
  const viewers = Object.entries(room.viewers).filter(([k]) => k !== 'total' && k !== 'lagging')
    .map(([k, n]) => `${k} ${n}`).join(', ');
  el('viewers-text').textContent = t('console.viewersText', { total: room.viewers.total, detail: viewers || '—',
    lagging: room.viewers.lagging });
  const bw = room.bandwidth;
  el('bandwidth-text').textContent = t('console.bandwidthText', { required: number(bw.requiredMbps), policy: bw.policy,
    ok: bw.viewers.ok, below: bw.viewers.below, measuring: bw.viewers.measuring });
  await Promise.all([recentEvents(room.id), recordingsTable(room.id)]);
  show('room');
}


function editPage(room) {
  const form = el('edit-form');
  form.reset();
  el('field-id').hidden = !!room;
  el('room-id').required = !room;
  el('edit-heading').textContent = room ? t('console.editHeading', { title: room.title || room.id }) : t('console.newHeading');
  if (room) {
    el('room-title').value = room.title || '';
    el('room-app').value = room.app;
    el('room-auto-live').checked = room.autoLive;
    el('room-required').value = room.requiredMbps ?? '';
    el('room-policy').value = room.bandwidthPolicy ?? '';
    el('room-access').value = room.viewerAccess === 'token' ? 'token' : '';
  }
  form.onsubmit = async event => {
    event.preventDefault();
    const spec = { title: el('room-title').value, app: el('room-app').value, autoLive: el('room-auto-live').checked };
    if (el('room-required').value) spec.requiredMbps = Number(el('room-required').value);
    if (el('room-policy').value) spec.bandwidthPolicy = el('room-policy').value;
    if (el('room-access').value) spec.viewerAccess = el('room-access').value;
    try {
      if (room) {
        await api('PATCH', `/api/rooms/${encodeURIComponent(room.id)}`, spec);
        location.hash = `#/rooms/${encodeURIComponent(room.id)}`;
      } else {
        spec.id = el('room-id').value.trim();
        await api('POST', '/api/rooms', spec);
        location.hash = `#/rooms/${encodeURIComponent(spec.id)}`;
      }
      notice('');
    } catch (e) {
      notice(t('console.failed', { reason: e.message }));
    }
  };
  show('edit');
  (room ? el('room-title') : el('room-id')).focus();
}

async function action(method, path, body, message) {
  try {
    await api(method, path, body);
    notice(message ? t(message) : '');
    if (current) await roomPage(current.id, false);
  } catch (e) {
    notice(t('console.failed', { reason: e.message }));
  }
}

/** Shows the page the URL's hash names, refreshing lists and room pages while they are shown. */
async function route() {
  clearInterval(refresh);
  updatePreview(null);
  notice('');
  const hash = location.hash.replace(/^#/, '') || '/';
  const parts = hash.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts.length === 0) {
      current = null;
      await roomsPage();
      refresh = setInterval(() => roomsPage().catch(() => {}), REFRESH_MS);
    } else if (parts[0] === 'new') {
      current = null;
      editPage(null);
    } else if (parts[0] === 'rooms' && parts.length === 3 && parts[2] === 'edit') {
      editPage(await api('GET', `/api/rooms/${encodeURIComponent(parts[1])}`));
    } else if (parts[0] === 'rooms' && parts.length === 2) {
      await roomPage(parts[1], true);
      refresh = setInterval(() => roomPage(parts[1], false).catch(() => {}), REFRESH_MS);
    } else {
      location.hash = '#/';
    }
  } catch (e) {
    if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) notice(t('console.failed', { reason: e.message }));
  }
}

async function main() {
  connect({ api, notice, token, ApiError, roomId: () => current && current.id,
    refresh: () => (current ? roomPage(current.id, false) : Promise.resolve()) });
  await useLanguage(chosenLanguage());
  languageSwitch(el('language'), route);
  copyButtons();
  addInputForm();
  el('sign-in-form').addEventListener('submit', event => {
    event.preventDefault();
    try { sessionStorage.setItem(TOKEN, el('token').value.trim()); } catch (e) { /* kept for this page only */ }
    el('token').value = '';
    route();
  });
  el('sign-out').addEventListener('click', () => {
    try { sessionStorage.removeItem(TOKEN); } catch (e) { /* nothing kept */ }
    signIn();
  });
  el('go-live').addEventListener('click', () => action('POST', `/api/rooms/${encodeURIComponent(current.id)}/live`, undefined,
    'console.wentLive'));
  el('stop-live').addEventListener('click', () => action('DELETE', `/api/rooms/${encodeURIComponent(current.id)}/live`, undefined,
    'console.stopped'));
  el('rotate-key').addEventListener('click', () => {
    if (confirm(t('console.rotateConfirm'))) {
      action('POST', `/api/rooms/${encodeURIComponent(current.id)}/stream-name`, undefined, 'console.rotated');
    }
  });
  el('delete-room').addEventListener('click', async () => {
    if (!confirm(t('console.deleteConfirm', { title: current.title || current.id }))) return;
    try {
      await api('DELETE', `/api/rooms/${encodeURIComponent(current.id)}`);
      location.hash = '#/';
    } catch (e) {
      notice(t('console.failed', { reason: e.message }));
    }
  });
  window.addEventListener('hashchange', route);
  translate(document);
  await route();
}

main();
