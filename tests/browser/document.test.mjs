// Browser tests for the document view of the search page (web/): opening, back/forward,
// "Next match", the modal dialog, printing, PDF pages, Khmer and Arabic documents, and a
// query searchd cannot parse.
//
//   SEARCHD_URL=http://127.0.0.1:18080 node --test document.test.mjs
//
// SEARCHD_URL: see support.mjs; run.sh sets it up. Screenshots go to artifacts/.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  SEARCHD, KHMER_QUERY, KHMER_UDHR_TITLE, ARABIC_QUERY, NEEDS_SEARCHD,
  launchBrowser, closeBrowser, newPage, shot, search, apiJSON,
} from './support.mjs';

describe('search page and embed (headless Chromium)', NEEDS_SEARCHD, () => {
  before(launchBrowser);
  after(closeBrowser);

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

  it('printing an open document prints all of its text without the search page; with none open, the results', async (t) => {
    const page = await newPage(t);
    const id = '2021-05-open-letter-cso-gbv-cases';
    const doc = await apiJSON(`/api/doc/${id}`);
    // The letter ends with a long list of signatories: its last line is screens below the title.
    const last = doc.text.trim().split('\n').pop().trim();
    assert.ok(doc.text.length > 5000 && last.length > 5, 'a long document with a distinctive last line');
    await page.goto(`${SEARCHD}/?q=Sar+Kheng&doc=${id}`);
    const panel = page.locator('#doc-panel');
    await panel.locator('.doc-text mark').first().waitFor();
    await page.emulateMedia({ media: 'print' });
    const shown = (sel) => page.evaluate((s) => [...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0), sel);
    for (const sel of ['#search-form', '#sidebar', '#results', '#pagination', '#toolbar', '#doc-panel .close', '#doc-panel .doc-matches button']) {
      assert.equal(await shown(sel), false, `${sel} is not printed with a document open`);
    }
    for (const sel of ['#doc-title', '#doc-panel .doc-meta', '#doc-panel .doc-text mark']) assert.ok(await shown(sel), `${sel} is printed`);
    const layout = await panel.evaluate((p, lastLine) => {
      const texts = [...p.querySelectorAll('.doc-text')];
      const node = [...texts.at(-1).childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).at(-1);
      const r = document.createRange();
      r.setStart(node, node.data.lastIndexOf(lastLine));
      r.setEnd(node, node.data.lastIndexOf(lastLine) + lastLine.length);
      return {
        position: getComputedStyle(p).position, scrollHeight: p.scrollHeight, clientHeight: p.clientHeight,
        lastBottom: r.getBoundingClientRect().bottom + window.scrollY, pageHeight: document.documentElement.scrollHeight,
      };
    }, last);
    assert.notEqual(layout.position, 'fixed', 'the panel is not a fixed overlay in print');
    assert.ok(layout.scrollHeight <= layout.clientHeight + 1, `no inner scrolling: ${JSON.stringify(layout)}`);
    assert.ok(layout.lastBottom <= layout.pageHeight, `the last line is inside the printed page: ${JSON.stringify(layout)}`);
    // Chromium writes the page tree uncompressed: << /Type /Pages /Count N /Kids [...] >>.
    const pdfPages = (buf) => Number(/\/Type\s*\/Pages\s*\/Count\s+(\d+)/.exec(buf.toString('latin1'))?.[1]);
    // An A4 page is 1123 CSS px tall and narrower than the 1280 px viewport, so the text
    // needs at least this many pages (a screenful of the panel printed on 2).
    const pages = pdfPages(await page.pdf({ format: 'A4' }));
    assert.ok(pages >= Math.max(3, Math.ceil(layout.lastBottom / 1123)), `${pages} PDF pages for ${layout.lastBottom} px of document`);

    // No document open: the results print in the page flow, without sticky/fixed overlays.
    await page.emulateMedia({ media: 'screen' });
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await page.emulateMedia({ media: 'print' });
    const pos = (sel) => page.locator(sel).evaluate((e) => getComputedStyle(e).position);
    assert.equal(await pos('.site-header'), 'static');
    assert.equal(await shown('#search-form'), false);
    assert.equal(await shown('#sidebar'), false, 'facets are not printed');
    assert.ok(await shown('#summary') && await shown('#results .hit:last-child .snippet'), 'the summary and the hits are');
    assert.ok(pdfPages(await page.pdf({ format: 'A4' })) >= 1);
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

  it('a PDF hit\'s page is in the URL (doc_page): click, reload, back/forward and a shared link open the document there', async (t) => {
    const page = await newPage(t, { width: 1280, height: 700 });
    // Three pages, each taller than the panel, so "at page N" is visible in the scroll position.
    const pagesText = [1, 2, 3].map((n) => `${`Page ${n} line, human rights.\n`.repeat(60)}`);
    const enc = new TextEncoder();
    const text = pagesText.join('');
    const doc = {
      id: 'test/pdf3', path: 'x.pdf', title: 'Three page PDF', type: 'report', date: '2021-05', lang: ['en'],
      source: 'Test', access: 'public', actors: [], ministries: [], authors: [], signatories: [], addressees: [],
      text, highlighted_text: text,
      page_starts: [0, enc.encode(pagesText[0]).length, enc.encode(pagesText[0] + pagesText[1]).length],
    };
    await page.route('**/api/doc/**', (route) => route.fulfill({ json: doc }));
    await page.route((u) => u.pathname === '/api/search', async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      Object.assign(json.hits[0], { id: doc.id, title: doc.title, page: 3 });
      await route.fulfill({ response, json });
    });
    const panel = page.locator('#doc-panel');
    // Page N is at the top of the panel (scrolled to it, below the sticky head), or not.
    const atPage = (n) => page.waitForFunction((k) => {
      const p = document.getElementById('doc-panel');
      const s = document.getElementById(`page-${k}`);
      return s && !p.hasAttribute('aria-busy') && Math.abs(s.getBoundingClientRect().top - p.getBoundingClientRect().top) < 200;
    }, n);
    await page.goto(`${SEARCHD}/?q=human+rights`);
    const hit = page.locator('#results .hit', { hasText: doc.title });
    assert.match(await hit.locator('.hit-meta').textContent(), /Page 3/);
    await hit.locator('.hit-title a').click();
    await page.waitForURL((u) => u.searchParams.get('doc') === doc.id);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('doc_page'), '3', 'the page is in the URL');
    assert.equal(url.searchParams.get('page'), null, 'not the results page parameter');
    await atPage(3);
    assert.equal(await hit.locator('.hit-title a').evaluate((a) => new URL(a.href).searchParams.get('doc_page')), '3',
      'the link itself (new tab, copy link) carries the page');
    await page.reload();
    await atPage(3);
    // Closing forgets the page; Back opens the document at page 3 again.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    assert.equal(new URL(page.url()).searchParams.get('doc_page'), null);
    await page.goBack();
    await atPage(3);
    // A shared link to another page of it; an impossible page opens the document at the top.
    await page.goto(`${SEARCHD}/?doc=${encodeURIComponent(doc.id)}&doc_page=2`);
    await atPage(2);
    await page.goto(`${SEARCHD}/?doc=${encodeURIComponent(doc.id)}&doc_page=9`);
    await page.locator('#doc-panel #page-1').waitFor();
    await page.waitForFunction(() => !document.getElementById('doc-panel').hasAttribute('aria-busy'));
    assert.equal(await panel.evaluate((p) => p.scrollTop), 0);
    assert.deepEqual(page.jsErrors, []);
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

  it('a document opens (without highlights) when searchd cannot parse the query; the alert says so once', async (t) => {
    const page = await newPage(t);
    const doc = await apiJSON('/api/doc/udhr-eng');
    const panel = page.locator('#doc-panel');
    // An unbalanced quote, and a filter searchd refuses (an unknown type): both 400s.
    for (const [q, code] of [['%22human', 'bad_query'], ['type%3Azzz', 'unknown_type']]) {
      const bad = await apiJSON(`/api/search?q=${q}`);
      assert.equal(bad.error?.code, code, `${q} is rejected`);
      await page.goto(`${SEARCHD}/?q=${q}&doc=udhr-eng`);
      await page.waitForFunction(() => {
        const p = document.getElementById('doc-panel');
        return !p.hidden && !p.hasAttribute('aria-busy') && !p.querySelector('.loading')
          && !document.getElementById('results-area').hasAttribute('aria-busy');
      });
      assert.equal((await page.locator('#doc-title').textContent()).trim(), doc.title, q);
      assert.ok(await panel.locator('.doc-text').count() > 0, 'the text is shown');
      assert.equal(await panel.locator('.doc-text mark').count(), 0, 'no highlights');
      assert.equal(await panel.locator('.doc-matches').textContent(), 'Matches are not highlighted: the search could not be read.');
      assert.equal((await page.locator('#error').textContent()).trim(), bad.error.message, 'the message once');
    }
    assert.deepEqual(page.jsErrors.filter((e) => !/status of 400/.test(e)), []);
    // When the search and the document fail alike (server unreachable), the alert says it once.
    await page.route((u) => u.pathname.startsWith('/api/'), (route) => route.abort());
    await page.goto(`${SEARCHD}/?q=human&doc=udhr-eng`);
    await panel.locator('#doc-title', { hasText: 'Document not available' }).waitFor();
    await page.locator('#summary', { hasText: 'could not be run' }).waitFor();
    assert.equal(await page.locator('#error').textContent(),
      'Cannot reach the search server. Check your connection and try again.');
  });
});
