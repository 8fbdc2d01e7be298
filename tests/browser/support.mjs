// Shared set-up for the browser tests (*.test.mjs in this directory): environment,
// the hostile third-party host page for the embed, Chromium launch/teardown and the
// page/search helpers. Each test file runs in its own process (node --test), so each
// launches its own Chromium in its suite's before() and closes it in after().
//
// SEARCHD_URL: a running searchd started with `--web-root web --cors-origin
// http://127.0.0.1:$EMBED_PORT` on the sample corpus. embed.test.mjs serves, on
// EMBED_PORT, a hostile third-party page that embeds <rights-search>. run.sh sets all
// of this up. Screenshots go to artifacts/.

import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WEB = path.resolve(HERE, '../../web');
export const ARTIFACTS = path.join(HERE, 'artifacts');
export const SEARCHD = (process.env.SEARCHD_URL || '').replace(/\/+$/, '');
export const EMBED_PORT = Number(process.env.EMBED_PORT || 0);
export const EMBED_ORIGIN = `http://127.0.0.1:${EMBED_PORT}`;
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const KHMER_QUERY = 'សិទ្ធិមនុស្ស';
export const KHMER_UDHR_TITLE = 'សេចក្ដីប្រកាសជាសកលស្ដីពីសិទ្ធិមនុស្ស';
export const ARABIC_QUERY = 'الإنسان';

// The option that skips a browser suite when there is no searchd to test against.
export const NEEDS_SEARCHD = { skip: !SEARCHD && 'SEARCHD_URL is not set' };

fs.mkdirSync(ARTIFACTS, { recursive: true });

// ------------------------------------------------------------------ host page (embed)

export const HOST_CSS = `
  * { color: red !important; font-size: 40px; font-family: "Courier New", monospace !important;
      background: yellow !important; letter-spacing: 3px !important; }
  a { color: lime !important; } input, button { border: 5px dotted red !important; }
  mark { background: black !important; } li { list-style: square !important; margin: 30px !important; }`;

export function hostPage(withEndpoint, { lang = 'en', dir = '', csp = false, src = `${SEARCHD}/embed.js` } = {}) {
  // Under the strict CSP the hostile inline <style> would be refused (a console error of
  // its own), so that page goes without it.
  return `<!doctype html><html lang="${lang}"${dir ? ` dir="${dir}"` : ''}><head><meta charset="utf-8"><title>Host page</title>
<link rel="icon" href="data:,">${csp ? '' : `<style>${HOST_CSS}</style>`}</head><body>
<p id="control">Third-party page text</p>
${withEndpoint ? `<rights-search id="rs" endpoint="${SEARCHD}"></rights-search>` : '<rights-search id="rs"></rights-search>'}
<script type="module" src="${src}"></script>
</body></html>`;
}

// A strict policy a host page may send: no inline style or script at all, scripts and
// API calls from searchd only, styles from the page's own origin and searchd.
export const HOST_CSP = () => `default-src 'none'; script-src ${SEARCHD}; connect-src ${SEARCHD}; `
  + `style-src 'self' ${SEARCHD}; img-src data:`;

// A site that mounts searchd under a path with a reverse proxy: /search/X is searchd's /X.
export const PROXY_PREFIX = '/search';

function proxy(req, res, upstreamPath) {
  const up = http.request(`${SEARCHD}${upstreamPath}`,
    { method: req.method, headers: { ...req.headers, host: new URL(SEARCHD).host } }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
  up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
  req.pipe(up);
}

let hostServer;

// Serves the host pages on 127.0.0.1:EMBED_PORT: / and /rtl.html embed with an endpoint
// attribute, /default-endpoint.html without one, /csp.html under HOST_CSP;
// /subpath.html embeds from /search/, where searchd is proxied (PROXY_PREFIX).
export async function startHostServer() {
  hostServer = http.createServer((req, res) => {
    const u = new URL(req.url, EMBED_ORIGIN);
    const page = (html, headers = {}) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(html);
    };
    if (u.pathname.startsWith(`${PROXY_PREFIX}/`)) {
      proxy(req, res, u.pathname.slice(PROXY_PREFIX.length) + u.search);
    } else if (u.pathname === '/subpath.html') {
      page(hostPage(false, { src: `${PROXY_PREFIX}/embed.js` }));
    } else if (u.pathname === '/csp.html') {
      page(hostPage(true, { csp: true }), { 'content-security-policy': HOST_CSP() });
    } else if (u.pathname === '/' || u.pathname === '/default-endpoint.html' || u.pathname === '/rtl.html') {
      // rtl.html: an Arabic, right-to-left host page.
      page(hostPage(u.pathname !== '/default-endpoint.html',
        u.pathname === '/rtl.html' ? { lang: 'ar', dir: 'rtl' } : {}));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve, reject) => {
    hostServer.once('error', reject);
    hostServer.listen(EMBED_PORT, '127.0.0.1', resolve);
  });
}

export async function stopHostServer() {
  await new Promise((r) => (hostServer ? hostServer.close(r) : r()));
  hostServer = undefined;
}

// ------------------------------------------------------------------ browser

let browser;

export async function launchBrowser() {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export async function closeBrowser() {
  await browser?.close();
  browser = undefined;
}

export async function newPage(t, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  t.after(() => context.close());
  page.jsErrors = errors;
  return page;
}

export const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
export const summaryTotal = async (page) => {
  const text = await page.locator('#summary').textContent();
  const m = /of (\d+) results|^(\d+) result|^No results/.exec(text.trim());
  assert.ok(m, `unexpected summary: ${text}`);
  return m[1] ? Number(m[1]) : m[2] ? Number(m[2]) : 0;
};
export async function search(page, q) {
  await page.goto(`${SEARCHD}/`);
  await page.locator('#q').fill(q);
  await page.locator('#q').press('Enter');
  await page.locator('#results .hit').first().waitFor();
}
export const apiJSON = async (p) => (await fetch(`${SEARCHD}${p}`)).json();
