#!/usr/bin/env node
// Drives the server's own console and watch page in Debian's headless Chromium (playwright-core), as an organiser
// and an attendee would, and prints one line of JSON with what it saw and timed.
//
//   node pages.js --base http://127.0.0.1:8080 --token ADMIN_TOKEN --room webtest --handshake DIR --screenshots DIR
//
// 1. the console: sign in with the admin token, create the room, read its FMS URL and stream key from the page;
// 2. writes DIR/key.json ({fms, key}) and waits for DIR/published (the test starts the encoder with that key);
// 3. opens the watch page: it must show the waiting screen and the bandwidth figure;
// 4. presses GO LIVE in the console and times until the watch page plays by itself, then checks that frames advance
//    and reads the delay behind live the page shows; the console's recent events list the publish and GO LIVE;
// 5. switches the console to French, opens the watch page in French;
// 6. makes a new key in the console (the encoder is ended: the watch page shows the outage), writes DIR/rotated.json,
//    waits for DIR/republished and checks that the watch page resumes by itself.
// axe-core checks every state for serious or critical accessibility violations, and a screenshot of each is saved in
// --screenshots.
//
// Exit status 0 with the figures, 1 with {"error": ...}. Dependencies as play.js (package-lock.json, npm ci).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const { chromium } = require(require.resolve('playwright-core', { paths: [__dirname] }));
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js', { paths: [__dirname] }), 'utf8');

function options(argv) {
  const o = { base: null, token: '', room: 'webtest', handshake: null, screenshots: null, chromium: '/usr/bin/chromium',
    timeout: 30 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--base') o.base = argv[++i];
    else if (a === '--token') o.token = argv[++i];
    else if (a === '--room') o.room = argv[++i];
    else if (a === '--handshake') o.handshake = argv[++i];
    else if (a === '--screenshots') o.screenshots = argv[++i];
    else if (a === '--chromium') o.chromium = argv[++i];
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else throw new Error('unknown argument ' + a);
  }
  if (!o.base || !o.handshake || !o.screenshots) throw new Error('--base, --handshake and --screenshots are required');
  return o;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForFile(file, seconds) {
  const by = Date.now() + seconds * 1000;
  while (Date.now() < by) {
    if (fs.existsSync(file)) return;
    await sleep(100);
  }
  throw new Error(`${path.basename(file)} did not appear within ${seconds} s`);
}

async function main() {
  const o = options(process.argv.slice(2));
  fs.mkdirSync(o.screenshots, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxrelay-chromium-'));
  let context = null;
  const stop = async () => {
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  process.on('SIGTERM', () => stop().finally(() => process.exit(143)));
  const result = { screenshots: [], console: [], failed: [], hlsRequests: [], axe: {} };
  let wentLive = 0;
  const shot = async (page, name) => {
    const file = path.join(o.screenshots, name + '.png');
    await page.screenshot({ path: file, fullPage: true });
    result.screenshots.push(file);
    // axe-core runs in the page through the DevTools protocol (the page's CSP would refuse an injected script tag).
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })));
    result.axe[name] = violations;
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: o.chromium,
      headless: true,
      locale: 'en-GB',
      viewport: { width: 1100, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    const listen = (page, name) => {
      page.on('console', (m) => { if (m.type() === 'error') result.console.push(`${name}: ${m.text()}`); });
      page.on('pageerror', (e) => result.console.push(`${name}: pageerror: ${e.message}`));
      page.on('dialog', (d) => d.accept());
      page.on('response', (r) => {
        const url = new URL(r.url());
        if (r.status() >= 400) result.failed.push(`${name}: ${r.status()} ${url.pathname}`);
        if (url.pathname.startsWith('/hls/') && wentLive && result.hlsRequests.length < 12) {
          result.hlsRequests.push(`${Date.now() - wentLive} ms ${r.status()} ${url.pathname}${url.search}`);
        }
      });
    };
    const t = o.timeout * 1000;

    // 1. The console: sign in, create the room, read the key.
    const console = context.pages()[0] || (await context.newPage());
    listen(console, 'console');
    await console.goto(`${o.base}/console/`);
    await console.locator('#sign-in').waitFor({ state: 'visible', timeout: t });
    await shot(console, 'console-sign-in');
    await console.getByLabel('Admin token').fill(o.token);
    await console.getByRole('button', { name: 'Sign in' }).click();
    await console.locator('#rooms').waitFor({ state: 'visible', timeout: t });
    await console.getByRole('link', { name: 'New room' }).click();
    await console.getByLabel('Room id (in the viewer URLs)').fill(o.room);
    await console.getByLabel('Title', { exact: true }).fill('Web test room');
    await console.getByRole('button', { name: 'Save' }).click();
    await console.locator('#room').waitFor({ state: 'visible', timeout: t });
    await console.waitForFunction(() => document.getElementById('stream-key').value.length > 0, null, { timeout: t });
    const fms = await console.getByLabel('Server (FMS URL)').inputValue();
    const key = await console.getByLabel('Stream key', { exact: true }).inputValue();
    result.fms = fms;
    result.keyLength = key.length;
    result.obsTextHasKey = (await console.locator('#obs-text').textContent()).includes(key);
    await shot(console, 'console-room');

    // 2. The test publishes with that key.
    fs.writeFileSync(path.join(o.handshake, 'key.json'), JSON.stringify({ fms, key }));
    await waitForFile(path.join(o.handshake, 'published'), o.timeout);

    // 3. The watch page waits, its connection measured.
    const watch = await context.newPage();
    listen(watch, 'watch');
    await watch.goto(`${o.base}/watch/${encodeURIComponent(o.room)}`);
    await watch.waitForFunction(() => document.body.dataset.state === 'waiting'
      && /required/.test(document.getElementById('bandwidth-figure').textContent), null, { timeout: t });
    result.waitingTitle = await watch.locator('#title').textContent();
    result.bandwidthFigure = await watch.locator('#bandwidth-figure').textContent();
    result.waitingMessage = await watch.locator('#screen-message').textContent();
    await sleep(1000); // the events stream is open (the page listens once measured)
    await shot(watch, 'watch-waiting');
    // The console shows the encoder's health once the room view has it.
    await console.locator('#health').waitFor({ state: 'visible', timeout: t });
    result.healthRows = await console.locator('#health-body tr').count();

    // 4. GO LIVE: the watch page plays by itself.
    wentLive = Date.now();
    await console.getByRole('button', { name: 'GO LIVE' }).click();
    await watch.waitForFunction(() => {
      const v = document.getElementById('video');
      return document.body.dataset.state === 'playing' && v.currentTime > 0 && !v.paused;
    }, null, { timeout: t, polling: 50 });
    result.goLiveToPlayingMs = Date.now() - wentLive;
    const sample = () => watch.evaluate(() => {
      const v = document.getElementById('video');
      const q = v.getVideoPlaybackQuality();
      return { currentTime: v.currentTime, frames: q.totalVideoFrames, delay: document.body.dataset.delay,
        delayText: document.getElementById('delay').textContent, muted: v.muted };
    });
    const first = await sample();
    await sleep(4000);
    const last = await sample();
    result.currentTimeAdvanced = last.currentTime - first.currentTime;
    result.framesAdvanced = last.frames - first.frames;
    result.delaySeconds = last.delay === '' ? null : Number(last.delay);
    result.delayText = last.delayText;
    await shot(watch, 'watch-playing');
    await console.waitForFunction(() => document.getElementById('room-state').textContent === 'Live', null, { timeout: t });
    await console.waitForFunction(() => document.getElementById('preview').currentTime > 0.5, null, { timeout: t });
    result.previewPlaying = true;
    // The room's recent events show the encoder's publish and GO LIVE, newest first.
    await console.waitForFunction(() => {
      const types = [...document.querySelectorAll('#events-list li')].map((li) => li.dataset.type);
      return types.includes('publish_started') && types.includes('live');
    }, null, { timeout: t });
    result.events = await console.locator('#events-list li').evaluateAll((items) => items.map((li) => ({
      type: li.dataset.type, text: li.textContent })));
    await shot(console, 'console-live');

    // 5. The switch to French.
    await console.getByRole('button', { name: 'Français' }).click();
    await console.waitForFunction(() => document.documentElement.lang === 'fr', null, { timeout: t });
    result.frenchGoLive = await console.locator('#go-live').textContent();
    await shot(console, 'console-live-fr');
    const french = await context.newPage();
    listen(french, 'watch-fr');
    await french.goto(`${o.base}/watch/${encodeURIComponent(o.room)}?lang=fr`);
    await french.waitForFunction(() => document.body.dataset.state === 'playing'
      && /requis/.test(document.getElementById('bandwidth-figure').textContent), null, { timeout: t });
    result.frenchBandwidthFigure = await french.locator('#bandwidth-figure').textContent();
    await shot(french, 'watch-playing-fr');
    await french.close();

    // 6. A new key in the console ends the encoder: the watch page says the stream was interrupted; the test publishes
    //    with the new key (DIR/rotated.json, then DIR/republished) and the watch page resumes by itself.
    await console.getByRole('button', { name: 'English' }).click();
    await console.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: t });
    await console.getByRole('button', { name: 'New key', exact: true }).click();
    await console.waitForFunction((old) => {
      const now = document.getElementById('stream-key').value;
      return now.length > 0 && now !== old;
    }, key, { timeout: t });
    const newKey = await console.getByLabel('Stream key', { exact: true }).inputValue();
    await watch.waitForFunction(() => document.body.dataset.state === 'outage', null, { timeout: t });
    result.outageMessage = await watch.locator('#screen-message').textContent();
    await shot(watch, 'watch-outage');
    fs.writeFileSync(path.join(o.handshake, 'rotated.json'), JSON.stringify({ fms, key: newKey }));
    await waitForFile(path.join(o.handshake, 'republished'), o.timeout);
    const resumedFrom = Date.now();
    await watch.waitForFunction(() => document.body.dataset.state === 'playing', null, { timeout: t, polling: 50 });
    const resumedAt = (await sample()).currentTime;
    await watch.waitForFunction((at) => document.getElementById('video').currentTime > at + 1, resumedAt,
      { timeout: t, polling: 50 });
    result.resumedAfterMs = Date.now() - resumedFrom;
    await shot(watch, 'watch-resumed');

    process.stdout.write(JSON.stringify(result) + '\n');
    await stop();
    return 0;
  } catch (e) {
    process.stdout.write(JSON.stringify({ ...result, error: e.message }) + '\n');
    await stop();
    return 1;
  }
}

main().then((code) => process.exit(code), (e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
