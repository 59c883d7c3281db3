#!/usr/bin/env node
// Drives the console and the watch page of a room with two inputs (main, cam2) in Debian's headless Chromium
// (playwright-core) and prints one line of JSON with what it saw. The test publishes both inputs before starting it.
//
//   node angles.js --base http://127.0.0.1:8080 --token ADMIN_TOKEN --room angles --screenshots DIR --handshake DIR
//
// 1. the console's room page lists both inputs, the one on air marked; GO LIVE, and the room's recording is listed;
// 2. the watch page offers "Programme / main / cam2", plays the programme, then cam2 when it is chosen (frames advance);
// 3. "Put on air" for cam2 in the console switches the programme: the console marks cam2 on air, its events list the
//    switch, and the watch page's programme choice names cam2;
// 4. the console adds an input cam3 (a backup, its key made by the server), gives it a new key, and writes that key to
//    HANDSHAKE/cam3.json; once the test's encoder publishes with it, "Put on air" for cam3 switches the programme, and
//    "Remove" for cam3 (confirmed) removes it: the programme goes back to another input;
// 5. both pages in French.
// axe-core checks every state for serious or critical accessibility violations; a screenshot of each is saved.
//
// Exit status 0 with the figures, 1 with {"error": ...}. Dependencies as pages.js.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const { chromium } = require(require.resolve('playwright-core', { paths: [__dirname] }));
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js', { paths: [__dirname] }), 'utf8');

function options(argv) {
  const o = { base: null, token: '', room: 'angles', screenshots: null, handshake: null, chromium: '/usr/bin/chromium',
    timeout: 30 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--base') o.base = argv[++i];
    else if (a === '--token') o.token = argv[++i];
    else if (a === '--room') o.room = argv[++i];
    else if (a === '--screenshots') o.screenshots = argv[++i];
    else if (a === '--handshake') o.handshake = argv[++i];
    else if (a === '--chromium') o.chromium = argv[++i];
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else throw new Error('unknown argument ' + a);
  }
  if (!o.base || !o.screenshots || !o.handshake) throw new Error('--base, --screenshots and --handshake are required');
  return o;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
  const result = { screenshots: [], console: [], failed: [], axe: {}, dialogs: [] };
  const shot = async (page, name) => {
    const file = path.join(o.screenshots, name + '.png');
    await page.screenshot({ path: file, fullPage: true });
    result.screenshots.push(file);
    await page.evaluate(AXE);
    result.axe[name] = await page.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })));
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
      page.on('dialog', (d) => { result.dialogs.push(d.message()); d.accept(); });
      page.on('response', (r) => { if (r.status() >= 400) result.failed.push(`${name}: ${r.status()} ${new URL(r.url()).pathname}`); });
    };
    const t = o.timeout * 1000;
    const room = encodeURIComponent(o.room);

    // 1. The console's room page: both inputs, the one on air marked; GO LIVE.
    const console = context.pages()[0] || (await context.newPage());
    listen(console, 'console');
    await console.goto(`${o.base}/console/`);
    await console.getByLabel('Admin token').fill(o.token);
    await console.getByRole('button', { name: 'Sign in' }).click();
    await console.locator('#rooms').waitFor({ state: 'visible', timeout: t });
    await console.goto(`${o.base}/console/#/rooms/${room}`);
    await console.locator('#inputs').waitFor({ state: 'visible', timeout: t });
    await console.waitForFunction(() => document.querySelectorAll('#inputs-body tr[data-on-air="true"]').length === 1,
      null, { timeout: t });
    result.inputs = await console.locator('#inputs-body tr').evaluateAll((rows) => rows.map((tr) => ({
      id: tr.dataset.key, onAir: tr.dataset.onAir === 'true', text: tr.textContent })));
    await console.getByRole('button', { name: 'GO LIVE' }).click();
    await console.waitForFunction(() => document.getElementById('room-state').textContent === 'Live', null, { timeout: t });
    await console.locator('#recordings-body tr').first().waitFor({ state: 'attached', timeout: t });
    result.recordings = await console.locator('#recordings-body tr').evaluateAll((rows) => rows.map((tr) => tr.textContent));
    await shot(console, 'angles-console');

    // 2. The watch page: the programme first, then cam2.
    const watch = await context.newPage();
    listen(watch, 'watch');
    await watch.goto(`${o.base}/watch/${room}`);
    const playingFrames = () => watch.evaluate(() => {
      const v = document.getElementById('video');
      return { state: document.body.dataset.state, source: v.dataset.source || '', time: v.currentTime,
        frames: v.getVideoPlaybackQuality().totalVideoFrames };
    });
    await watch.waitForFunction(() => document.body.dataset.state === 'playing' && document.getElementById('video').currentTime > 0.5,
      null, { timeout: t });
    result.angleLabels = await watch.locator('#angle-choices label').allTextContents();
    result.programmeChecked = await watch.getByLabel('Programme', { exact: false }).isChecked();
    result.programmeSource = (await playingFrames()).source;
    await shot(watch, 'angles-watch-programme');
    await watch.getByLabel('cam2', { exact: true }).check();
    await watch.waitForFunction(() => document.body.dataset.state === 'playing'
      && (document.getElementById('video').dataset.source || '').includes('/cam2/')
      && document.getElementById('video').currentTime > 0.5, null, { timeout: t });
    const first = await playingFrames();
    await sleep(3000);
    const last = await playingFrames();
    result.cam2Source = last.source;
    result.cam2FramesAdvanced = last.frames - first.frames;
    result.cam2TimeAdvanced = last.time - first.time;
    await shot(watch, 'angles-watch-cam2');

    // 3. The console puts cam2 on air.
    await console.getByRole('button', { name: 'Put on air: cam2' }).click();
    await console.waitForFunction(() => {
      const row = document.querySelector('#inputs-body tr[data-key="cam2"]');
      return row && row.dataset.onAir === 'true';
    }, null, { timeout: t });
    result.switchNotice = await console.locator('#notice').textContent();
    await console.waitForFunction(() => !!document.querySelector('#events-list li[data-type="program_switched"]'), null,
      { timeout: t });
    result.switchEvent = await console.locator('#events-list li[data-type="program_switched"]').first()
      .evaluate((li) => li.lastChild.textContent);
    await watch.waitForFunction(() => /cam2/.test(document.querySelector('#angle-choices label').textContent), null,
      { timeout: t });
    result.programmeLabelAfter = await watch.locator('#angle-choices label').first().textContent();
    await shot(console, 'angles-console-switched');

    // 4. The console adds cam3, gives it a new key, puts it on air once it publishes, and removes it.
    const row = (id) => console.locator(`#inputs-body tr[data-key="${id}"]`);
    const keyOfRow = (id) => row(id).locator('td.key').textContent();
    await console.getByText('Add an input').click();
    await console.getByLabel('Input id').fill('cam3');
    await console.getByLabel('Role', { exact: true }).selectOption('backup');
    await shot(console, 'angles-console-add-input');
    await console.getByRole('button', { name: 'Add input' }).click();
    await row('cam3').waitFor({ state: 'attached', timeout: t });
    result.addNotice = await console.locator('#notice').textContent();
    result.addedKey = await keyOfRow('cam3');
    await console.getByRole('button', { name: 'New key: cam3' }).click();
    await console.waitForFunction((old) => {
      const cell = document.querySelector('#inputs-body tr[data-key="cam3"] td.key');
      return cell && cell.textContent !== old;
    }, result.addedKey, { timeout: t });
    result.rotateNotice = await console.locator('#notice').textContent();
    result.rotatedKey = await keyOfRow('cam3');
    fs.writeFileSync(path.join(o.handshake, 'cam3.json.tmp'), JSON.stringify({ key: result.rotatedKey }));
    fs.renameSync(path.join(o.handshake, 'cam3.json.tmp'), path.join(o.handshake, 'cam3.json'));
    await console.waitForFunction(() => {
      const tr = document.querySelector('#inputs-body tr[data-key="cam3"]');
      return tr && tr.dataset.publishing === 'true';
    }, null, { timeout: 60000 });
    await console.getByRole('button', { name: 'Put on air: cam3' }).click();
    await console.waitForFunction(() => {
      const tr = document.querySelector('#inputs-body tr[data-key="cam3"]');
      return tr && tr.dataset.onAir === 'true';
    }, null, { timeout: t });
    result.cam3SwitchNotice = await console.locator('#notice').textContent();
    await shot(console, 'angles-console-cam3');
    await console.getByRole('button', { name: 'Remove: cam3' }).click();
    await row('cam3').waitFor({ state: 'detached', timeout: t });
    result.removeNotice = await console.locator('#notice').textContent();
    await console.waitForFunction(() => document.querySelectorAll('#inputs-body tr[data-on-air="true"]').length === 1, null,
      { timeout: t });
    result.onAirAfterRemoval = await console.locator('#inputs-body tr[data-on-air="true"]').getAttribute('data-key');
    await console.waitForFunction(() => !!document.querySelector('#events-list li[data-type="input_removed"]'), null,
      { timeout: t });
    result.inputEvents = await console.locator('#events-list li').evaluateAll((items) => items
      .filter((li) => /^(input_|key_rotated)/.test(li.dataset.type)).map((li) => li.lastChild.textContent));

    // 5. French.
    await console.getByRole('button', { name: 'Français' }).click();
    await console.waitForFunction(() => document.documentElement.lang === 'fr', null, { timeout: t });
    await console.waitForFunction(() => /PASSER EN DIRECT/.test(document.getElementById('events-list').textContent), null,
      { timeout: t });
    result.frenchEvents = await console.locator('#events-list li').evaluateAll((items) => items.map((li) => li.lastChild.textContent));
    await shot(console, 'angles-console-fr');
    await watch.getByRole('button', { name: 'Français' }).click();
    await watch.waitForFunction(() => document.documentElement.lang === 'fr'
      && document.querySelector('#angles legend').textContent === 'Caméra', null, { timeout: t });
    result.frenchAngleLabels = await watch.locator('#angle-choices label').allTextContents();
    await shot(watch, 'angles-watch-fr');

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
