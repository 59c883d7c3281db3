#!/usr/bin/env node
// Opens the server's watch page for a room in Debian's headless Chromium (playwright-core) and prints one line of JSON
// with what its bandwidth check says: the figure against the requirement and what it means. Run it where the link to
// measure is (the tests start it inside a network namespace behind a tc-shaped link).
//
//   node bandwidth.js --url http://10.213.0.1:8080/watch/strict?lang=en --screenshot FILE
//
// Exit status 0 with the texts, 1 with {"error": ...}. Dependencies as play.js (package-lock.json, npm ci).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const { chromium } = require(require.resolve('playwright-core', { paths: [__dirname] }));

function options(argv) {
  const o = { url: null, screenshot: null, chromium: '/usr/bin/chromium', timeout: 60 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--url') o.url = argv[++i];
    else if (a === '--screenshot') o.screenshot = argv[++i];
    else if (a === '--chromium') o.chromium = argv[++i];
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else throw new Error('unknown argument ' + a);
  }
  if (!o.url) throw new Error('--url is required');
  return o;
}

async function main() {
  const o = options(process.argv.slice(2));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxrelay-chromium-'));
  let context = null;
  const stop = async () => {
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  process.on('SIGTERM', () => stop().finally(() => process.exit(143)));
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: o.chromium,
      headless: true,
      viewport: { width: 900, height: 800 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] || (await context.newPage());
    await page.goto(o.url);
    await page.waitForFunction(() => /required|requis/.test(document.getElementById('bandwidth-figure').textContent)
      || !document.getElementById('bandwidth-retry').hidden, null, { timeout: o.timeout * 1000 });
    const result = await page.evaluate(() => ({
      figure: document.getElementById('bandwidth-figure').textContent,
      meaning: document.getElementById('bandwidth-meaning').textContent,
      state: document.body.dataset.state,
      retryShown: !document.getElementById('bandwidth-retry').hidden,
    }));
    if (o.screenshot) await page.screenshot({ path: o.screenshot, fullPage: true });
    process.stdout.write(JSON.stringify(result) + '\n');
    await stop();
    return 0;
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: e.message }) + '\n');
    await stop();
    return 1;
  }
}

main().then((code) => process.exit(code), (e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
