// Browser tests for the search page (web/) and the embeddable search box (web/embed.js).
//
//   SEARCHD_URL=http://127.0.0.1:18080 EMBED_PORT=18081 node --test --test-concurrency=1 run.mjs
//
// SEARCHD_URL: a running searchd started with `--web-root web --cors-origin
// http://127.0.0.1:$EMBED_PORT` on the sample corpus. This file serves, on EMBED_PORT,
// a hostile third-party page that embeds <rights-search>. run.sh sets all of this up.
// Screenshots go to artifacts/.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import {
  parseMarked, decodeEntities, splitTextAtBytes, splitSegmentsAtBytes, formatDate,
} from '../../web/dom.js';
import { parseState, stateToQuery, dateRangeError } from '../../web/state.js';
import { docPages } from '../../web/docview.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB = path.resolve(HERE, '../../web');
const ARTIFACTS = path.join(HERE, 'artifacts');
const SEARCHD = (process.env.SEARCHD_URL || '').replace(/\/+$/, '');
const EMBED_PORT = Number(process.env.EMBED_PORT || 0);
const EMBED_ORIGIN = `http://127.0.0.1:${EMBED_PORT}`;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const KHMER_QUERY = 'សិទ្ធិមនុស្ស';
const KHMER_UDHR_TITLE = 'សេចក្ដីប្រកាសជាសកលស្ដីពីសិទ្ធិមនុស្ស';
const ARABIC_QUERY = 'الإنسان';

fs.mkdirSync(ARTIFACTS, { recursive: true });

// ------------------------------------------------------------------ pure helpers

describe('web helpers (no browser)', () => {
  it('parses highlighted text: only exact <mark> tags become marks, entities decode', () => {
    assert.deepEqual(parseMarked('a &lt;b&gt; <mark>x&amp;y</mark> <script>z</script>&#39;'), [
      { text: 'a <b> ', mark: false },
      { text: 'x&y', mark: true },
      { text: ' <script>z</script>\'', mark: false },
    ]);
    assert.equal(decodeEntities('&amp;lt; &#x1F600; &#0; &bogus;'), '&lt; 😀 &#0; &bogus;');
  });

  it('splits text at UTF-8 byte offsets (multi-byte scripts)', () => {
    const pages = ['ទំព័រ១ ', 'page two ', 'صفحة ٣'];
    const text = pages.join('');
    const enc = new TextEncoder();
    const starts = [0, enc.encode(pages[0]).length, enc.encode(pages[0] + pages[1]).length];
    assert.deepEqual(splitTextAtBytes(text, starts), pages);
    // An offset inside a multi-byte character moves to the next character boundary.
    assert.deepEqual(splitTextAtBytes('ខa', [0, 1]), ['ខ', 'a']);
    assert.deepEqual(splitTextAtBytes('abc', []), ['abc']);
  });

  it('splits highlighted segments at byte offsets, continuing a mark across pages', () => {
    const segs = parseMarked('ab<mark>cd</mark>e');
    assert.deepEqual(splitSegmentsAtBytes(segs, [0, 3]), [
      [{ text: 'ab', mark: false }, { text: 'c', mark: true }],
      [{ text: 'd', mark: true }, { text: 'e', mark: false }],
    ]);
    const doc = { text: 'x & ខ y', highlighted_text: 'x &amp; <mark>ខ</mark> y', page_starts: [0, 4] };
    const pages = docPages(doc, 'ខ');
    assert.equal(pages.length, 2);
    assert.equal(pages.map((p) => p.map((s) => s.text).join('')).join(''), doc.text);
    assert.deepEqual(pages[1][0], { text: 'ខ', mark: true });
  });

  it('formats partial dates and round-trips URL state', () => {
    assert.equal(formatDate('2021-05-12'), '12 May 2021');
    assert.equal(formatDate('2021-05'), 'May 2021');
    assert.equal(formatDate('2021'), '2021');
    assert.equal(formatDate(''), 'Undated');
    const qs = '?q=human+rights&actor=a&actor=b&type=letter&from=2021&to=2021-05&sort=-date&page=2&doc=x%2Fy';
    const s = parseState(qs);
    assert.deepEqual(s.actor, ['a', 'b']);
    assert.equal(s.doc, 'x/y');
    assert.deepEqual(parseState(stateToQuery(s)), s);
  });

  it('checks date ranges like searchd: real calendar days, years 1000-9999, From <= To', () => {
    for (const [from, to] of [['', ''], ['2021', '2021'], ['2020-02-29', ''], ['2021-05', '2021'],
      ['2021-05-12', '2021-05'], ['', '2021-12-31']]) {
      assert.equal(dateRangeError(from, to), '', `${from}..${to} is fine`);
    }
    assert.match(dateRangeError('2021-02-30', ''), /^From: .*not a real date.*28 days/);
    assert.match(dateRangeError('', '1900-02-29'), /^To: .*not a real date/);
    assert.match(dateRangeError('2021-5', ''), /^From: .*not a date/);
    assert.match(dateRangeError('0999', ''), /^From: .*1000/);
    assert.match(dateRangeError('2022', '2021'), /later than/);
    assert.match(dateRangeError('2021-06', '2021-05-31'), /later than/);
  });

  it('never assigns innerHTML/outerHTML/insertAdjacentHTML/document.write in web/*.js', () => {
    for (const f of fs.readdirSync(WEB).filter((n) => n.endsWith('.js'))) {
      const src = fs.readFileSync(path.join(WEB, f), 'utf8');
      assert.doesNotMatch(src, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, f);
    }
  });
});

// ------------------------------------------------------------------ browser

const HOST_CSS = `
  * { color: red !important; font-size: 40px; font-family: "Courier New", monospace !important;
      background: yellow !important; letter-spacing: 3px !important; }
  a { color: lime !important; } input, button { border: 5px dotted red !important; }
  mark { background: black !important; } li { list-style: square !important; margin: 30px !important; }`;

function hostPage(withEndpoint, { lang = 'en', dir = '' } = {}) {
  return `<!doctype html><html lang="${lang}"${dir ? ` dir="${dir}"` : ''}><head><meta charset="utf-8"><title>Host page</title>
<link rel="icon" href="data:,"><style>${HOST_CSS}</style></head><body>
<p id="control">Third-party page text</p>
${withEndpoint ? `<rights-search id="rs" endpoint="${SEARCHD}"></rights-search>` : '<rights-search id="rs"></rights-search>'}
<script type="module" src="${SEARCHD}/embed.js"></script>
</body></html>`;
}

let browser;
let hostServer;

async function newPage(t, viewport = { width: 1280, height: 900 }) {
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

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
const summaryTotal = async (page) => {
  const text = await page.locator('#summary').textContent();
  const m = /of (\d+) results|^(\d+) result|^No results/.exec(text.trim());
  assert.ok(m, `unexpected summary: ${text}`);
  return m[1] ? Number(m[1]) : m[2] ? Number(m[2]) : 0;
};
async function search(page, q) {
  await page.goto(`${SEARCHD}/`);
  await page.locator('#q').fill(q);
  await page.locator('#q').press('Enter');
  await page.locator('#results .hit').first().waitFor();
}
const apiJSON = async (p) => (await fetch(`${SEARCHD}${p}`)).json();

describe('search page and embed (headless Chromium)', { skip: !SEARCHD && 'SEARCHD_URL is not set' }, () => {
  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
        '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    hostServer = http.createServer((req, res) => {
      const u = new URL(req.url, EMBED_ORIGIN);
      if (u.pathname === '/' || u.pathname === '/default-endpoint.html' || u.pathname === '/rtl.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        // rtl.html: an Arabic, right-to-left host page.
        res.end(hostPage(u.pathname !== '/default-endpoint.html',
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
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => (hostServer ? hostServer.close(r) : r()));
  });

  it('typing a query and pressing Enter shows results with highlighted snippets', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const hits = page.locator('#results .hit');
    assert.ok((await hits.count()) > 0);
    const total = await summaryTotal(page);
    assert.ok(total > 0);
    // Screen readers hear the count (polite live region).
    assert.equal(await page.locator('#sr-status').getAttribute('aria-live'), 'polite');
    assert.match(await page.locator('#sr-status').textContent(), new RegExp(`^${total} results?[.,]`));
    assert.ok((await page.locator('#results .snippet mark').count()) > 0, 'snippets have <mark>s');
    assert.match(await hits.first().locator('.hit-meta').textContent(), /\S/);
    assert.equal(await page.locator('#error').textContent(), '');
    assert.match(page.url(), /[?&]q=human(\+|%20)rights/);
    await shot(page, 'results');
    assert.deepEqual(page.jsErrors, []);
  });

  it('suggestions appear while typing (listbox, aria-expanded)', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/`);
    await page.locator('#q').pressSequentially('hum', { delay: 40 });
    const options = page.locator('#q-suggestions [role=option]');
    await options.first().waitFor();
    assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('#q').getAttribute('role'), 'combobox');
    const status = page.locator('#sr-status');
    assert.match(await status.textContent(), /^\d+ suggestions? available\.$/);
    await shot(page, 'suggestions');
    await page.keyboard.press('Escape');
    await page.locator('#q-suggestions').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'false');
    assert.equal(await status.textContent(), '', 'the suggestion count is gone with the list');
    // Picking a suggestion: the stale count goes too (replaced by the results, if any).
    await page.locator('#q').pressSequentially('an', { delay: 40 });
    await options.first().waitFor();
    assert.match(await status.textContent(), /suggestions? available/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('#q-suggestions').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !/suggestions? available/.test(document.getElementById('sr-status').textContent));
  });

  it('clicking a facet filters (total changes), adds a chip, and the URL holds the state', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const total = await summaryTotal(page);
    // Pick a facet value that narrows the result set.
    const buttons = page.locator('#facets .facet-btn[aria-pressed=false]');
    let chosen = null;
    for (let i = 0; i < await buttons.count(); i++) {
      const b = buttons.nth(i);
      const n = Number(await b.locator('.facet-count').textContent());
      if (n > 0 && n < total) { chosen = { b, n, facet: await b.getAttribute('data-facet'), value: await b.getAttribute('data-value') }; break; }
    }
    assert.ok(chosen, 'some facet value narrows the results');
    await chosen.b.click();
    await page.locator('#chips .chip').first().waitFor();
    await page.waitForFunction((n) => document.querySelector('#summary')?.textContent.includes(`${n} result`)
      || document.querySelector('#summary')?.textContent.includes(`of ${n} results`), chosen.n);
    assert.equal(await summaryTotal(page), chosen.n);
    assert.match(await page.locator('#sr-status').textContent(), new RegExp(`^${chosen.n} results?[.,]`));
    const pressed = page.locator(`#facets .facet-btn[data-facet="${chosen.facet}"][data-value="${chosen.value}"]`);
    assert.equal(await pressed.getAttribute('aria-pressed'), 'true');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'human rights');
    assert.deepEqual(url.searchParams.getAll(chosen.facet), [chosen.value]);
    await shot(page, 'facet-selected');

    // Reload the URL: same results, same pressed facet.
    const ids = await page.locator('#results .hit').evaluateAll((els) => els.map((e) => e.dataset.id));
    await page.goto(page.url());
    await page.locator('#results .hit').first().waitFor();
    assert.deepEqual(await page.locator('#results .hit').evaluateAll((els) => els.map((e) => e.dataset.id)), ids);
    assert.equal(await page.locator(`#facets .facet-btn[data-facet="${chosen.facet}"][data-value="${chosen.value}"]`)
      .getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('#q').inputValue(), 'human rights');

    // Removing the chip restores the unfiltered total; Back brings the filter back.
    await page.locator('#chips .chip').first().click();
    await page.locator('#chips').waitFor({ state: 'hidden' });
    await page.waitForFunction((n) => document.querySelector('#summary')?.textContent.includes(`of ${n} results`)
      || document.querySelector('#summary')?.textContent.startsWith(`${n} result`), total);
    await page.goBack();
    await page.locator('#chips .chip').first().waitFor();
    assert.deepEqual(new URL(page.url()).searchParams.getAll(chosen.facet), [chosen.value]);
  });

  it('facets list the 50 most frequent values and say so; "Find an actor" reaches the others', async (t) => {
    const page = await newPage(t);
    const top = (await apiJSON('/api/search?sort=-date')).facets.actor.map((v) => v.value);
    assert.equal(top.length, 50, 'the sample corpus has more actors than /api/search lists');
    const every = (await apiJSON('/api/facets/actor?q=&limit=1000')).values;
    assert.ok(every.length > 50, `${every.length} actors in all`);
    const outside = every.find((v) => !top.includes(v.value) && /^[A-Za-z][A-Za-z .]+$/.test(v.label));
    assert.ok(outside, 'an actor outside the 50 listed');

    await page.goto(`${SEARCHD}/?sort=-date`);
    const more = page.locator('#facets [data-key="more:actor"]');
    await more.waitFor();
    assert.equal((await more.textContent()).trim(), 'Show 50 most frequent', 'not "Show all 50"');
    await more.click();
    await page.waitForFunction(() => document.querySelector('[data-key="more:actor"]')?.textContent === 'Show fewer');
    assert.equal(await page.locator('#facets .facet-btn[data-facet=actor]:not(.found-btn)').count(), 50);
    assert.equal(await page.locator(`#facets [data-key="facet:actor:${outside.value}"]`).count(), 0);

    // A labelled find box under the actor and ministry facets.
    const find = page.getByLabel('Find an actor', { exact: true });
    assert.equal(await find.count(), 1);
    assert.equal(await page.getByLabel('Find a ministry', { exact: true }).count(), 1);
    const asked = [];
    page.on('request', (r) => { if (r.url().includes('/api/facets/')) asked.push(new URL(r.url())); });
    await find.pressSequentially(outside.label, { delay: 30 });
    const found = page.locator(`#facets .found-btn[data-value="${outside.value}"]`);
    await found.waitFor();
    assert.ok(asked.length < outside.label.length, `debounced: ${asked.length} requests for ${outside.label.length} keys`);
    const last = asked.at(-1);
    assert.deepEqual([last.pathname, last.searchParams.get('q'), last.searchParams.get('limit')],
      ['/api/facets/actor', outside.label, '20']);
    assert.equal((await found.locator('.facet-label').textContent()), outside.label);
    assert.equal((await found.locator('.facet-count').textContent()), `${outside.count} in all documents`);
    assert.equal(await found.getAttribute('aria-pressed'), 'false');
    const status = page.locator('#find-actor-status');
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.match(await status.textContent(), /^1 actor matches “/);
    await shot(page, 'facet-find');

    // Keyboard: ArrowDown to the match, Enter filters exactly as a facet button does.
    await find.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.key), `found:actor:${outside.value}`);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.getAll('actor').includes(outside.value));
    assert.equal(new URL(page.url()).search, stateToQuery({ ...parseState('?sort=-date'), actor: [outside.value] }));
    await page.locator('#chips .chip', { hasText: `Actor: ${outside.label}` }).waitFor();
    const filtered = await apiJSON(`/api/search?sort=-date&actor=${encodeURIComponent(outside.value)}`);
    await page.waitForFunction(() => !document.getElementById('results-area').hasAttribute('aria-busy'));
    assert.equal(await summaryTotal(page), filtered.total);
    assert.equal(await page.locator(`#facets [data-key="facet:actor:${outside.value}"]`).getAttribute('aria-pressed'), 'true');
    await page.waitForFunction((k) => document.activeElement?.dataset.key === k
      && document.activeElement.getAttribute('aria-pressed') === 'true', `found:actor:${outside.value}`);

    // Aliases and Khmer names; a slow stale answer never replaces newer matches.
    await page.route((u) => u.pathname === '/api/facets/actor' && u.searchParams.get('q') === 'Sar', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => {});
    });
    const slow = page.waitForRequest((r) => r.url().includes('/api/facets/actor?q=Sar&'));
    await find.fill('Sar');
    await slow;
    await find.fill('Keut');
    await page.locator('#facets .found-btn[data-value="koeut-rith"]', { hasText: 'Koeut Rith' }).waitFor();
    await page.waitForTimeout(1700);
    assert.deepEqual(await page.locator('#facets .found-btn').evaluateAll((b) => b.map((x) => x.dataset.value)), ['koeut-rith']);
    await find.fill('ស ខេង');
    await page.locator('#facets .found-btn[data-value="sar-kheng"]', { hasText: 'Sar Kheng' }).waitFor();
    assert.deepEqual(page.jsErrors, []);
  });

  it('year histogram: clicking a bar filters to that year (from/to in the URL)', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const bar = page.locator('#histogram .bar').last();
    const year = (await bar.locator('.bar-year').textContent()).trim();
    const n = Number(await bar.locator('.bar-count').textContent());
    await bar.click();
    await page.waitForURL((u) => u.searchParams.get('from') === year && u.searchParams.get('to') === year);
    await page.locator('#chips .chip', { hasText: `Date: ${year}` }).waitFor();
    await page.waitForFunction((n) => /(^| of )\d+ result/.test(document.querySelector('#summary').textContent)
      && !document.querySelector('#results-area').hasAttribute('aria-busy'), n);
    assert.equal(await summaryTotal(page), n);
    for (const d of await page.locator('#results .hit time').evaluateAll((e) => e.map((x) => x.getAttribute('datetime')))) {
      assert.ok(d && d.startsWith(year), `hit date ${d} is in ${year}`);
    }
    // The other years stay visible (to widen the range), only the chosen one is pressed.
    const pressed = await page.locator('#histogram .bar').evaluateAll((bs) =>
      bs.map((b) => [b.querySelector('.bar-year').textContent, b.getAttribute('aria-pressed')]));
    assert.ok(pressed.length > 1, `all years still shown: ${JSON.stringify(pressed)}`);
    assert.deepEqual(pressed.filter(([, p]) => p === 'true').map(([y]) => y), [year]);
    // Shift+click another bar selects the range between the two.
    const firstYear = pressed[0][0];
    await page.locator('#histogram .bar').first().click({ modifiers: ['Shift'] });
    await page.waitForURL((u) => u.searchParams.get('from') === firstYear && u.searchParams.get('to') === year);
    await page.locator('#chips .chip', { hasText: `Date: ${firstYear} – ${year}` }).waitFor();
    await shot(page, 'year-filter');
  });

  it('sort select puts the sort order in the URL', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    // Wait for the sorted answer to be rendered, not just for the URL: the old
    // (relevance-ordered) hits stay on screen until the new response arrives.
    const sorted = page.waitForResponse((r) => r.url().includes('/api/search') && r.url().includes('sort=-date'));
    await page.locator('#sort').selectOption('-date');
    await page.waitForURL((u) => u.searchParams.get('sort') === '-date');
    await sorted;
    await page.waitForFunction(() => !document.getElementById('results-area').hasAttribute('aria-busy'));
    await page.locator('#results .hit').first().waitFor();
    const dates = await page.locator('#results .hit time').evaluateAll((e) => e.map((x) => x.getAttribute('datetime') || ''));
    const dated = dates.filter(Boolean);
    assert.deepEqual(dated, [...dated].sort().reverse(), `newest first: ${dates}`);
  });

  it('opening a document shows its highlighted text; back/forward close and reopen it', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const first = page.locator('#results .hit').first();
    const id = await first.getAttribute('data-id');
    await first.locator('.hit-title a').click();
    const panel = page.locator('#doc-panel');
    await panel.locator('.doc-text').first().waitFor();
    assert.equal(new URL(page.url()).searchParams.get('doc'), id);
    assert.ok((await panel.locator('.doc-text mark').count()) > 0, 'query terms are highlighted');
    assert.match(await panel.locator('.doc-meta').textContent(), /Date/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'doc-title');
    await shot(page, 'document');
    await page.goBack();
    await panel.waitFor({ state: 'hidden' });
    await page.goForward();
    await panel.locator('.doc-text').first().waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    assert.equal(new URL(page.url()).searchParams.get('doc'), null);
  });

  it('"Next match" starts from the first match in each newly opened document', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const panel = page.locator('#doc-panel');
    const current = () => panel.locator('.doc-text mark').evaluateAll((ms) => ms.flatMap((m, i) => (m.classList.contains('current') ? [i] : [])));
    await page.locator('#results .hit .hit-title a').nth(0).click();
    await panel.locator('.doc-text mark').first().waitFor();
    const next = panel.getByRole('button', { name: 'Next match' });
    for (let i = 0; i < 5; i++) await next.click();
    assert.deepEqual(await current(), [4]);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    const second = page.locator('#results .hit').nth(1);
    const id = await second.getAttribute('data-id');
    await second.locator('.hit-title a').click();
    await page.waitForURL((u) => u.searchParams.get('doc') === id);
    await panel.locator('.doc-text mark').first().waitFor();
    const n = await panel.locator('.doc-text mark').count();
    assert.ok(n > 5, `the second document has more than 5 matches (${n}), so a kept position would show`);
    await next.click();
    assert.deepEqual(await current(), [0], 'the first Next goes to match 1');
  });

  it('the document panel is a modal dialog: named, traps Tab, gives focus back on close', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const link = page.locator('#results .hit .hit-title a').first();
    const title = (await link.textContent()).trim();
    const key = await link.getAttribute('data-key');
    await link.click();
    const panel = page.locator('#doc-panel');
    await panel.locator('.doc-text').first().waitFor();
    assert.equal(await panel.getAttribute('role'), 'dialog');
    assert.equal(await panel.getAttribute('aria-modal'), 'true');
    assert.equal(await page.getByRole('dialog', { name: title }).count(), 1, 'the dialog is named by the document title');
    const focusInPanel = () => page.evaluate(() => document.getElementById('doc-panel').contains(document.activeElement));
    const controls = await panel.locator('button, a[href]').count();
    assert.ok(controls >= 2, `the panel has controls to cycle through (${controls})`);
    for (let i = 0; i < controls + 2; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await focusInPanel(), `Tab ${i + 1} stays in the dialog`);
    }
    for (let i = 0; i < controls + 2; i++) {
      await page.keyboard.press('Shift+Tab');
      assert.ok(await focusInPanel(), `Shift+Tab ${i + 1} stays in the dialog`);
    }
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.key), key, 'focus is back on the link');
    // The same with the close button, opened from the keyboard.
    await page.keyboard.press('Enter');
    await panel.locator('.doc-text').first().waitFor();
    await panel.getByRole('button', { name: 'Close document' }).click();
    await panel.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.key), key);
  });

  it('date errors keep the date inputs to fix them; bad dates are caught before searching', async (t) => {
    const page = await newPage(t);
    // A bad date from the URL: searchd's message, and the inputs stay, holding the values.
    await page.goto(`${SEARCHD}/?q=human+rights&from=2021-02-30`);
    await page.locator('#error', { hasText: '2021-02-30' }).waitFor();
    const from = page.locator('#date-from');
    const to = page.locator('#date-to');
    assert.ok(await from.isVisible(), 'the date inputs stay after an error');
    assert.equal(await from.inputValue(), '2021-02-30');
    assert.equal(await from.getAttribute('aria-invalid'), 'true');
    assert.equal(await to.getAttribute('aria-invalid'), null);
    await shot(page, 'date-error');
    // Correct it in place.
    await from.fill('2021-02-28');
    await page.locator('#dates button[type=submit]').click();
    await page.waitForURL((u) => u.searchParams.get('from') === '2021-02-28');
    await page.waitForFunction(() => /result/.test(document.getElementById('summary').textContent));
    assert.equal(await page.locator('#error').textContent(), '');

    // Client-side checks: nothing is sent, the message says what is wrong.
    const searches = [];
    page.on('request', (r) => { if (r.url().includes('/api/search')) searches.push(r.url()); });
    const url = page.url();
    const msg = page.locator('#date-error');
    await from.fill('2021-02-30');
    await page.locator('#dates button[type=submit]').click();
    await msg.filter({ hasText: 'not a real date' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'date-from');
    assert.equal(await from.getAttribute('aria-invalid'), 'true');
    assert.equal(await from.getAttribute('aria-describedby'), 'date-error');
    await from.fill('2022');
    await to.fill('2021');
    await page.locator('#dates button[type=submit]').click();
    await msg.filter({ hasText: 'From (2022) is later than To (2021)' }).waitFor();
    assert.equal(page.url(), url);
    assert.deepEqual(searches, [], 'no search for invalid dates');
    // A later-than range from the URL also keeps the inputs.
    await page.goto(`${SEARCHD}/?from=2022&to=2021`);
    await page.locator('#error', { hasText: 'ends before it starts' }).waitFor();
    assert.equal(await page.locator('#date-to').inputValue(), '2021');
    assert.deepEqual(page.jsErrors.filter((e) => !/status of 400/.test(e)), [], 'no errors but the expected 400s');
  });

  it('PDF documents show "Page N" sections split at UTF-8 byte offsets', async (t) => {
    const page = await newPage(t);
    const pagesText = ['ទំព័រទី១ សិទ្ធិ\n', 'Page two, human rights\n', 'الصفحة الثالثة'];
    const enc = new TextEncoder();
    const text = pagesText.join('');
    const doc = {
      id: 'test/pdf', path: 'x.pdf', title: 'Synthetic PDF', type: 'report', date: '2021-05', lang: ['en'],
      source: 'Test', access: 'public', actors: [], ministries: [], authors: [], signatories: [], addressees: [],
      text, highlighted_text: text.replace('human', '<mark>human</mark>'),
      page_starts: [0, enc.encode(pagesText[0]).length, enc.encode(pagesText[0] + pagesText[1]).length],
    };
    await page.route('**/api/doc/**', (route) => route.fulfill({ json: doc }));
    await page.goto(`${SEARCHD}/?doc=${encodeURIComponent(doc.id)}`);
    await page.locator('#doc-panel .page-no').first().waitFor();
    assert.deepEqual(await page.locator('#doc-panel .page-no').allTextContents(), ['Page 1', 'Page 2', 'Page 3']);
    assert.deepEqual(await page.locator('#doc-panel .doc-text').allTextContents(), pagesText);
    await page.goto(`${SEARCHD}/?q=human&doc=${encodeURIComponent(doc.id)}`);
    await page.locator('#doc-panel .doc-text mark').waitFor();
    assert.equal(await page.locator('#doc-panel .page').nth(1).locator('mark').textContent(), 'human');
  });

  it(`a Khmer query (${KHMER_QUERY}) finds the Khmer UDHR, tagged lang="km"`, async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/?q=${encodeURIComponent(KHMER_QUERY)}`);
    const hit = page.locator('#results .hit[lang="km"]', { hasText: KHMER_UDHR_TITLE });
    await hit.first().waitFor();
    await shot(page, 'khmer-results');
    await hit.first().locator('.hit-title a').click();
    const text = page.locator('#doc-panel .doc-text').first();
    await text.waitFor();
    assert.equal(await text.getAttribute('lang'), 'km');
    assert.equal(await page.locator('#doc-title').getAttribute('lang'), 'km');
    assert.ok((await page.locator('#doc-panel .doc-text mark').count()) > 0);
    await shot(page, 'khmer-document');
  });

  it('Arabic results and documents render right-to-left (dir=auto)', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/?q=${encodeURIComponent(ARABIC_QUERY)}&lang=ar`);
    const hit = page.locator('#results .hit[lang="ar"]').first();
    await hit.waitFor();
    const dir = (loc) => loc.evaluate((e) => getComputedStyle(e).direction);
    assert.equal(await dir(hit.locator('.hit-title a')), 'rtl');
    assert.equal(await dir(hit.locator('.snippet')), 'rtl');
    // The whole title block is right-to-left, so the title is right-aligned like the snippet.
    assert.equal(await dir(hit.locator('.hit-title')), 'rtl');
    const right = (loc) => loc.evaluate((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return Math.max(...[...r.getClientRects()].map((x) => x.right));
    });
    const titleRight = await right(hit.locator('.hit-title a'));
    const snippetRight = await right(hit.locator('.snippet'));
    assert.ok(Math.abs(titleRight - snippetRight) <= 2, `title ends at ${titleRight}, snippet at ${snippetRight}`);
    await hit.locator('.hit-title a').click();
    const text = page.locator('#doc-panel .doc-text').first();
    await text.waitFor();
    assert.equal(await text.getAttribute('lang'), 'ar');
    assert.equal(await dir(text), 'rtl');
    await shot(page, 'arabic-document');
  });

  it('search tips: the proximity example finds its words near each other', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/`);
    const example = page.locator('#tips a', { hasText: '"cruel treatment"~3' });
    assert.ok(await example.isHidden(), 'tips are folded');
    await page.locator('#tips summary').click();
    await example.click();
    await page.locator('#results .hit').first().waitFor();
    assert.equal(await page.locator('#q').inputValue(), '"cruel treatment"~3');
    const api = await apiJSON('/api/search?q=' + encodeURIComponent('"cruel treatment"~3'));
    assert.ok(api.total > 0);
    assert.equal(await summaryTotal(page), api.total);
    assert.equal(await page.locator('#error').textContent(), '');
    assert.deepEqual(page.jsErrors, []);
  });

  it('keyboard only: Tab to the search box, type, ArrowDown into suggestions, Enter', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/`);
    assert.ok(await page.locator('#intro').isVisible());
    assert.ok(await page.locator('#toolbar').isHidden(), 'no sort/export bar before a search');
    for (let i = 0; i < 6 && await page.evaluate(() => document.activeElement?.id) !== 'q'; i++) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
    await page.keyboard.type('hum', { delay: 40 });
    await page.locator('#q-suggestions [role=option]').first().waitFor();
    await page.keyboard.press('ArrowDown');
    const activeId = await page.locator('#q').getAttribute('aria-activedescendant');
    assert.ok(activeId, 'aria-activedescendant is set');
    assert.equal(await page.locator(`#${activeId}`).getAttribute('aria-selected'), 'true');
    await shot(page, 'keyboard-suggestions');
    const before = page.url();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.href !== before);
    await page.waitForFunction(() => document.querySelector('#results .hit, #results .no-hits')
      || document.querySelector('#doc-panel .doc-text'));
    assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'false');

    // Facet buttons and the sort select are reachable by Tab and show a visible focus ring.
    await search(page, 'human rights');
    const facet = page.locator('#facets .facet-btn').first();
    await facet.focus();
    await page.keyboard.press('Tab'); // move away and back so :focus-visible applies
    await page.keyboard.press('Shift+Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');
    const key = await page.evaluate(() => document.activeElement.dataset.key);
    assert.match(key, /^facet:/);
    await page.keyboard.press('Enter');
    await page.locator('#chips .chip').first().waitFor();
    // Focus stays on the (re-rendered) facet button, now pressed.
    await page.waitForFunction((k) => document.activeElement?.dataset.key === k
      && document.activeElement.getAttribute('aria-pressed') === 'true', key);
  });

  it('did-you-mean: a misspelt query offers the suggestion as a link', async (t) => {
    const page = await newPage(t);
    const api = await apiJSON('/api/search?q=humen+rights');
    if (!api.suggestion) { t.skip('searchd gives no suggestion for "humen rights"'); return; }
    await page.goto(`${SEARCHD}/?q=humen+rights`);
    const link = page.locator('#did-you-mean a');
    await link.waitFor();
    assert.equal(await link.textContent(), api.suggestion);
    await link.click();
    await page.waitForURL((u) => u.searchParams.get('q') === api.suggestion);
    await page.locator('#results .hit').first().waitFor();
    assert.equal(await page.locator('#q').inputValue(), api.suggestion);
  });

  it('a server error (page=0) shows its message instead of a blank page', async (t) => {
    const page = await newPage(t);
    const expected = await apiJSON('/api/search?q=a&page=0');
    assert.ok(expected.error?.message, 'searchd rejects page=0 with an error message');
    await page.goto(`${SEARCHD}/?q=a&page=0`);
    const alert = page.locator('#error[role=alert]');
    await alert.waitFor();
    assert.equal((await alert.textContent()).trim(), expected.error.message);
    assert.match(await page.locator('#summary').textContent(), /could not be run/);
    assert.equal(await page.locator('#sr-status').textContent(), 'The search could not be run.');
    await shot(page, 'error');

    // An unknown document: the panel and the alert say so.
    await page.goto(`${SEARCHD}/?doc=${encodeURIComponent('no/such doc')}`);
    await page.locator('#doc-panel', { hasText: 'Document not available' }).waitFor();
    assert.notEqual((await alert.textContent()).trim(), '');
  });

  it('a page past the last one says so (not "981–6 of 6") and links to the last page', async (t) => {
    const page = await newPage(t);
    const api = await apiJSON('/api/search?q=human&page=99');
    assert.ok(api.total > 0 && api.total <= 10 && api.hits.length === 0, `page 99 is past the end (${api.total} results)`);
    await page.goto(`${SEARCHD}/?q=human&page=99`);
    const summary = page.locator('#summary');
    await page.waitForFunction(() => /result/.test(document.getElementById('summary').textContent)
      && !document.getElementById('results-area').hasAttribute('aria-busy'));
    assert.equal((await summary.textContent()).replace(/\s*\([^)]*ms\)$/, ''),
      `No results on page 99 — ${api.total} results in all for “human”`);
    assert.equal(await page.locator('#sr-status').textContent(), `No results on page 99; ${api.total} results in all.`);
    assert.doesNotMatch(await page.locator('#results').textContent(), /Nothing matches/);
    // Facets still count the results; nothing is shown, so there is nothing to export.
    assert.ok(await page.locator('#facets .facet-btn').count() > 0, 'facets of the results');
    assert.ok(await page.locator('#export').isHidden());
    await shot(page, 'past-last-page');
    await page.locator('#results a', { hasText: 'Go to page 1, the last' }).click();
    await page.waitForURL((u) => !u.searchParams.has('page') && u.searchParams.get('q') === 'human');
    await page.waitForFunction((n) => document.getElementById('summary').textContent.startsWith(`1–${n} of ${n} results`), api.total);

    // With two pages: the link and "Previous" go to page 2, the last, not to page 98.
    await page.goto(`${SEARCHD}/?q=human&page=99&per_page=5`);
    await summary.filter({ hasText: 'No results on page 99' }).waitFor();
    const prev = new URL(await page.locator('#pagination a[rel=prev]').getAttribute('href'), SEARCHD);
    assert.equal(prev.searchParams.get('page'), '2');
    await page.locator('#results a', { hasText: 'Go to page 2, the last' }).click();
    await page.waitForFunction((n) => document.getElementById('summary').textContent.startsWith(`6–${n} of ${n} results`), api.total);
    assert.deepEqual(page.jsErrors, []);
  });

  it('a document opens (without highlights) when searchd cannot parse the query; the alert says so once', async (t) => {
    const page = await newPage(t);
    const bad = await apiJSON('/api/search?q=%22human');
    assert.equal(bad.error?.code, 'bad_query', 'an unbalanced quote is rejected');
    const doc = await apiJSON('/api/doc/udhr-eng');
    await page.goto(`${SEARCHD}/?q=%22human&doc=udhr-eng`);
    const panel = page.locator('#doc-panel');
    await page.waitForFunction(() => {
      const p = document.getElementById('doc-panel');
      return !p.hidden && !p.hasAttribute('aria-busy') && !p.querySelector('.loading')
        && !document.getElementById('results-area').hasAttribute('aria-busy');
    });
    assert.equal((await page.locator('#doc-title').textContent()).trim(), doc.title);
    assert.ok(await panel.locator('.doc-text').count() > 0, 'the text is shown');
    assert.equal(await panel.locator('.doc-text mark').count(), 0, 'no highlights');
    assert.equal(await panel.locator('.doc-matches').textContent(), 'Matches are not highlighted: the search could not be read.');
    assert.equal((await page.locator('#error').textContent()).trim(), bad.error.message, 'the message once');
    assert.deepEqual(page.jsErrors.filter((e) => !/status of 400/.test(e)), []);
    // When the search and the document fail alike (server unreachable), the alert says it once.
    await page.route((u) => u.pathname.startsWith('/api/'), (route) => route.abort());
    await page.goto(`${SEARCHD}/?q=human&doc=udhr-eng`);
    await panel.locator('#doc-title', { hasText: 'Document not available' }).waitFor();
    await page.locator('#summary', { hasText: 'could not be run' }).waitFor();
    assert.equal(await page.locator('#error').textContent(),
      'Cannot reach the search server. Check your connection and try again.');
  });

  it('pagination: browse all documents page by page', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/?sort=-date&per_page=5`);
    await page.locator('#results .hit').first().waitFor();
    const total = await summaryTotal(page);
    assert.ok(total > 5, `more than one page (${total})`);
    const first = await page.locator('#results .hit').evaluateAll((e) => e.map((x) => x.dataset.id));
    await page.locator('#pagination a[rel=next]').click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2' && u.searchParams.get('per_page') === '5');
    await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('6–'));
    const second = await page.locator('#results .hit').evaluateAll((e) => e.map((x) => x.dataset.id));
    assert.equal(second.filter((id) => first.includes(id)).length, 0, 'page 2 has other documents');
    assert.equal(await page.locator('#pagination [aria-current=page]').textContent(), '2');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'summary');
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('1–'));
  });

  it('export buttons download the shown hits as CSV, RIS and JSON', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const shown = await page.locator('#results .hit').evaluateAll((e) => e.map((x) => x.dataset.id));
    const downloaded = {};
    for (const fmt of ['csv', 'ris', 'json']) {
      const u = new URL(await page.locator(`#export-${fmt}`).getAttribute('href'), SEARCHD);
      assert.equal(u.pathname, '/api/search');
      assert.equal(u.searchParams.get('q'), 'human rights');
      assert.equal(u.searchParams.get('format'), fmt);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#export-${fmt}`).click()]);
      assert.equal(download.suggestedFilename(), `search.${fmt}`);
      downloaded[fmt] = fs.readFileSync(await download.path(), 'utf8');
    }
    const csvRows = downloaded.csv.split('\r\n').filter((l) => l !== '');
    assert.equal(csvRows[0].split(',')[0], 'id');
    assert.deepEqual(csvRows.slice(1).map((l) => l.split(',')[0]), shown, 'CSV rows are the shown hits, in order');
    const risIds = downloaded.ris.split('\r\n').filter((l) => l.startsWith('ID  - ')).map((l) => l.slice(6));
    assert.deepEqual(risIds, shown, 'one RIS record per shown hit');
    assert.equal(downloaded.ris.split('\r\n').filter((l) => l.startsWith('ER  -')).length, shown.length);
    assert.deepEqual(JSON.parse(downloaded.json).hits.map((h) => h.id), shown);
  });

  it('export links export the page shown (page, per_page) and are hidden without results', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/?sort=-date&page=2`);
    await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('11–'));
    const shown = await page.locator('#results .hit').evaluateAll((e) => e.map((x) => x.dataset.id));
    assert.ok(shown.length > 0);
    const href = new URL(await page.locator('#export-csv').getAttribute('href'), SEARCHD);
    assert.equal(href.searchParams.get('page'), '2');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
    const rows = fs.readFileSync(await download.path(), 'utf8').split('\r\n').filter((l) => l !== '').slice(1);
    assert.deepEqual(rows.map((l) => l.split(',')[0]), shown, 'the CSV holds rows 11-16, as shown');

    await page.goto(`${SEARCHD}/?sort=-date&page=3&per_page=5`);
    await page.waitForFunction(() => document.querySelector('#summary').textContent.startsWith('11–15 '));
    const five = await page.locator('#results .hit').evaluateAll((e) => e.map((x) => x.dataset.id));
    for (const fmt of ['csv', 'ris', 'json']) {
      const u = new URL(await page.locator(`#export-${fmt}`).getAttribute('href'), SEARCHD);
      assert.equal(u.searchParams.get('page'), '3', fmt);
      assert.equal(u.searchParams.get('per_page'), '5', fmt);
    }
    const json = await apiJSON(await page.locator('#export-json').getAttribute('href'));
    assert.deepEqual(json.hits.map((x) => x.id), five);

    await page.goto(`${SEARCHD}/?q=zzqxjvunfindable`);
    await page.locator('#results .no-hits').waitFor();
    assert.ok(await page.locator('#toolbar').isVisible());
    assert.ok(await page.locator('#export').isHidden(), 'nothing to export');
  });

  it('advertises /opensearch.xml, which is served and well formed', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/`);
    assert.equal(await page.locator('link[rel=search]').getAttribute('href'), '/opensearch.xml');
    const res = await fetch(`${SEARCHD}/opensearch.xml`);
    assert.equal(res.status, 200);
    const xml = await res.text();
    assert.match(xml, /<Url type="text\/html"[^>]*template="https?:\/\/[^"]+\/\?q=\{searchTerms\}"/);
    const parsed = await page.evaluate((s) => new DOMParser().parseFromString(s, 'application/xml')
      .getElementsByTagName('parsererror').length, xml);
    assert.equal(parsed, 0);
  });

  it('narrow screens: layout stacks without horizontal scrolling', async (t) => {
    const page = await newPage(t, { width: 390, height: 844 });
    await page.goto(`${SEARCHD}/?q=${encodeURIComponent(KHMER_QUERY)}`);
    await page.locator('#results .hit').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal overflow (${overflow}px)`);
    await shot(page, 'mobile');
  });

  it('narrow screens: long unbroken user text (query, titles, snippets, chips) wraps', async (t) => {
    const page = await newPage(t, { width: 375, height: 800 });
    const overflow = () => page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > vw + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className}`);
      return { extra: document.documentElement.scrollWidth - vw, wide };
    });
    const longQuery = 'https://www.ohchr.org/en/documents/country-reports/cambodia-report-2021';
    await page.goto(`${SEARCHD}/?q=${encodeURIComponent(longQuery)}`);
    await page.locator('#summary', { hasText: longQuery }).waitFor();
    assert.deepEqual(await overflow(), { extra: 0, wide: [] }, 'the query echoed in the summary wraps');

    const long = (p) => `${p}${'x'.repeat(120)}`;
    await page.route((u) => u.pathname === '/api/search', (route) => route.fulfill({
      json: {
        total: 1, page: 1, per_page: 10, took_ms: 1, suggestion: long('suggestion-'),
        hits: [{
          id: 'long', title: long('title-'), type: 'report', date: '2021', lang: ['en'], source: long('source-'),
          snippet: `<mark>${long('snippet-')}</mark>`,
        }],
        facets: { source: [{ value: long('source-'), label: long('source-'), count: 1 }] },
      },
    }));
    await page.goto(`${SEARCHD}/?q=${encodeURIComponent(longQuery)}&source=${long('source-')}`);
    await page.locator('#results .hit').first().waitFor();
    await page.locator('#did-you-mean a').waitFor();
    assert.deepEqual(await overflow(), { extra: 0, wide: [] }, 'hit title, meta, snippet, chip and did-you-mean wrap');
    await shot(page, 'mobile-long-text');
  });

  it('embed on another origin: results via CORS, styles isolated from hostile host CSS', async (t) => {
    assert.ok(EMBED_PORT, 'EMBED_PORT is set');
    const page = await newPage(t);
    await page.goto(`${EMBED_ORIGIN}/`);
    // The hostile CSS is live on the host page...
    assert.equal(await page.locator('#control').evaluate((e) => getComputedStyle(e).color), 'rgb(255, 0, 0)');
    const input = page.locator('#rs input');
    await input.waitFor();
    await input.pressSequentially('hum', { delay: 40 });
    await page.locator('#rs [role=option]').first().waitFor();
    await shot(page, 'embed-suggestions');
    await input.fill('human rights');
    await input.press('Enter');
    const hits = page.locator('#rs li.h');
    await hits.first().waitFor();
    const link = hits.first().locator('a');
    const href = new URL(await link.getAttribute('href'));
    assert.equal(href.origin, new URL(SEARCHD).origin);
    assert.ok(href.searchParams.get('doc'), 'title links to ENDPOINT/?doc=ID');
    assert.ok((await page.locator('#rs li.h mark').count()) > 0, 'snippet highlights');
    // ...but does not reach inside the shadow root.
    const style = (loc, props) => loc.evaluate((e, ps) => Object.fromEntries(ps.map((p) => [p, getComputedStyle(e)[p]])), props);
    const s = await style(link, ['color', 'fontSize', 'fontFamily', 'letterSpacing']);
    assert.notEqual(s.color, 'rgb(255, 0, 0)');
    assert.equal(s.color, 'rgb(31, 95, 168)', 'the embed\'s own link colour');
    assert.equal(s.fontSize, '15px');
    assert.doesNotMatch(s.fontFamily, /Courier/);
    assert.equal(s.letterSpacing, 'normal');
    const snip = await style(hits.first().locator('.x'), ['color', 'fontSize']);
    assert.notEqual(snip.color, 'rgb(255, 0, 0)');
    assert.equal(snip.fontSize, '14px');
    const inStyle = await style(input, ['borderTopStyle', 'fontSize', 'backgroundColor']);
    assert.notEqual(inStyle.borderTopStyle, 'dotted');
    assert.equal(inStyle.fontSize, '15px');
    assert.equal(inStyle.backgroundColor, 'rgb(255, 255, 255)');
    assert.equal(await page.locator('#rs mark').first().evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(255, 229, 138)');
    await shot(page, 'embed');
    assert.deepEqual(page.jsErrors, []);
  });

  it('embed: an actor or ministry suggestion filters by it, as the search page does, with a removable chip', async (t) => {
    const page = await newPage(t);
    await page.goto(`${EMBED_ORIGIN}/`);
    const input = page.locator('#rs input');
    const status = page.locator('#rs p.s');
    const total = async (qs) => (await apiJSON(`/api/search?${qs}`)).total;
    const base = await total('q=human+rights');
    const cchr = await total('q=human+rights&actor=cchr');
    // The request sent (below) tells a filter from the name searched as words; the counts
    // tell the filtered search from the one before the pick.
    assert.notEqual(cchr, base, 'the filter changes the count here');
    await input.fill('human rights');
    await input.press('Enter');
    await status.filter({ hasText: new RegExp(`^${base} results`) }).waitFor();
    await input.fill('');
    await input.pressSequentially('Cambodian Center', { delay: 30 });
    const option = page.locator('#rs [role=option]', { hasText: 'Cambodian Center for Human Rights' });
    await option.waitFor();
    const searched = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/search');
    await option.click();
    const sent = new URL((await searched).url()).searchParams;
    assert.equal(sent.get('q'), 'human rights');
    assert.deepEqual(sent.getAll('actor'), ['cchr']);
    await status.filter({ hasText: new RegExp(`^${cchr} results?`) }).waitFor();
    assert.equal(await input.inputValue(), 'human rights');
    const chip = page.locator('#rs .f button');
    assert.equal(await chip.count(), 1);
    assert.ok(await chip.isVisible());
    assert.equal(await chip.getAttribute('aria-label'), 'Remove filter Actor: Cambodian Center for Human Rights');
    await shot(page, 'embed-filter');
    // Result links open the search page in the state the stock page reaches with the same pick.
    const href = new URL(await page.locator('#rs li.h a').first().getAttribute('href'));
    assert.ok(href.searchParams.get('doc'));
    href.searchParams.delete('doc');
    const stock = await newPage(t);
    await search(stock, 'human rights');
    await stock.locator('#q').fill('');
    await stock.locator('#q').pressSequentially('Cambodian Center', { delay: 30 });
    await stock.locator('#q-suggestions [role=option]', { hasText: 'Cambodian Center for Human Rights' }).click();
    await stock.waitForURL((u) => u.searchParams.has('actor'));
    assert.equal(href.search, new URL(stock.url()).search);

    // Removing the chip searches without the filter again.
    await chip.click();
    await status.filter({ hasText: new RegExp(`^${base} results`) }).waitFor();
    assert.equal(await chip.count(), 0);
    // A ministry likewise.
    await input.fill('');
    await input.pressSequentially('Interior', { delay: 30 });
    const ministry = page.locator('#rs [role=option]', { hasText: 'Ministry of Interior' });
    await ministry.waitFor();
    const again = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/search');
    await ministry.click();
    assert.deepEqual(new URL((await again).url()).searchParams.getAll('ministry'), ['interior']);
    await status.filter({ hasText: new RegExp(`^${await total('q=human+rights&ministry=interior')} results?`) }).waitFor();
    assert.equal(await chip.getAttribute('aria-label'), 'Remove filter Ministry: Ministry of Interior');
    assert.deepEqual(page.jsErrors, []);
  });

  it('embed on a phone: long unbroken titles, snippets, meta and suggestions wrap inside the box', async (t) => {
    const page = await newPage(t, { width: 375, height: 800 });
    const long = (p) => `${p}${'x'.repeat(120)}`;
    // Real answers with long unbroken corpus text put in (the CORS headers stay).
    const edit = (pathname, change) => page.route((u) => u.pathname === pathname, async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      change(json);
      await route.fulfill({ response, json });
    });
    await edit('/api/suggest', (j) => { j.suggestions[0].text = long('suggestion-'); });
    await edit('/api/search', (j) => {
      Object.assign(j.hits[0], { title: long('title-'), type: long('type-'), source: long('source-'),
        snippet: `<mark>${long('snippet-')}</mark>` });
    });
    await page.goto(`${EMBED_ORIGIN}/`);
    const overflow = () => page.evaluate(() => {
      const root = document.getElementById('rs').shadowRoot;
      const box = root.querySelector('.r').getBoundingClientRect();
      // Text that runs past the box's right edge (an element's own box may stay inside).
      const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const wide = [];
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const r = document.createRange();
        r.selectNodeContents(n);
        const e = n.parentElement;
        if (e.closest('style') || !r.getClientRects().length) continue;
        if (r.getBoundingClientRect().right > box.right + 0.5) wide.push(`${e.tagName.toLowerCase()}.${e.className}`);
      }
      return { extra: document.documentElement.scrollWidth - document.documentElement.clientWidth, wide };
    });
    assert.deepEqual(await overflow(), { extra: 0, wide: [] }, 'the host page fits before searching');
    const input = page.locator('#rs input');
    await input.pressSequentially('hum', { delay: 40 });
    await page.locator('#rs [role=option]', { hasText: 'suggestion-' }).waitFor();
    assert.deepEqual(await overflow(), { extra: 0, wide: [] }, 'a long suggestion wraps');
    await input.fill('human rights');
    await input.press('Enter');
    await page.locator('#rs li.h a', { hasText: 'title-' }).waitFor();
    assert.deepEqual(await overflow(), { extra: 0, wide: [] }, 'title, meta line and snippet wrap');
    await shot(page, 'embed-mobile-long-text');
    assert.deepEqual(page.jsErrors, []);
  });

  it('embed on a right-to-left Arabic host page: its English interface stays lang="en" and left-to-right', async (t) => {
    const page = await newPage(t);
    await page.goto(`${EMBED_ORIGIN}/rtl.html`);
    assert.equal(await page.locator('#control').evaluate((e) => getComputedStyle(e).direction), 'rtl');
    const input = page.locator('#rs input');
    await input.fill('human rights');
    await input.press('Enter');
    await page.locator('#rs li.h').first().waitFor();
    const look = (sel) => page.locator('#rs').evaluate((host, s) => {
      const e = host.shadowRoot.querySelector(s);
      const box = host.shadowRoot.querySelector('.r').getBoundingClientRect();
      const r = document.createRange();
      r.selectNodeContents(e);
      const left = Math.min(...[...r.getClientRects()].map((x) => x.left));
      const right = Math.max(...[...r.getClientRects()].map((x) => x.right));
      return { dir: getComputedStyle(e).direction, arabic: e.matches(':lang(ar)'), english: e.matches(':lang(en)'),
        atLeft: left - box.left < 20, atRight: box.right - right < 20 };
    }, sel);
    const english = { dir: 'ltr', arabic: false, english: true, atLeft: true };
    const ui = async (sel) => { const { atRight, ...rest } = await look(sel); return rest; };
    assert.deepEqual(await ui('p.s'), english, 'the "N results · See all" line');
    assert.deepEqual(await ui('li.h .m'), english, 'the meta line');
    assert.deepEqual(await ui('button[type=submit]'), { ...english, atLeft: false });
    const x = (sel) => page.locator(`#rs ${sel}`).evaluate((e) => e.getBoundingClientRect().left);
    assert.ok(await x('button[type=submit]') > await x('input'), 'the Search button is right of the input');
    const title = await look('li.h[lang=en] a');
    assert.equal(title.dir, 'ltr', 'an English title is left-to-right');
    assert.ok(title.atLeft, 'and left-aligned');
    await shot(page, 'embed-rtl-host');
    // An Arabic document's title and snippet still run right-to-left.
    await input.fill(ARABIC_QUERY);
    await input.press('Enter');
    await page.locator('#rs li.h[lang=ar]').first().waitFor();
    const arabic = await look('li.h[lang=ar] a');
    assert.deepEqual([arabic.dir, arabic.arabic, arabic.atRight], ['rtl', true, true], 'right-to-left, right-aligned');
    assert.equal((await look('li.h[lang=ar] .x')).dir, 'rtl');
    await shot(page, 'embed-rtl-host-arabic');
    assert.deepEqual(page.jsErrors, []);
  });

  it('embed without an endpoint attribute uses the origin it was loaded from', async (t) => {
    const page = await newPage(t);
    await page.goto(`${EMBED_ORIGIN}/default-endpoint.html`);
    const input = page.locator('#rs input');
    await input.fill('human rights');
    await input.press('Enter');
    await page.locator('#rs li.h').first().waitFor();
    assert.equal(new URL(await page.locator('#rs li.h a').first().getAttribute('href')).origin, new URL(SEARCHD).origin);
  });
});
