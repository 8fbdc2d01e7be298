// Browser tests for the embeddable search box (web/embed.js) on a hostile third-party
// page served from another origin (EMBED_PORT); also the box and the search page behind
// a reverse proxy that mounts searchd under /search/ on that origin (support.mjs).
//
//   SEARCHD_URL=http://127.0.0.1:18080 EMBED_PORT=18081 node --test embed.test.mjs
//
// SEARCHD_URL, EMBED_PORT: see support.mjs; run.sh sets them up. Screenshots go to artifacts/.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  SEARCHD, EMBED_PORT, EMBED_ORIGIN, ARABIC_QUERY, NEEDS_SEARCHD, PROXY_PREFIX,
  launchBrowser, closeBrowser, startHostServer, stopHostServer, newPage, shot, search, apiJSON, summaryTotal,
} from './support.mjs';

describe('search page and embed (headless Chromium)', NEEDS_SEARCHD, () => {
  before(async () => {
    await launchBrowser();
    await startHostServer();
  });

  after(async () => {
    await closeBrowser();
    await stopHostServer();
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

  it('embed under a strict Content-Security-Policy (style-src without \'unsafe-inline\') is still styled', async (t) => {
    const page = await newPage(t);
    const refused = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
    const res = await page.goto(`${EMBED_ORIGIN}/csp.html`);
    assert.match(res.headers()['content-security-policy'], /style-src 'self' http:\/\/127\.0\.0\.1:\d+;/);
    const input = page.locator('#rs input');
    await input.pressSequentially('hum', { delay: 40 });
    await page.locator('#rs [role=option]').first().waitFor();
    // The suggestion list floats below the input (unstyled, it would push the page down).
    assert.equal(await page.locator('#rs [role=listbox]').evaluate((e) => getComputedStyle(e).position), 'absolute');
    await input.fill('human rights');
    await input.press('Enter');
    await page.locator('#rs li.h').first().waitFor();
    const look = await page.locator('#rs').evaluate((host) => {
      const r = host.shadowRoot;
      const box = getComputedStyle(r.querySelector('.r'));
      return { border: `${box.borderTopWidth} ${box.borderTopStyle}`, font: box.fontSize,
        link: getComputedStyle(r.querySelector('li.h a')).color, bullets: getComputedStyle(r.querySelector('ul.res')).listStyleType };
    });
    assert.deepEqual(look, { border: '1px solid', font: '15px', link: 'rgb(31, 95, 168)', bullets: 'none' });
    await shot(page, 'embed-csp');
    assert.deepEqual(refused, [], 'nothing refused by the policy');
    assert.deepEqual(page.jsErrors, []);
  });

  it('embed: a misspelt query offers searchd\'s suggestion ("Did you mean"), which runs that search', async (t) => {
    const api = await apiJSON('/api/search?q=humen+rights');
    assert.ok(api.suggestion, 'searchd suggests a spelling for "humen rights"');
    const fixed = await apiJSON(`/api/search?q=${encodeURIComponent(api.suggestion)}`);
    const page = await newPage(t);
    await page.goto(`${EMBED_ORIGIN}/`);
    const input = page.locator('#rs input');
    await input.fill('humen rights');
    await input.press('Enter');
    const dym = page.locator('#rs p.s button');
    await dym.waitFor();
    assert.equal(await dym.textContent(), api.suggestion);
    assert.match(await page.locator('#rs p.s').textContent(), new RegExp(`^${api.total} results?.* · Did you mean ${api.suggestion}\\?$`));
    await shot(page, 'embed-did-you-mean');
    await dym.click();
    await page.locator('#rs p.s').filter({ hasText: new RegExp(`^${fixed.total} results`) }).waitFor();
    assert.equal(await input.inputValue(), api.suggestion);
    assert.equal(await page.locator('#rs').evaluate((h) => h.shadowRoot.activeElement?.tagName), 'INPUT', 'focus stays in the box');
    assert.ok(await page.locator('#rs li.h').count() > 0);
    assert.deepEqual(page.jsErrors, []);
  });

  it(`behind a reverse proxy under ${PROXY_PREFIX}/: the embed's links open a search page whose searches, document and exports work`, async (t) => {
    const page = await newPage(t);
    const asked = [];
    page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.includes('/api/')) asked.push(u.pathname); });
    await page.goto(`${EMBED_ORIGIN}/subpath.html`);
    const input = page.locator('#rs input');
    await input.fill('human');
    await input.press('Enter');
    await page.locator('#rs p.s a', { hasText: 'See all' }).click();
    await page.waitForURL((u) => u.pathname === `${PROXY_PREFIX}/` && u.searchParams.get('q') === 'human');
    await page.locator('#results .hit').first().waitFor();
    assert.equal(await summaryTotal(page), (await apiJSON('/api/search?q=human')).total);
    // A page link and the document view (/api/doc) through the prefix too.
    await page.locator('#results .hit a').first().click();
    await page.locator('#doc-panel .doc-body').first().waitFor();
    assert.equal(await page.locator('#error').textContent(), '');
    await page.keyboard.press('Escape');
    await page.locator('#doc-panel').waitFor({ state: 'hidden' });
    await shot(page, 'embed-proxied-page');
    // A facet filter: another search, a pushed URL under the prefix.
    const facet = page.locator('#facets .facet-btn[data-facet=actor]').first();
    const actor = await facet.getAttribute('data-value');
    await facet.click();
    await page.waitForURL((u) => u.pathname === `${PROXY_PREFIX}/` && u.searchParams.get('actor') === actor);
    await page.locator('#chips .chip').first().waitFor();
    const filtered = (await apiJSON(`/api/search?q=human&actor=${encodeURIComponent(actor)}`)).total;
    await page.waitForFunction((n) => document.querySelector('#summary').textContent.includes(`${n} result`), filtered);
    // Suggestions as you type.
    await page.locator('#q').fill('');
    await page.locator('#q').pressSequentially('hum', { delay: 40 });
    await page.locator('#q-suggestions [role=option]').first().waitFor();
    // Exports and the OpenSearch description resolve under the prefix, and are served there.
    for (const sel of ['#export-csv', '#export-json', 'link[rel=search]']) {
      const href = await page.locator(sel).evaluate((e) => e.href);
      assert.ok(new URL(href).pathname.startsWith(`${PROXY_PREFIX}/`), `${sel}: ${href}`);
      assert.equal(await page.evaluate((u) => fetch(u).then((r) => r.status), href), 200, sel);
    }
    assert.ok(asked.length >= 4);
    assert.deepEqual(asked.filter((p) => !p.startsWith(`${PROXY_PREFIX}/api/`)), [], 'every API call under the prefix');
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

  it('embed: each suggestion says its kind (the search page\'s words) and the number of suggestions is announced', async (t) => {
    const kinds = { title: 'Document', actor: 'Actor', ministry: 'Ministry', term: 'Search' };
    const { suggestions } = await apiJSON('/api/suggest?q=sar&limit=6');
    assert.ok(new Set(suggestions.map((x) => x.kind)).size >= 2, 'several kinds of suggestion for "sar"');
    const page = await newPage(t);
    await page.goto(`${EMBED_ORIGIN}/`);
    const input = page.locator('#rs input');
    await input.pressSequentially('sar', { delay: 40 });
    const options = page.locator('#rs [role=option]');
    await options.first().waitFor();
    // "Sar Kheng" + "Actor": the option's text (its accessible name) ends with the kind.
    assert.deepEqual(await options.allTextContents(), suggestions.map((x) => `${x.text}${kinds[x.kind]}`));
    for (const [i, x] of suggestions.entries()) {
      assert.ok(await options.nth(i).getByText(kinds[x.kind], { exact: true }).isVisible(), `kind of option ${i} is shown`);
    }
    // Announced in a polite live region of the box, as the search page does; gone when closed.
    const said = page.locator('#rs [aria-live=polite]', { hasText: 'suggestions available' });
    assert.equal(await said.textContent(), `${suggestions.length} suggestions available.`);
    await shot(page, 'embed-suggestion-kinds');
    await input.press('Escape');
    await options.first().waitFor({ state: 'detached' });
    assert.equal(await said.count(), 0, 'no stale count once the list is closed');
    assert.deepEqual(page.jsErrors, []);
  });

  it('embed: a result link to a PDF hit carries its page (doc_page), which the search page opens at', async (t) => {
    const page = await newPage(t);
    await page.route((u) => u.pathname === '/api/search', async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      json.hits[0].page = 3;
      await route.fulfill({ response, json });
    });
    await page.goto(`${EMBED_ORIGIN}/`);
    const input = page.locator('#rs input');
    await input.fill('human rights');
    await input.press('Enter');
    const links = page.locator('#rs li.h a');
    await links.nth(1).waitFor();
    const first = new URL(await links.first().getAttribute('href'));
    assert.equal(first.searchParams.get('doc_page'), '3');
    assert.ok(first.searchParams.get('doc'));
    assert.equal(first.searchParams.get('page'), null, 'not the results page');
    assert.equal(new URL(await links.nth(1).getAttribute('href')).searchParams.get('doc_page'), null, 'no page, no doc_page');
  });

  it('embed: the visitor\'s search (words and filters) is back after leaving the page and coming back', async (t) => {
    const page = await newPage(t);
    await page.goto(`${EMBED_ORIGIN}/`);
    const input = page.locator('#rs input');
    const status = page.locator('#rs p.s');
    await input.fill('human rights');
    await input.press('Enter');
    await status.filter({ hasText: /^\d+ results/ }).waitFor();
    await input.fill('');
    await input.pressSequentially('Cambodian Center', { delay: 30 });
    await page.locator('#rs [role=option]', { hasText: 'Cambodian Center for Human Rights' }).click();
    const filtered = (await apiJSON('/api/search?q=human+rights&actor=cchr')).total;
    await status.filter({ hasText: new RegExp(`^${filtered} results?`) }).waitFor();
    const href = await page.locator('#rs li.h a').first().getAttribute('href');
    await page.locator('#rs li.h a').first().click();
    await page.waitForURL((u) => u.origin === new URL(SEARCHD).origin);
    // Back: a fresh load of the host page (these tests' Chromium keeps no back/forward
    // cache), as when a browser did not keep the page.
    await page.goBack();
    await status.filter({ hasText: new RegExp(`^${filtered} results?`) }).waitFor();
    assert.equal(await input.inputValue(), 'human rights');
    assert.equal(await page.locator('#rs .f button').getAttribute('aria-label'), 'Remove filter Actor: Cambodian Center for Human Rights');
    assert.equal(await page.locator('#rs li.h a').first().getAttribute('href'), href);
    // Reaching the page by a link (another page of the site) starts empty: no search sent.
    const searches = [];
    page.on('request', (request) => { if (request.url().includes('/api/search')) searches.push(request.url()); });
    await page.goto(`${EMBED_ORIGIN}/`);
    await page.locator('#rs input').waitFor();
    await page.waitForTimeout(300);
    assert.equal(await input.inputValue(), '');
    assert.deepEqual(searches, []);
    assert.deepEqual(page.jsErrors, []);
  });
});
