#!/usr/bin/env node
// Plays an HLS playlist with hls.js in Debian's headless Chromium (driven by playwright-core) and prints
// one line of JSON: whether playback started and kept going, and how far behind the encoder the viewer was.
//
//   node play.js --url http://127.0.0.1:8080/hls/demo/ll.m3u8 --epoch 1767225600000
//
// --url           the playlist (the page is served from another origin here, so CORS is exercised too)
// --no-low-latency  turn hls.js lowLatencyMode off (it is on by default, as in hls.js; it only matters for
//                 playlists with parts); otherwise hls.js defaults throughout
// --catch-up R    hls.js maxLiveSyncPlaybackRate: play up to R times as fast while behind the target latency
//                 (hls.js's default 1 never catches up: where playback starts, it stays)
// --abr-fast-half-life S  hls.js abrEwmaFastLive: the half-life, in seconds of loading, of the bandwidth estimate
//                 that moves a live viewer down (hls.js's default 3; the product's watch page uses 0.5)
// --epoch         epoch ms the publisher's burnt-in clock counts from (see player.js); 0: none
// --seconds       how long to sample once playing (20)
// --start-timeout how long to wait for playback to start, seconds (30)
// --chromium      the browser (/usr/bin/chromium)
// --seek F        a video on demand: once playing, seek to F (0 to 1) of its duration (a live stream: of its
//                 seekable range), then sample --seconds;
//                 the result's "seek" has the first frames read before and after (clock and media time)
// --started-file  written (empty) once sampling starts, so a test can act on the stream while the page plays
// --levels-file   rewritten four times a second while sampling with the JSON array of hls.js's quality switches
//                 so far ({at, level, height, bitrate}), so a test can wait for one
// --stop-file     sampling ends early once this file exists (--seconds is then an upper bound)
// EXTRA_CHROMIUM_FLAGS (environment, space-separated) adds browser flags, for experiments
// EXTRA_HLS_CONFIG (environment, a JSON object) adds hls.js settings over the others, for experiments
//
// The result's "abr" lists, once playing, what hls.js's quality choice saw and did (the last 600 events): epoch ms,
// the event (level/sequence number of a segment), the buffer ahead, the position and hls.js's bandwidth estimate.
//
// Exit status 0 with the figures, 1 with {"error": ...} when the page could not play or the browser failed.
// Its own dependencies (hls.js, playwright-core, pinned by package-lock.json) are installed into this folder with
// `npm ci` on first use; without npm it says what to install and exits 1.
'use strict';

const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const childProcess = require('child_process');

/** The pinned dependencies, installed next to this script (npm ci) when they are missing. */
function dependencies() {
  const resolvable = () => {
    try {
      require.resolve('playwright-core', { paths: [__dirname] });
      require.resolve('hls.js/dist/hls.min.js', { paths: [__dirname] });
      return true;
    } catch (e) {
      return false;
    }
  };
  if (!resolvable()) {
    process.stderr.write('play.js: installing its dependencies (npm ci in ' + __dirname + ')...\n');
    // npm's output goes to stderr: stdout carries only the result line.
    const npm = childProcess.spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['ci', '--no-audit', '--no-fund'], { cwd: __dirname, stdio: ['ignore', 2, 2] });
    if (npm.error || npm.status !== 0 || !resolvable()) {
      const why = npm.error ? npm.error.code === 'ENOENT' ? 'npm is not installed' : npm.error.message
        : 'npm ci exited with ' + npm.status;
      const hint = 'play.js needs its dependencies: install Node.js and npm, then run `npm ci` in ' + __dirname
        + ' (' + why + ')';
      process.stderr.write(hint + '\n');
      process.stdout.write(JSON.stringify({ error: hint }) + '\n');
      process.exit(1);
    }
  }
  return require(require.resolve('playwright-core', { paths: [__dirname] }));
}

const { chromium } = dependencies();

function options(argv) {
  const o = { url: null, lowLatency: true, catchUp: 1, abrFastHalfLife: null, epoch: 0, seconds: 20, startTimeout: 30, chromium: '/usr/bin/chromium',
    seek: null,
    startedFile: null, levelsFile: null, stopFile: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--low-latency') o.lowLatency = true;
    else if (a === '--no-low-latency') o.lowLatency = false;
    else if (a === '--url') o.url = argv[++i];
    else if (a === '--catch-up') o.catchUp = Number(argv[++i]);
    else if (a === '--abr-fast-half-life') o.abrFastHalfLife = Number(argv[++i]);
    else if (a === '--epoch') o.epoch = Number(argv[++i]);
    else if (a === '--seconds') o.seconds = Number(argv[++i]);
    else if (a === '--start-timeout') o.startTimeout = Number(argv[++i]);
    else if (a === '--chromium') o.chromium = argv[++i];
    else if (a === '--seek') o.seek = Number(argv[++i]);
    else if (a === '--started-file') o.startedFile = argv[++i];
    else if (a === '--levels-file') o.levelsFile = argv[++i];
    else if (a === '--stop-file') o.stopFile = argv[++i];
    else throw new Error('unknown argument ' + a);
  }
  if (!o.url) throw new Error('--url is required');
  return o;
}

/** Serves the page, its script and hls.js from node_modules on a loopback ephemeral port. */
function pageServer() {
  const files = {
    '/player.html': [path.join(__dirname, 'player.html'), 'text/html'],
    '/player.js': [path.join(__dirname, 'player.js'), 'text/javascript'],
    '/hls.js': [require.resolve('hls.js/dist/hls.min.js', { paths: [__dirname] }), 'text/javascript'],
  };
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname];
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
    fs.createReadStream(file[0]).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function summary(values) {
  const round = (v) => (v === null ? null : Math.round(v));
  return { n: values.length, p50: round(percentile(values, 0.5)), p90: round(percentile(values, 0.9)),
    min: round(percentile(values, 0)), max: round(values.length ? Math.max(...values) : null) };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Seeks a video on demand to o.seek of its duration once frames with a readable clock were presented: the first
 * frames read before the seek and the first presented after it ended ({encoder, mediaTime}), with the duration and
 * the target.
 */
async function seek(page, o) {
  const readBy = Date.now() + o.startTimeout * 1000;
  while ((await page.evaluate(() => harness.frames.length)) < 5) {
    if (Date.now() > readBy) throw new Error('no frame with a readable clock before the seek');
    await sleep(100);
  }
  const target = await page.evaluate((f) => {
    const v = document.getElementById('video');
    harness.seekRequestedAt = Date.now();
    harness.seekedAt = null;
    if (Number.isFinite(v.duration)) {
      v.currentTime = v.duration * f;
      return { duration: v.duration, target: v.duration * f };
    }
    // A live stream (a DVR window): f of its seekable range, from the oldest media the player may seek to.
    const start = v.seekable.start(0);
    const end = v.seekable.end(v.seekable.length - 1);
    v.currentTime = start + (end - start) * f;
    return { duration: end - start, target: start + (end - start) * f, start };
  }, o.seek);
  const seekedBy = Date.now() + o.startTimeout * 1000;
  let after = [];
  while (after.length < 5) {
    if (Date.now() > seekedBy) throw new Error('no frame with a readable clock after the seek');
    await sleep(100);
    // From the seek's end: a frame already on its way to the screen when the seek was asked is not after it.
    after = await page.evaluate(() => harness.frames.filter((f) => harness.seekedAt !== null
      && f.display >= harness.seekedAt));
  }
  const before = await page.evaluate(() => harness.frames.filter((f) => f.display < harness.seekRequestedAt));
  return { ...target, seekMs: (await page.evaluate(() => harness.seekedAt - harness.seekRequestedAt)),
    before: before.slice(0, 5), after: after.slice(0, 5) };
}

async function main() {
  const o = options(process.argv.slice(2));
  const server = await pageServer();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxrelay-chromium-'));
  let context = null;
  const stop = async () => {
    if (context) await context.close().catch(() => {});
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  process.on('SIGTERM', () => stop().finally(() => process.exit(143)));
  try {
    // Flags as on this machine's kind: no sandbox (root), no GPU, and no background connections to Google
    // hosts the closed network refuses. launchPersistentContext takes the fresh, empty profile directory.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: o.chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...(process.env.EXTRA_CHROMIUM_FLAGS ? process.env.EXTRA_CHROMIUM_FLAGS.split(' ') : [])],
    });
    const page = context.pages()[0] || (await context.newPage());
    const console = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.push(m.text()); });
    page.on('pageerror', (e) => console.push('pageerror: ' + e.message));
    const pageUrl = `http://127.0.0.1:${server.address().port}/player.html?` + new URLSearchParams({
      src: o.url, lowLatency: o.lowLatency ? '1' : '0', catchUp: String(o.catchUp), epoch: String(o.epoch),
      hlsConfig: JSON.stringify({ ...(o.abrFastHalfLife === null ? {} : { abrEwmaFastLive: o.abrFastHalfLife }),
        ...JSON.parse(process.env.EXTRA_HLS_CONFIG || '{}') }) });
    await page.goto(pageUrl);
    const env = await page.evaluate(() => ({ supported: harness.supported, h264: harness.h264,
      userAgent: navigator.userAgent, hlsVersion: Hls.version }));
    const result = { url: o.url, lowLatency: o.lowLatency, maxLiveSyncPlaybackRate: o.catchUp, browser: context.browser() ? context.browser().version() : env.userAgent,
      hlsVersion: env.hlsVersion, mseSupported: env.supported, h264: env.h264 };
    if (!env.supported || !env.h264) {
      throw Object.assign(new Error('this Chromium cannot play H.264 through Media Source Extensions'), { result });
    }

    const startBy = Date.now() + o.startTimeout * 1000;
    let first = null;
    while (Date.now() < startBy) {
      const s = await page.evaluate(() => ({ ...sample(), playingAt: harness.playingAt,
        fatal: harness.errors.find((e) => e.fatal) || null }));
      if (s.fatal) throw Object.assign(new Error('hls.js fatal error: ' + JSON.stringify(s.fatal)), { result });
      if (s.playingAt !== null && s.currentTime > 0) {
        first = s;
        break;
      }
      await sleep(100);
    }
    if (!first) throw Object.assign(new Error(`playback did not start within ${o.startTimeout} s`), { result });
    result.startupMs = first.playingAt - (await page.evaluate(() => performance.timeOrigin));
    if (o.seek !== null) {
      result.seek = await seek(page, o);
    }

    // Sample the player's own figures four times a second; the burnt-in clock is read on every frame.
    const samples = [];
    const from = Date.now();
    await page.evaluate(() => { harness.frames = []; harness.unreadable = 0; harness.waiting = 0;
      harness.longestStallMs = 0; harness.longestStallAt = null; harness.longestWaitingMs = 0; harness.colours = harness.colours.slice(-1); });
    if (o.startedFile) fs.writeFileSync(o.startedFile, '');
    while (Date.now() - from < o.seconds * 1000 && !(o.stopFile && fs.existsSync(o.stopFile))) {
      samples.push(await page.evaluate(() => sample()));
      if (o.levelsFile) {
        const levels = JSON.stringify(await page.evaluate(() => harness.levels));
        fs.writeFileSync(o.levelsFile + '.tmp', levels);
        fs.renameSync(o.levelsFile + '.tmp', o.levelsFile);
      }
      await sleep(250);
    }
    const h = await page.evaluate(() => ({ levels: harness.levels, manifestLevels: harness.manifestLevels, frames: harness.frames, unreadable: harness.unreadable,
      waiting: harness.waiting, errors: harness.errors, trace: harness.trace, abr: harness.abr, longestStallMs: harness.longestStallMs,
      longestStallAt: harness.longestStallAt, longestWaitingMs: harness.longestWaitingMs, colours: harness.colours }));
    const last = samples[samples.length - 1];
    const encoderLag = h.frames.map((f) => f.display - f.encoder);
    const secondHalf = samples[0].now + (last.now - samples[0].now) / 2;
    const settledLag = h.frames.filter((f) => f.display >= secondHalf).map((f) => f.display - f.encoder);
    const pdtLag = samples.filter((s) => s.playingDate !== null).map((s) => s.now - s.playingDate);
    const hlsLatency = samples.filter((s) => s.hlsLatency !== null).map((s) => s.hlsLatency * 1000);
    // A stall: the position stood still between two samples while playing.
    let stalls = 0;
    for (let i = 1; i < samples.length; i++) {
      if (!samples[i].paused && samples[i].currentTime === samples[i - 1].currentTime) stalls++;
    }
    Object.assign(result, {
      sampledSeconds: (last.now - samples[0].now) / 1000,
      currentTimeAdvanced: last.currentTime - samples[0].currentTime,
      framesPresented: last.totalFrames - samples[0].totalFrames,
      framesDropped: last.droppedFrames - samples[0].droppedFrames,
      clockFramesRead: h.frames.length,
      clockFramesUnreadable: h.unreadable,
      stalledSamples: stalls,
      waitingEvents: h.waiting,
      longestStallMs: Math.round(h.longestStallMs),
      longestStallAt: h.longestStallAt,
      longestWaitingMs: Math.round(h.longestWaitingMs),
      colours: h.colours,
      levelSwitches: h.levels,
      manifestLevels: h.manifestLevels,
      targetLatencyMs: last.targetLatency === null ? null : Math.round(last.targetLatency * 1000),
      behindEncoderMs: summary(encoderLag),
      behindEncoderSecondHalfMs: summary(settledLag),
      behindProgramDateTimeMs: summary(pdtLag),
      hlsLatencyMs: summary(hlsLatency),
      playbackRate: last.playbackRate,
      bufferedAheadMs: Math.round(last.bufferedAhead * 1000),
      errors: h.errors,
      console: console.slice(0, 20),
      trace: h.trace,
      abr: h.abr,
    });
    process.stdout.write(JSON.stringify(result) + '\n');
    await stop();
    return 0;
  } catch (e) {
    process.stdout.write(JSON.stringify({ ...(e.result || {}), error: e.message }) + '\n');
    await stop();
    return 1;
  }
}

main().then((code) => process.exit(code), (e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
