// Unit tests for the page's pure helpers (web/dom.js, state.js, docview.js) and a source
// check of web/*.js. No browser or searchd needed:
//
//   node --test helpers.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
  parseMarked, decodeEntities, splitTextAtBytes, splitSegmentsAtBytes, formatDate,
} from '../../web/dom.js';
import { parseState, stateToQuery, dateRangeError } from '../../web/state.js';
import { docPages } from '../../web/docview.js';
import { WEB } from './support.mjs';


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
    // A PDF page of the open document: its own parameter, only with doc, not the results page.
    const d = parseState('?q=x&page=2&doc=a&doc_page=3');
    assert.equal(d.doc_page, '3');
    assert.equal(d.page, '2');
    assert.equal(stateToQuery(d), '?q=x&page=2&doc=a&doc_page=3');
    assert.equal(stateToQuery({ ...d, doc: '' }), '?q=x&page=2');
    assert.equal(parseState('?doc=a&doc_page=x').doc_page, '');
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
