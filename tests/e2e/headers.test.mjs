// Every page of web/static under the site's Content-Security-Policy in Chromium: it loads, runs its
// scripts (no inline script, nothing the policy blocks), and every answer carries the security
// headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSite, launchBrowser, phone, joined } from './support.mjs';

const STATIC = join(dirname(fileURLToPath(import.meta.url)), '../../web/static');
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

function assertSecurityHeaders(headers, what) {
  const csp = headers['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self'(;|$)/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  assert.equal(headers['x-frame-options'], 'DENY', what);
  assert.equal(headers['referrer-policy'], 'strict-origin-when-cross-origin', what);
  assert.equal(headers['strict-transport-security'], undefined, 'HSTS only under TLS');
}

test('every page loads and runs under the Content-Security-Policy', async () => {
  // Every page in web/static, at the address people use.
  const paths = { 'index.html': `/r/${site.room}`, 'ledger.html': '/ledger', 'gift.html': '/gift/7KQ2MZ9D' };
  const pages = readdirSync(STATIC).filter((f) => f.endsWith('.html'));
  assert.ok(pages.length >= 6, pages.join(' '));
  for (const file of pages) {
    const path = paths[file] ?? `/${file}`;
    const page = await phone(browser);
    const response = await page.goto(site.base + path);
    assert.equal(response.status(), 200, path);
    assertSecurityHeaders(response.headers(), path);
    // The page's own module ran: something it writes is there, and nothing was blocked.
    await page.waitForLoadState('networkidle');
    if (file === 'index.html') await joined(page);
    assert.ok(await page.evaluate(() => document.querySelectorAll('script[type=module]').length > 0
      || document.querySelectorAll('script[src]').length > 0), path);
    for (const script of await page.locator('script').all()) {
      assert.ok(await script.getAttribute('src'), `${path}: an inline script`);
    }
    assert.deepEqual(page.pageErrors, [], path);
    await page.context().close();
  }
});

test('the API and the files carry the same headers, and staff answers are not stored', async () => {
  // A script by the hashed name the page gives it (the built tree has no other).
  const script = /src="(\/js\/viewer\.[0-9a-f]{10}\.js)"/.exec(await (await fetch(site.base)).text())[1];
  for (const path of ['/api/rooms', '/api/station', '/healthz', script, '/nowhere']) {
    const res = await fetch(site.base + path);
    assertSecurityHeaders(Object.fromEntries(res.headers), path);
  }
  const me = await fetch(`${site.base}/api/me`);
  assert.equal(me.headers.get('cache-control'), 'no-store');
});
