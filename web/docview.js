// Document view: metadata, and the full text — highlighted when there is a query,
// split into "Page N" sections when the document has PDF page starts (UTF-8 byte
// offsets into `text`).

import {
  h, dirFor, formatDate, languageName, langTag, parseMarked, segmentsToFragment,
  splitSegmentsAtBytes, splitTextAtBytes, utf8Length,
} from './dom.js';

const names = (list) => (Array.isArray(list) ? list : [])
  .map((x) => (x && typeof x === 'object' ? x.name || x.id : x))
  .filter((x) => typeof x === 'string' && x);

/**
 * Returns the pages (arrays of {text, mark} segments) to display.
 * With a query the server's highlighted_text is used; its decoded text must equal
 * `text` for the byte offsets to apply, otherwise it is shown as one block.
 */
export function docPages(doc, q) {
  const starts = Array.isArray(doc.page_starts) ? doc.page_starts : [];
  const text = typeof doc.text === 'string' ? doc.text : '';
  if (q && typeof doc.highlighted_text === 'string' && doc.highlighted_text) {
    const segs = parseMarked(doc.highlighted_text);
    if (!starts.length) return [segs];
    const plain = segs.map((s) => s.text).join('');
    if (utf8Length(plain) === utf8Length(text)) return splitSegmentsAtBytes(segs, starts);
    return [segs];
  }
  return (starts.length ? splitTextAtBytes(text, starts) : [text]).map((t) => [{ text: t, mark: false }]);
}

/** Renders the document into root (replacing its children). */
export function renderDoc(root, doc, q, { onClose, onFilter, note = '' }) {
  delete root.dataset.mark; // "Next match" starts from the first match of each document (Previous: the last)
  const lang = langTag(doc.lang);
  const dir = dirFor(doc.lang);
  const pages = docPages(doc, q);
  const paged = Array.isArray(doc.page_starts) && doc.page_starts.length > 0;
  const matches = pages.reduce((n, p) => n + p.filter((s) => s.mark).length, 0);
  // "Next match" scrolls without moving focus, so by itself it says nothing to a screen
  // reader: the position is announced here. It lives inside the dialog, as an aria-modal
  // dialog hides the rest of the page (the page's own live region) from screen readers.
  const position = h('span', { class: 'match-pos', 'aria-live': 'polite' });
  // Moves to the match `by` steps away (+1 next, -1 previous), round the ends.
  const step = (by) => {
    const marks = [...root.querySelectorAll('.doc-text mark')];
    if (!marks.length) return;
    const cur = root.dataset.mark === undefined ? (by > 0 ? -1 : marks.length) : Number(root.dataset.mark);
    const next = (cur + by + marks.length) % marks.length;
    root.dataset.mark = String(next);
    marks.forEach((m, j) => m.classList.toggle('current', j === next));
    marks[next].scrollIntoView({ block: 'center' });
    position.textContent = `Match ${next + 1} of ${marks.length}`;
  };
  const stepButton = (by, label) => h('button', { type: 'button', class: 'linkish', onclick: () => step(by) }, label);

  const meta = [];
  const row = (label, value) => {
    if (value == null || value === '' || (Array.isArray(value) && !value.length)) return;
    meta.push(h('dt', null, label), h('dd', { dir: 'auto' }, value));
  };
  const entityButtons = (facet, list) => (Array.isArray(list) ? list : []).map((e) => (
    e && typeof e === 'object' && e.id
      ? h('button', {
        type: 'button', class: 'tag', title: `Filter results by ${e.name || e.id}`,
        onclick: () => onFilter(facet, e.id),
      }, e.name || e.id)
      : null)).filter(Boolean);

  row('Date', h('time', { datetime: doc.date || null }, formatDate(doc.date)));
  row('Type', doc.type);
  row('Source', doc.source);
  row('Language', (Array.isArray(doc.lang) ? doc.lang : []).map(languageName).join(', '));
  row('Access', doc.access);
  row('Authors', names(doc.authors).join('; '));
  row('Signatories', names(doc.signatories).join('; '));
  row('Addressees', names(doc.addressees).join('; '));
  row('Actors', entityButtons('actor', doc.actors));
  row('Ministries', entityButtons('ministry', doc.ministries));
  row('Path', doc.path);

  const body = pages.map((segs, i) => h('section', { class: 'page', 'aria-label': paged ? `Page ${i + 1}` : null },
    paged ? h('h3', { class: 'page-no', id: `page-${i + 1}` }, `Page ${i + 1}`) : null,
    h('div', { class: 'doc-text', dir, lang }, segmentsToFragment(segs))));

  root.replaceChildren(...[
    h('div', { class: 'doc-head' },
      h('h2', { id: 'doc-title', tabindex: '-1', dir, lang }, doc.title || doc.id),
      h('button', { type: 'button', class: 'close', onclick: onClose, 'aria-label': 'Close document' }, '×')),
    h('dl', { class: 'doc-meta' }, meta),
    q ? h('p', { class: 'doc-matches' },
      matches ? `${matches} highlighted ${matches === 1 ? 'match' : 'matches'} for “${q}”. ` : `No highlighted matches for “${q}”. `,
      // Previous too: a match passed by mistake is one step back, not n - 1 forward.
      matches ? [stepButton(-1, 'Previous match'), ' ', stepButton(1, 'Next match'), position] : null)
      : note ? h('p', { class: 'doc-matches' }, note) : null,
    h('div', { class: 'doc-body' }, body)].filter(Boolean));
}
