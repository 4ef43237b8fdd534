// Issue #17: every page loads its scripts, styles and hls.js under names that carry their
// content's hash, kept a year and immutable, and nothing it asks for is missing; the pages
// themselves are asked again at every use (no-cache) and answer 304 while unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser, phone, joined } from './support.mjs';

const YEAR = 'public, max-age=31536000, immutable';
const HASHED = /^\/(js|css|vendor)\/[\w.-]+\.[0-9a-f]{10}\.(js|css)$/;
let site;
let browser;

before(async () => {
  site = await startSite({ serveArgs: ['--no-studio'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

test('each page loads its files by hashed names, kept a year, and none is missing', async () => {
  const pages = [`/r/${site.room}`, '/host', '/finance', '/ledger', '/gift/7KQ2MZ9D', '/report.html', '/'];
  for (const path of pages) {
    const page = await phone(browser);
    const answers = [];
    const failed = [];
    page.on('response', (r) => answers.push(r));
    page.on('requestfailed', (r) => failed.push(r.url()));
    const res = await page.goto(site.base + path);
    assert.equal(res.status(), 200, path);
    assert.equal(res.headers()['cache-control'], 'no-cache', path);
    await page.waitForLoadState('networkidle');
    if (path.startsWith('/r/')) await joined(page);
    const files = answers.filter((r) => /^\/(js|css|vendor)\//.test(new URL(r.url()).pathname));
    assert.ok(files.length >= 3, `${path}: ${files.map((r) => r.url()).join(' ')}`);
    for (const r of files) {
      const name = new URL(r.url()).pathname;
      assert.match(name, HASHED, path);
      assert.equal(r.status(), 200, `${path}: ${name}`);
      assert.equal(r.headers()['cache-control'], YEAR, `${path}: ${name}`);
    }
    // Nothing of the page's own may be missing: only the API (the gift page's made-up code) and
    // the stream (no studio here) answer errors.
    const ours = (r) => !/^\/(api|hls|ll)\//.test(new URL(r.url()).pathname);
    const missing = answers.filter((r) => r.status() >= 400 && ours(r));
    assert.deepEqual(missing.map((r) => `${r.status()} ${r.url()}`), [], path);
    assert.deepEqual(failed, [], path);
    assert.deepEqual(page.pageErrors, [], path);
    await page.context().close();
  }
});

test('the viewer page and the host console find hls.js under its hashed name', async () => {
  for (const path of [`/r/${site.room}`, '/host']) {
    const page = await phone(browser, site.base + path);
    await page.waitForFunction(() => typeof window.Hls === 'function' && window.Hls.isSupported());
    const src = await page.getAttribute('script:not([type])', 'src');
    assert.match(src, /^\/vendor\/hls\.min\.[0-9a-f]{10}\.js$/, path);
    await page.context().close();
  }
});

test('a page is asked again at every use and answers 304 while it has not changed', async () => {
  for (const path of [`/r/${site.room}`, '/ledger', '/', '/report.html']) {
    const first = await fetch(site.base + path);
    assert.equal(first.status, 200, path);
    assert.equal(first.headers.get('cache-control'), 'no-cache', path);
    const tag = first.headers.get('etag');
    assert.ok(tag, path);
    const again = await fetch(site.base + path, { headers: { 'If-None-Match': tag } });
    assert.equal(again.status, 304, path);
    assert.notEqual(again.headers.get('cache-control'), 'no-store', path);
  }
});
