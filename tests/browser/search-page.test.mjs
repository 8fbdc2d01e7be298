// Browser tests for the search page (web/): results, suggestions, facets, year histogram,
// sort, date filters, search tips, keyboard use, errors, pagination, export, OpenSearch
// and narrow screens.
//
//   SEARCHD_URL=http://127.0.0.1:18080 node --test search-page.test.mjs
//
// SEARCHD_URL: see support.mjs; run.sh sets it up. Screenshots go to artifacts/.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { parseState, stateToQuery } from '../../web/state.js';
import {
  SEARCHD, KHMER_QUERY, NEEDS_SEARCHD,
  launchBrowser, closeBrowser, newPage, shot, summaryTotal, search, apiJSON,
} from './support.mjs';

describe('search page and embed (headless Chromium)', NEEDS_SEARCHD, () => {
  before(launchBrowser);
  after(closeBrowser);

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

  it('keyboard: focus stays on the date input or button after applying or clearing typed dates', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/?q=human`);
    await page.locator('#results .hit').first().waitFor();
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      return a === document.body ? 'BODY' : a.id || a.textContent.trim();
    });
    // The results (and the rebuilt date form) are in once the date chip says so.
    const dateChip = (text) => page.locator('#chips [data-key="chip:date"]', { hasText: text }).waitFor();
    await page.locator('#date-from').focus();
    await page.keyboard.type('2021');
    await page.keyboard.press('Enter');
    await dateChip('Date: 2021 – …');
    assert.equal(await focused(), 'date-from', 'Enter in From');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'date-to', 'Tab goes on from there');
    await page.keyboard.type('2021');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Apply');
    await page.keyboard.press('Enter');
    await dateChip(/^Date: 2021×?$/);
    assert.equal(await focused(), 'Apply', 'Apply');
    await page.locator('#dates button', { hasText: 'Clear dates' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => !u.searchParams.has('from') && !u.searchParams.has('to'));
    await page.waitForFunction(() => !document.querySelector('[data-key="chip:date"]') && document.querySelector('#results .hit'));
    assert.equal(await focused(), 'date-from', 'Clear dates (gone once cleared): the From input');
    assert.deepEqual(page.jsErrors, []);
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
    const json = await (await fetch(await page.locator('#export-json').evaluate((e) => e.href))).json();
    assert.deepEqual(json.hits.map((x) => x.id), five);

    await page.goto(`${SEARCHD}/?q=zzqxjvunfindable`);
    await page.locator('#results .no-hits').waitFor();
    assert.ok(await page.locator('#toolbar').isVisible());
    assert.ok(await page.locator('#export').isHidden(), 'nothing to export');
  });

  it('advertises /opensearch.xml, which is served and well formed', async (t) => {
    const page = await newPage(t);
    await page.goto(`${SEARCHD}/`);
    // Relative, so that it resolves under a reverse proxy's path prefix as well.
    assert.equal(await page.locator('link[rel=search]').getAttribute('href'), 'opensearch.xml');
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
});
