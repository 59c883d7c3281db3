// Runs in the page: plays ?src= with hls.js (lowLatencyMode as ?lowLatency=1 says, maxLiveSyncPlaybackRate
// as ?catchUp= says, any setting in the JSON object ?hlsConfig= as it says, every other setting hls.js's default)
// and keeps what play.js samples in window.harness.
//
// The publisher burns the wall-clock time at which it made each frame into the picture's top 64 rows:
// BITS cells of 32x32 pixels, bit k of (ms since ?epoch=) white in row 0 and the inverse in row 1, so a
// cell read wrongly (compression, scaling) shows up as a pair that does not disagree and the frame is not
// counted. Each presented frame is read back from a canvas; its age at presentation is how far behind the
// encoder the viewer sees.
'use strict';

const BITS = 20;
const CELL = 32;
const params = new URLSearchParams(location.search);
const src = params.get('src');
const lowLatency = params.get('lowLatency') === '1';
const epoch = Number(params.get('epoch'));
const catchUp = Number(params.get('catchUp') || '1');
const hlsConfig = JSON.parse(params.get('hlsConfig') || '{}');

const harness = {
  supported: typeof Hls !== 'undefined' && Hls.isSupported(),
  h264: typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported('video/mp4; codecs="avc1.64001f"'),
  errors: [],
  waiting: 0,
  playingAt: null,
  frames: [], // {display: epoch ms, encoder: epoch ms, mediaTime}
  seekRequestedAt: null, // epoch ms of a seek play.js asked for (--seek), and when the video said it was done
  seekedAt: null,
  unreadable: 0,
  hls: null,
  trace: [], // the first hls.js and media events, ms since navigation: how playback got started
  longestStallMs: 0, // the longest the position stood still while playing (not paused), once playback started
  longestStallAt: null, // the position (currentTime) it stood still at
  longestWaitingMs: 0, // the longest from a 'waiting' event to the next 'playing', once playback started
  colours: [], // without ?epoch=: each change of the picture between 'red' and 'other', {colour, mediaTime}
  abr: [], // once playing, what hls.js's quality choice saw and did (the last 600): ms since epoch, event, buffer ahead
  levels: [], // each quality hls.js switched to (LEVEL_SWITCHED): {at: epoch ms, level, height, bitrate}
  manifestLevels: [], // the qualities the multivariant playlist offered (MANIFEST_PARSED): {height, bitrate}
};

function note(what) {
  if (harness.trace.length < 60) {
    harness.trace.push(Math.round(performance.now()) + ' ' + what);
  }
}
window.harness = harness;

/** Keeps one quality-choice event with the buffer ahead and hls.js's bandwidth estimate at that moment. */
function abr(what) {
  if (harness.playingAt === null) {
    return;
  }
  const ahead = video.buffered.length ? video.buffered.end(video.buffered.length - 1) - video.currentTime : 0;
  const estimate = harness.hls ? Math.round(harness.hls.bandwidthEstimate / 1000) : null;
  harness.abr.push(`${Date.now()} ${what} ahead=${ahead.toFixed(2)} t=${video.currentTime.toFixed(2)} bw=${estimate}k`);
  if (harness.abr.length > 600) {
    harness.abr.shift();
  }
}

const video = document.getElementById('video');
const canvas = document.createElement('canvas');
canvas.width = BITS * CELL;
canvas.height = 2 * CELL;
const ctx = canvas.getContext('2d', { willReadFrequently: true });

function luma(data, x, y) {
  const i = (y * canvas.width + x) * 4;
  return (data[i] + data[i + 1] + data[i + 2]) / 3;
}

/** The encoder's clock in the presented frame, epoch ms; null if the strip does not read cleanly. */
function readClock() {
  if (video.videoWidth !== BITS * CELL) {
    return null;
  }
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height, 0, 0, canvas.width, canvas.height);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let value = 0;
  for (let k = 0; k < BITS; k++) {
    const x = k * CELL + CELL / 2;
    const bit = luma(data, x, CELL / 2);
    const inverse = luma(data, x, CELL + CELL / 2);
    if (Math.abs(bit - inverse) < 96) {
      return null;
    }
    if (bit > inverse) {
      value += 2 ** k;
    }
  }
  // The counter wraps every 2^BITS ms (17 min): take the latest time not after now.
  const span = 2 ** BITS;
  return epoch + value + Math.max(0, Math.floor((Date.now() - epoch - value) / span)) * span;
}

/** 'red' when the presented picture is solid red (a test's backup encoder), else 'other'. */
function readColour() {
  ctx.drawImage(video, 0, 0, video.videoWidth, video.videoHeight, 0, 0, 16, 16);
  const data = ctx.getImageData(0, 0, 16, 16).data;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i < data.length; i += 4) {
    r += data[i];
    g += data[i + 1];
    b += data[i + 2];
  }
  const n = data.length / 4;
  return r / n > 200 && g / n < 60 && b / n < 60 ? 'red' : 'other';
}

function onFrame(now, metadata) {
  if (!epoch && video.videoWidth > 0) {
    const colour = readColour();
    const last = harness.colours[harness.colours.length - 1];
    if (!last || last.colour !== colour) {
      harness.colours.push({ colour, mediaTime: metadata.mediaTime });
    }
  }
  const display = performance.timeOrigin + metadata.expectedDisplayTime;
  const encoder = epoch ? readClock() : null; // no ?epoch=: a stream without the burnt-in clock
  if (encoder === null) {
    harness.unreadable++;
  } else {
    harness.frames.push({ display, encoder, mediaTime: metadata.mediaTime });
  }
  video.requestVideoFrameCallback(onFrame);
}

if (harness.supported) {
  const hls = new Hls({ lowLatencyMode: lowLatency, maxLiveSyncPlaybackRate: catchUp, ...hlsConfig });
  harness.hls = hls;
  hls.on(Hls.Events.ERROR, (event, data) => {
    harness.errors.push({ at: Date.now(), type: data.type, details: data.details, fatal: data.fatal,
      url: data.url || (data.frag && data.frag.url) || null });
    if (data.fatal) {
      hls.destroy();
    }
  });
  hls.on(Hls.Events.LEVEL_LOADED, (e, d) => note(`level loaded: live edge ${d.details.edge.toFixed(3)}, `
    + `target latency ${hls.targetLatency}, liveSyncPosition ${hls.liveSyncPosition}`));
  hls.on(Hls.Events.FRAG_LOADING, (e, d) => note(`loading ${d.part ? 'part ' + d.frag.sn + '.' + d.part.index : 'segment ' + d.frag.sn}`));
  hls.on(Hls.Events.FRAG_LOADED, (e, d) => note(`loaded ${d.part ? 'part ' + d.frag.sn + '.' + d.part.index : 'segment ' + d.frag.sn}`
    + ` start ${(d.part || d.frag).start.toFixed(3)}`));
  hls.on(Hls.Events.BUFFER_APPENDED, () => note('appended; buffered ' + bufferedText() + ', currentTime ' + video.currentTime.toFixed(3)));
  ['loadeddata', 'canplay', 'playing', 'seeking', 'seeked', 'waiting'].forEach((type) =>
    video.addEventListener(type, () => note(`${type} at ${video.currentTime.toFixed(3)}`)));
  hls.on(Hls.Events.FRAG_LOADING, (e, d) => abr(`loading ${d.frag.level}/${d.frag.sn}`));
  hls.on(Hls.Events.FRAG_LOADED, (e, d) => abr(`loaded ${d.frag.level}/${d.frag.sn} ${d.frag.stats.loaded} B in `
    + `${Math.round(d.frag.stats.loading.end - d.frag.stats.loading.start)} ms (first byte `
    + `${Math.round(d.frag.stats.loading.first - d.frag.stats.loading.start)} ms)`));
  hls.on(Hls.Events.FRAG_LOAD_EMERGENCY_ABORTED, (e, d) => abr(`emergency abort ${d.frag.level}/${d.frag.sn}`));
  hls.on(Hls.Events.FRAG_BUFFERED, (e, d) => abr(`buffered ${d.frag.level}/${d.frag.sn}`));
  hls.on(Hls.Events.LEVEL_SWITCHING, (e, d) => abr(`switching to ${d.level}`));
  hls.on(Hls.Events.LEVEL_SWITCHED, (e, d) => abr(`switched to ${d.level}`));
  hls.on(Hls.Events.LEVEL_LOADING, (e, d) => abr(`playlist loading ${d.level}`));
  hls.on(Hls.Events.LEVEL_LOADED, (e, d) => abr(`playlist loaded ${d.level} ${Math.round(d.stats.loading.end - d.stats.loading.start)} ms`));
  hls.on(Hls.Events.ERROR, (e, d) => abr(`error ${d.details}`));
  ['waiting', 'playing'].forEach((type) => video.addEventListener(type, () => abr(type)));
  hls.on(Hls.Events.LEVEL_SWITCHED, (e, d) => {
    const level = hls.levels[d.level];
    harness.levels.push({ at: Date.now(), level: d.level, height: level ? level.height : null,
      bitrate: level ? level.bitrate : null });
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    harness.manifestLevels = hls.levels.map((l) => ({ height: l.height, bitrate: l.bitrate }));
    video.play().catch((e) => harness.errors.push({ at: Date.now(), type: 'play', details: String(e), fatal: true }));
  });
  video.addEventListener('playing', () => {
    if (harness.playingAt === null) {
      harness.playingAt = Date.now();
    }
  });
  video.addEventListener('seeked', () => {
    harness.seekedAt = Date.now();
  });
  let waitingSince = null;
  video.addEventListener('waiting', () => {
    if (harness.playingAt !== null) {
      harness.waiting++;
      waitingSince = performance.now();
    }
  });
  video.addEventListener('playing', () => {
    if (waitingSince !== null) {
      harness.longestWaitingMs = Math.max(harness.longestWaitingMs, performance.now() - waitingSince);
      waitingSince = null;
    }
  });
  // The position is read every 20 ms: a stall is how long it stood still while the video was not paused.
  let still = null;
  setInterval(() => {
    if (harness.playingAt === null || video.paused) {
      still = null;
      return;
    }
    const at = performance.now();
    if (still === null || video.currentTime !== still.time) {
      still = { time: video.currentTime, since: at };
    } else {
      if (at - still.since > harness.longestStallMs) {
        harness.longestStallMs = at - still.since;
        harness.longestStallAt = still.time;
      }
    }
  }, 20);
  video.requestVideoFrameCallback(onFrame);
  hls.loadSource(src);
  hls.attachMedia(video);
}

function bufferedText() {
  const ranges = [];
  for (let i = 0; i < video.buffered.length; i++) {
    ranges.push(video.buffered.start(i).toFixed(3) + '-' + video.buffered.end(i).toFixed(3));
  }
  return ranges.join(',');
}

/** What play.js reads every sample: the player's own view of its position and latency. */
window.sample = () => {
  const hls = harness.hls;
  const quality = video.getVideoPlaybackQuality();
  const date = hls && hls.playingDate;
  return {
    now: Date.now(),
    currentTime: video.currentTime,
    paused: video.paused,
    playingDate: date ? date.getTime() : null,
    hlsLatency: hls ? hls.latency : null,
    targetLatency: hls ? hls.targetLatency : null,
    bufferedAhead: video.buffered.length ? video.buffered.end(video.buffered.length - 1) - video.currentTime : 0,
    playbackRate: video.playbackRate,
    totalFrames: quality.totalVideoFrames,
    droppedFrames: quality.droppedVideoFrames,
  };
};
