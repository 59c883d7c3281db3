// The attendees' watch page: /watch/{room-id}[?access=TOKEN]. Measures the connection against the room's requirement,
// waits for GO LIVE (server-sent events on the room's public state), then plays LL-HLS with hls.js (catching up to the
// live edge), MPEG-TS HLS when LL-HLS fails, or the browser's own HLS (Safari). The page's state is in
// <body data-state>: loading, waiting, playing, outage, paused, refused, missing, gone. A room with several inputs
// offers its camera angles: the programme (the room's own URLs, following the input on air) or one input's URLs.
import { chosenLanguage, useLanguage, languageSwitch, t, number } from '/web/common/i18n.js';

const CATCH_UP_RATE = 1.5;
// Seconds of loading in which hls.js's fast bandwidth estimate halves its history (abrEwmaFastLive; hls.js's own
// default is 3). A live viewer holds only one to three segments of buffer, and hls.js never abandons a segment for the
// lowest quality, so with a program and one rendition a slower link shows only through this estimate: at 3 s it
// takes some 8 s of loading at the new rate, four or more segments each loading slower than real time, each a stall.
// At 0.5 s one such segment is enough to move down.
const ABR_FAST_HALF_LIFE = 0.5;
const roomId = decodeURIComponent(location.pathname.split('/')[2] || '');
const query = new URLSearchParams(location.search);
const el = id => document.getElementById(id);
const video = el('video');

let room = null;
let verdict = null;        // the bandwidth probe's JSON verdict, or null
let hls = null;            // the hls.js player while playing through it
let usingFallback = false; // MPEG-TS HLS after LL-HLS failed
let playing = false;
let starts = 0;            // counts start() calls: a slower earlier one gives way
let state = 'loading';
let angle = null;          // the input watched on its own, or null for the programme
let anglesShown = '';      // what the angle choice shows, to redraw it only when that changes

function setState(next, message, vars) {
  state = next;
  document.body.dataset.state = next;
  const screen = el('screen');
  screen.hidden = next === 'playing';
  video.hidden = next !== 'playing' && next !== 'outage';
  if (message) {
    el('screen-message').dataset.i18n = message;
    el('screen-message').textContent = t(message, vars);
  }
}

/** A viewer URL with the room's tokens: the access token when given, the bandwidth token where the room enforces. */
function withTokens(path) {
  const url = new URL(path, location.href);
  const access = room.accessParameter;
  if (query.get(access)) url.searchParams.set(access, query.get(access));
  if (verdict && verdict.token && room.bandwidth.policy === 'enforce') {
    url.searchParams.set(room.bandwidth.tokenParameter, verdict.token);
  }
  return url.toString();
}

async function measure() {
  el('bandwidth-retry').hidden = true;
  el('bandwidth-figure').textContent = t('watch.bandwidthMeasuring');
  el('bandwidth-meaning').textContent = '';
  try {
    const probe = await fetch(new URL(room.bandwidth.probe, location.href), { cache: 'no-store' });
    if (!probe.ok) throw new Error(`HTTP ${probe.status}`);
    await probe.arrayBuffer();
    const result = await fetch(new URL(probe.headers.get('X-Bandwidth-Result'), location.href), { cache: 'no-store' });
    if (!result.ok) throw new Error(`HTTP ${result.status}`);
    verdict = await result.json();
  } catch (e) {
    verdict = null;
    el('bandwidth-figure').textContent = t('watch.bandwidthFailed');
    el('bandwidth-retry').hidden = false;
    return;
  }
  showVerdict();
  if (room.live && !playing && state === 'refused' && verdict.verdict === 'ok') start(); // measured again, fast enough now
}

function showVerdict() {
  if (!verdict) return;
  const ok = verdict.verdict === 'ok';
  el('bandwidth-figure').textContent = t(ok ? 'watch.bandwidthOk' : 'watch.bandwidthBelow',
    { measured: number(verdict.measured_mbps), required: number(verdict.required_mbps, 0) });
  el('bandwidth-figure').className = ok ? 'good' : 'bad';
  const policy = verdict.policy || room.bandwidth.policy;
  el('bandwidth-meaning').textContent = ok ? t('watch.meaningOk')
    : policy === 'enforce' ? t('watch.meaningRefused') : policy === 'off' ? t('watch.meaningOff') : t('watch.meaningWarn');
  el('bandwidth-retry').hidden = ok;
}

function stop() {
  starts++;
  if (hls) { hls.destroy(); hls = null; }
  video.removeAttribute('src');
  video.load();
  playing = false;
}

/**
 * Which playlist to play, once the server has one: packaging starts at GO LIVE, so the first request may find none (404)
 * for a moment. LL-HLS when the room has it (its first parts come long before the first MPEG-TS segment), else MPEG-TS
 * HLS (rooms packaged as MPEG-TS only). Null when the room stopped being live meanwhile.
 */
async function playlist() {
  for (let attempt = 0; room.live; attempt++) {
    for (const path of [urls().llHls, urls().hls]) {
      try {
        const response = await fetch(withTokens(path), { cache: 'no-store' });
        if (response.ok) return path;
        // The low-latency playlist is coming (the room is going live): wait for it rather than settle for MPEG-TS, whose
        // multivariant playlist answers first. A room without low-latency output answers without Retry-After.
        if (path === urls().llHls && response.headers.get('Retry-After')) break;
      } catch (e) { /* not reachable just now: tried again */ }
    }
    await new Promise(resolve => setTimeout(resolve, attempt < 40 ? 250 : 1000)); // 4 a second for 10 s, then slower
  }
  return null;
}

/** The URLs of what is watched: the chosen input's, or the room's own (the programme). */
function urls() {
  const input = angle && (room.inputs || []).find(i => i.id === angle);
  return input ? input.urls : room.urls;
}

async function start() {
  stop();
  if (!urls().llHls) { setState('refused', 'watch.noHls'); return; }
  if (room.bandwidth.policy === 'enforce' && verdict && verdict.verdict !== 'ok') { setState('refused', 'watch.refused'); return; }
  playing = true;
  const attempt = ++starts;
  const first = await playlist();
  if (attempt !== starts || !first) return; // stopped or restarted meanwhile
  usingFallback = first !== urls().llHls;
  video.dataset.source = first;
  const Hls = window.Hls;
  if (Hls && Hls.isSupported()) {
    hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: CATCH_UP_RATE, liveDurationInfinity: true,
      abrEwmaFastLive: ABR_FAST_HALF_LIFE });
    hls.on(Hls.Events.ERROR, (event, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
      } else if (!usingFallback) {
        usingFallback = true; // LL-HLS failed while playing: MPEG-TS HLS, the widest-supported form
        hls.loadSource(withTokens(urls().hls));
      } else {
        setTimeout(() => { if (room.live && attempt === starts) start(); }, 2000);
      }
    });
    hls.loadSource(withTokens(first));
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = withTokens(first); // Safari: native HLS, low latency included
  } else {
    setState('refused', 'watch.unsupported');
    playing = false;
    return;
  }
  video.muted = true; // browsers let a muted video start by itself; the button turns the sound on
  el('unmute').hidden = false;
  video.play().catch(() => { /* started by the user with the controls */ });
  setState('playing');
}

/**
 * Offers the room's camera angles when it has several inputs: the programme first (the default), then each input, the
 * one on air named; an input that is not live cannot be chosen unless it is the one watched. Redrawn only on a change.
 */
function showAngles() {
  const inputs = room.inputs || [];
  if (angle && !inputs.some(i => i.id === angle)) { angle = null; if (playing) start(); } // the input was removed
  const onAir = inputs.find(i => i.onAir);
  const drawn = JSON.stringify([document.documentElement.lang, angle, inputs.map(i => [i.id, i.publishing, i.onAir])]);
  el('angles').hidden = inputs.length < 2;
  if (drawn === anglesShown) return;
  anglesShown = drawn;
  const focused = document.activeElement && document.activeElement.name === 'angle' ? document.activeElement.value : null;
  const choice = (value, text, disabled) => {
    const label = document.createElement('label');
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'angle';
    radio.value = value;
    radio.checked = (angle || '') === value;
    radio.disabled = disabled;
    radio.addEventListener('change', () => {
      angle = radio.value || null;
      showAngles();
      if (room.live) start();
    });
    label.append(radio, document.createTextNode(text));
    return label;
  };
  el('angle-choices').replaceChildren(
    choice('', onAir ? t('watch.angleProgrammeOnAir', { id: onAir.id }) : t('watch.angleProgramme'), false),
    ...inputs.map(i => choice(i.id, i.publishing ? i.id : t('watch.angleIdle', { id: i.id }), !i.publishing && angle !== i.id)));
  if (focused !== null) {
    const again = [...el('angle-choices').querySelectorAll('input')].find(r => r.value === focused);
    if (again) again.focus();
  }
}

/** The room's state changed (first answer, or an event). */
function update(next) {
  const before = room;
  room = next;
  showAngles();
  el('title').textContent = room.title || room.id;
  document.title = `${room.title || room.id} — ${t('watch.pageTitle')}`;
  if (room.live) {
    if (!playing || state === 'outage') start();
  } else if (room.shown && before && before.live) {
    setState('outage', 'watch.outage'); // the encoder dropped: the server shows the room again when it is back
  } else if (!room.shown && playing) {
    stop();
    setState('paused', 'watch.paused');
  } else if (!playing) {
    setState('waiting', room.shown ? 'watch.waitingEncoder' : 'watch.waiting');
  }
}

function listen() {
  const events = new EventSource(`/api/public/rooms/${encodeURIComponent(roomId)}/events`);
  events.addEventListener('room', e => update(JSON.parse(e.data)));
  events.addEventListener('gone', () => { events.close(); stop(); setState('gone', 'watch.gone'); });
}

function figures() {
  if (!playing || video.hidden) { el('delay').textContent = ''; el('quality').textContent = ''; return; }
  let behind = hls ? hls.latency : NaN;
  if (!Number.isFinite(behind) && video.seekable.length) behind = video.seekable.end(video.seekable.length - 1) - video.currentTime;
  el('delay').textContent = Number.isFinite(behind) && behind > 0 ? t('watch.delay', { seconds: number(behind) }) : '';
  document.body.dataset.delay = Number.isFinite(behind) ? behind.toFixed(2) : '';
  const quality = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
  el('quality').textContent = video.videoHeight ? t('watch.quality', {
    height: video.videoHeight, dropped: quality ? quality.droppedVideoFrames : 0 }) : '';
}

async function main() {
  await useLanguage(chosenLanguage());
  languageSwitch(el('language'), () => { if (room) { anglesShown = ''; update(room); } showVerdict(); });
  el('unmute').addEventListener('click', () => { video.muted = false; el('unmute').hidden = true; video.play().catch(() => {}); });
  el('bandwidth-retry').addEventListener('click', measure);
  const response = await fetch(`/api/public/rooms/${encodeURIComponent(roomId)}`, { cache: 'no-store' });
  if (!response.ok) {
    el('title').textContent = roomId;
    setState('missing', 'watch.missing');
    el('bandwidth-figure').textContent = '';
    return;
  }
  room = await response.json();
  el('title').textContent = room.title || room.id;
  if (room.access === 'token' && !query.get(room.accessParameter)) {
    setState('refused', 'watch.needsAccess');
  } else {
    setState('waiting', 'watch.waiting');
  }
  await measure();
  if (state !== 'refused') {
    room.live = false; // the events' first message starts playback when the room is live
    listen();
  }
  setInterval(figures, 1000);
}

main().catch(e => { setState('missing', 'watch.error', { reason: e.message }); });
