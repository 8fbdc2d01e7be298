// Browser tests for what keyboard-only, screen-reader and phone users meet on the search
// page and in the document view: focus never hidden under the sticky header, focus order
// on a phone, what "Next match" announces, history entries, queries too long to search.
//
//   SEARCHD_URL=http://127.0.0.1:18080 node --test access.test.mjs
//
// SEARCHD_URL: see support.mjs; run.sh sets it up. Screenshots go to artifacts/.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  SEARCHD, KHMER_QUERY, NEEDS_SEARCHD, launchBrowser, closeBrowser, newPage, shot, search, apiJSON,
} from './support.mjs';

// Where the focused element is, against the bottom of the sticky header.
const focusBox = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  const header = document.querySelector('.site-header').getBoundingClientRect();
  return {
    what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || '').trim().slice(0, 30)}"`,
    top: Math.round(r.top), headerBottom: Math.round(header.bottom),
  };
});

describe('keyboard, screen reader and phone use (headless Chromium)', NEEDS_SEARCHD, () => {
  before(launchBrowser);
  after(closeBrowser);

  it('keyboard focus is never hidden under the sticky header (Shift+Tab upwards, paging)', async (t) => {
    // A short laptop window, so that both the facets and the results scroll.
    const page = await newPage(t, { width: 1024, height: 500 });
    await page.goto(`${SEARCHD}/?q=human&per_page=3`);
    await page.locator('#results .hit').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.locator('#pagination a').last().focus();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Shift+Tab');
      const box = await focusBox(page);
      if (box.what.startsWith('input#q')) break;
      assert.ok(box.top >= box.headerBottom, `Shift+Tab ${i + 1}: ${box.what} is under the header: ${JSON.stringify(box)}`);
    }
    // "Next" moves focus to the summary of the new page: it must be in sight too.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.locator('#pagination a[rel=next]').click();
    await page.waitForFunction(() => document.activeElement?.id === 'summary');
    const box = await focusBox(page);
    assert.ok(box.top >= box.headerBottom, `the summary is under the header: ${JSON.stringify(box)}`);
    await shot(page, 'focus-below-header');
    // The search box is in the header, always in sight: focusing it and walking its
    // suggestions must not scroll the results away.
    await page.evaluate(() => window.scrollTo(0, 300));
    await page.locator('#q').focus();
    await page.locator('#q').fill('');
    await page.locator('#q').pressSequentially('hum', { delay: 30 });
    await page.locator('#q-suggestions [role=option]').first().waitFor();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => window.scrollY), 300, 'the page stays where it was');
  });

  it('"Next match" and "Previous match" say which match is shown ("Match 2 of N") in a live region inside the dialog', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const panel = page.locator('#doc-panel');
    await page.locator('#results .hit .hit-title a').first().click();
    await panel.locator('.doc-text mark').first().waitFor();
    const n = await panel.locator('.doc-text mark').count();
    assert.ok(n >= 2, `the document has several matches (${n})`);
    const next = panel.getByRole('button', { name: 'Next match' });
    // Inside the dialog: an aria-modal dialog hides the rest of the page from screen readers.
    const live = panel.locator('[aria-live=polite]');
    assert.equal(await live.count(), 1, 'one polite live region in the dialog');
    await next.click();
    assert.equal((await live.textContent()).trim(), `Match 1 of ${n}`);
    await next.click();
    assert.equal((await live.textContent()).trim(), `Match 2 of ${n}`);
    const current = () => panel.locator('.doc-text mark.current').evaluate((m) => [...document.querySelectorAll('#doc-panel .doc-text mark')].indexOf(m));
    assert.equal(await current(), 1, 'the second match is the one marked current');
    // A match passed by mistake is one step back, not n - 1 steps forward.
    const previous = panel.getByRole('button', { name: 'Previous match' });
    await previous.click();
    assert.equal((await live.textContent()).trim(), `Match 1 of ${n}`);
    assert.equal(await current(), 0);
    await previous.click();
    assert.equal((await live.textContent()).trim(), `Match ${n} of ${n}`, 'back from the first is the last');
    assert.equal(await current(), n - 1);
  });

  it('a screen reader hears the "Did you mean" offer with the count of results', async (t) => {
    const page = await newPage(t);
    const api = await apiJSON('/api/search?q=humen+rights');
    assert.ok(api.suggestion, 'searchd offers a correction for "humen rights"');
    await page.goto(`${SEARCHD}/?q=humen+rights`);
    await page.locator('#did-you-mean a').waitFor();
    const said = await page.locator('#sr-status').textContent();
    assert.ok(said.includes(`Did you mean ${api.suggestion}?`), `the live region says: ${said}`);
  });

  it('on a phone, a long document title does not stay over the text while reading; Close stays in reach', async (t) => {
    const page = await newPage(t, { width: 375, height: 667 });
    const id = '2021-us-state-department-2020-human-rights-report-cambodia'; // a title of 5 lines at 375 px
    await page.goto(`${SEARCHD}/?q=human+rights&doc=${id}`);
    const panel = page.locator('#doc-panel');
    await panel.locator('.doc-text').first().waitFor();
    await panel.evaluate((p) => { p.scrollTop = p.scrollHeight / 2; });
    // How far down the screen the text starts: what is above it stays there while reading.
    const textTop = await page.evaluate(() => {
      for (let y = 0; y < innerHeight; y += 2) {
        if (document.elementFromPoint(innerWidth / 3, y)?.closest('.doc-text')) return y;
      }
      return innerHeight;
    });
    await shot(page, 'phone-doc-reading');
    assert.ok(textTop <= 80, `the text starts ${textTop}px down a 667px screen`);
    const close = panel.getByRole('button', { name: 'Close document' });
    const box = await close.boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 667, `Close is on screen: ${JSON.stringify(box)}`);
    await close.click();
    await panel.waitFor({ state: 'hidden' });
  });

  it('searchd answering 503 (starting, between indexes): a plain message, and the search runs again by itself', async (t) => {
    const page = await newPage(t);
    let refused = 0;
    // searchd's own 503 answer, twice, then searchd answers.
    await page.route((u) => u.pathname === '/api/search', (route) => {
      if (refused++ >= 2) return route.continue();
      return route.fulfill({
        status: 503, headers: { 'Retry-After': '1' },
        json: { error: { code: 'index_unavailable', message: 'no usable index is being served; the server log says why' } },
      });
    });
    await page.goto(`${SEARCHD}/?q=torture`);
    const error = page.locator('#error');
    await page.locator('#error', { hasText: /\S/ }).waitFor();
    const message = await error.textContent();
    assert.doesNotMatch(message, /server log|usable index/, 'no operator jargon');
    assert.match(message, /not available for the moment.*Try again/);
    assert.match(await page.locator('#sr-status').textContent(), /could not be run/);
    await page.locator('#results .hit').first().waitFor({ timeout: 5000 });
    assert.equal(refused, 3, 'two refusals, then the search that ran');
    assert.equal(await error.textContent(), '');
    assert.match(await page.locator('#sr-status').textContent(), /^\d+ results?/);
  });

  it('on a phone, a long unbroken suggestion (a URL or file name as a title) wraps, and its kind stays in sight', async (t) => {
    const page = await newPage(t, { width: 375, height: 667 });
    const long = `https://www.ohchr.org/en/documents/country-reports/cambodia-report-2021-${'x'.repeat(60)}`;
    await page.route((u) => u.pathname === '/api/suggest', (route) => route.fulfill({
      json: { suggestions: [{ text: long, kind: 'title', value: 'udhr-arb' }] },
    }));
    await page.goto(`${SEARCHD}/`);
    await page.locator('#q').pressSequentially('cam', { delay: 30 });
    const option = page.locator('#q-suggestions [role=option]').first();
    await option.waitFor();
    const boxes = await page.evaluate(() => {
      const list = document.getElementById('q-suggestions').getBoundingClientRect();
      const parts = [...document.querySelectorAll('#q-suggestions .sugg-text, #q-suggestions .sugg-kind')]
        .map((e) => ({ cls: e.className, right: Math.round(e.getBoundingClientRect().right) }));
      return { listRight: Math.round(list.right), parts };
    });
    for (const p of boxes.parts) assert.ok(p.right <= boxes.listRight, `${p.cls} inside the list: ${JSON.stringify(boxes)}`);
    await shot(page, 'phone-long-suggestion');
  });

  it('results have a heading outline: one h1, no levels skipped (facets and hits are h2)', async (t) => {
    const page = await newPage(t);
    const outline = () => page.evaluate(() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      .filter((e) => !e.closest('[hidden]') && getComputedStyle(e).display !== 'none')
      .map((e) => ({ level: Number(e.tagName[1]), text: e.textContent.trim().slice(0, 40) })));
    const check = (hs, when) => {
      assert.equal(hs.filter((x) => x.level === 1).length, 1, `${when}: one h1 in ${JSON.stringify(hs)}`);
      hs.forEach((x, i) => assert.ok(!i || x.level <= hs[i - 1].level + 1, `${when}: "${x.text}" skips a level: ${JSON.stringify(hs)}`));
    };
    await page.goto(`${SEARCHD}/`);
    check(await outline(), 'home page');
    await search(page, 'human rights');
    const hs = await outline();
    check(hs, 'results');
    assert.ok(hs.some((x) => x.level === 1 && /results/i.test(x.text)), 'the h1 names the results');
    // The results list is named by it.
    const label = await page.locator('#results').evaluate((ol) => document.getElementById(ol.getAttribute('aria-labelledby'))?.textContent);
    assert.match(label || '', /results/i);
    await page.goto(`${SEARCHD}/?q=${encodeURIComponent('"human rights')}`);
    await page.locator('#error', { hasText: /\S/ }).waitFor();
    check(await outline(), 'a failed search');
  });

  it('searching again for what is on screen adds no history entry (Back goes to the search before)', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    await page.locator('#q').fill('torture');
    await page.locator('#q').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === 'torture');
    await page.locator('#results .hit').first().waitFor();
    const length = await page.evaluate(() => history.length);
    // Pressing Enter again (or Search), as people do while waiting or unsure it worked.
    await page.locator('#q').press('Enter');
    await page.locator('form#search-form button[type=submit]').click();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => history.length), length, 'no new history entries');
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('q') === 'human rights');
    assert.equal(await page.locator('#q').inputValue(), 'human rights');
  });

  it('arrowing through the sort options from the keyboard is one history step, not one per option', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const length = await page.evaluate(() => history.length);
    // A closed <select> changes (and fires "change") on each arrow key.
    await page.locator('#sort').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForURL((u) => u.searchParams.get('sort') === '-date');
    await page.keyboard.press('ArrowDown');
    await page.waitForURL((u) => u.searchParams.get('sort') === 'date');
    assert.equal(await page.evaluate(() => history.length), length + 1);
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('sort'));
    assert.equal(await page.locator('#sort').inputValue(), 'relevance');
    // After another step (a facet), a sort change is a step of its own again.
    await page.goForward();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'date');
    await page.locator('#facets .facet-btn').first().click();
    await page.locator('#chips .chip').first().waitFor();
    const facetUrl = page.url();
    await page.locator('#sort').selectOption('relevance');
    await page.waitForURL((u) => !u.searchParams.has('sort'));
    await page.goBack();
    await page.waitForURL((u) => u.href === facetUrl);
  });

  it('the window title names the page of results and the open document (history list, bookmarks)', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/?q=human&per_page=2`);
    await page.locator('#results .hit').first().waitFor();
    assert.equal(await page.title(), 'human – Rights Search');
    await page.locator('#pagination a[rel=next]').click();
    await page.locator('#summary', { hasText: /^3–4 of/ }).waitFor();
    assert.equal(await page.title(), 'human – page 2 – Rights Search');
    const title = (await page.locator('#results .hit .hit-title a').first().textContent()).trim();
    await page.locator('#results .hit .hit-title a').first().click();
    await page.locator('#doc-panel .doc-text').first().waitFor();
    assert.equal(await page.title(), `${title} – Rights Search`);
    await page.keyboard.press('Escape');
    await page.locator('#doc-panel').waitFor({ state: 'hidden' });
    assert.equal(await page.title(), 'human – page 2 – Rights Search');
  });

  it('a query longer than searchd takes is refused before searching; the page address stays one that loads', async (t) => {
    const page = await newPage(t);
    await search(page, 'human rights');
    const before = page.url();
    // Khmer takes 3 bytes a character: 800 characters are 2400 bytes, over searchd's 2048.
    const long = KHMER_QUERY.repeat(Math.ceil(800 / KHMER_QUERY.length));
    await page.locator('#q').fill(long);
    await page.locator('#q').press('Enter');
    await page.locator('#error', { hasText: /2048/ }).waitFor();
    assert.equal(page.url(), before, 'the refused query does not become the page address');
    assert.equal(await page.locator('#q').inputValue(), long, 'the query stays in the box, to shorten it');
    assert.match(await page.locator('#sr-status').textContent(), /could not be run/);
    // The address still loads (a 10 kB query in it would be refused by searchd with 414).
    await page.locator('#q').fill('word '.repeat(2000));
    await page.locator('#q').press('Enter');
    await page.locator('#error', { hasText: /2048/ }).waitFor();
    const res = await page.reload();
    assert.equal(res.status(), 200);
    await page.locator('#results .hit').first().waitFor();
    // A shorter query searches again and clears the message.
    await page.locator('#q').fill('torture');
    await page.locator('#q').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === 'torture');
    await page.locator('#results .hit').first().waitFor();
    assert.equal(await page.locator('#error').textContent(), '');
  });

  it('on a phone, Tab goes from the search box down the page in the order it is shown', async (t) => {
    const page = await newPage(t, { width: 375, height: 667 });
    await page.goto(`${SEARCHD}/?q=human`);
    await page.locator('#results .hit').first().waitFor();
    await page.locator('#q').focus();
    let lastY = -Infinity;
    const seen = [];
    let reachedHit = false;
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        return { y: Math.round(el.getBoundingClientRect().top + window.scrollY), hit: Boolean(el.closest('.hit')), what: `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 20)}"` };
      });
      seen.push(`${at.y} ${at.what}`);
      reachedHit ||= at.hit;
      assert.ok(at.y >= lastY - 40, `Tab ${i + 1} jumps back up the page:\n${seen.join('\n')}`);
      lastY = at.y;
    }
    assert.ok(reachedHit, `a result is among the first stops:\n${seen.join('\n')}`);
    // The filters are one button above the results: unfolded, a facet filters as on a laptop.
    const toggle = page.getByRole('button', { name: 'Filters' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(await page.locator('#facets .facet-btn').first().isHidden(), 'folded');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const facet = page.locator('#facets .facet-btn[aria-pressed=false]').first();
    await facet.click();
    await page.locator('#chips .chip').first().waitFor();
    assert.equal(await toggle.textContent(), 'Filters (1 on)');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
    await shot(page, 'phone-filters');
    // A date searchd refuses (from a shared link) unfolds the filters, where the inputs to correct are.
    const phone = await newPage(t, { width: 375, height: 667 });
    await phone.goto(`${SEARCHD}/?q=human&from=2021-02-30`);
    await phone.locator('#error', { hasText: /\S/ }).waitFor();
    assert.ok(await phone.locator('#date-from').isVisible(), 'the From input is in sight');
    assert.equal(await phone.locator('#date-from').inputValue(), '2021-02-30');
  });
});
