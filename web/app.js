// Search page controller. State lives in the URL (see state.js); every user action
// computes a new state, pushes it to history, and re-renders from it.

import { api } from './api.js';
import { h, markedFragment, formatDate, languageName, langTag, dirFor, utf8Length } from './dom.js';
import { FACETS, FACET_LABELS, parseState, searchParams, stateToQuery, hasSearch, cloneState, sameSearch } from './state.js';
import { attachSuggest } from './suggest.js';
import { renderHistogram } from './histogram.js';
import { renderDoc } from './docview.js';
import { facetFinder } from './facetfind.js';

const $ = (id) => document.getElementById(id);
const els = {
  form: $('search-form'), q: $('q'), sugg: $('q-suggestions'), error: $('error'), status: $('sr-status'),
  intro: $('intro'), chips: $('chips'), toolbar: $('toolbar'), summary: $('summary'), sort: $('sort'),
  dym: $('did-you-mean'), results: $('results'), resultsHeading: $('results-h'), pagination: $('pagination'), facets: $('facets'),
  histogram: $('histogram'), dates: $('dates'), exportBox: $('export'), docPanel: $('doc-panel'), resultsArea: $('results-area'),
  filtersToggle: $('filters-toggle'),
  exportLinks: { csv: $('export-csv'), ris: $('export-ris'), json: $('export-json') },
};

const FACET_COLLAPSED = 8;
// /api/search returns at most this many values per facet (the most frequent, plus any
// value filtered on); a facet with a full list may have more, found with facetFinder.
const FACET_LIMIT = 50;
const FIND_ALWAYS = new Set(['actor', 'ministry']);
let state = parseState(location.search);
let shown = null; // state whose search results are on screen
let searchCtrl = null;
let docCtrl = null;
let openedFrom = null; // element to refocus when the document closes
const labels = new Map(); // "facet\u0000value" -> label, for chips
const expanded = new Set(); // facets showing all their values
const finders = new Map(); // facet -> facetFinder (kept across renders)

// ---------------------------------------------------------------- navigation

function navigate(next, { replace = false, focus = null } = {}) {
  const url = stateToQuery(next) || location.pathname;
  // The address already shown (Enter pressed again, Search clicked on its own results) is
  // no new place: a second entry would make Back seem to do nothing.
  if (replace || new URL(url, location.href).href === location.href) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  state = next;
  return render({ focus });
}

function withChanges(changes) {
  const s = cloneState(state);
  // doc_page is a page of the open document: another document (or none) starts at the top.
  if ('doc' in changes && !('doc_page' in changes)) s.doc_page = '';
  Object.assign(s, changes);
  return s;
}

/** A same-page link that keeps working with modifier keys / middle click. */
function stateLink(next, attrs, ...children) {
  const { before, navOpts, ...rest } = attrs || {};
  return h('a', {
    ...rest,
    href: stateToQuery(next) || './',
    onclick: (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      before?.(e);
      navigate(next, navOpts);
    },
  }, ...children);
}

window.addEventListener('popstate', () => {
  state = parseState(location.search);
  render();
});

// ---------------------------------------------------------------- rendering

async function render({ focus } = {}) {
  els.q.value = state.q;
  els.sort.value = ['date', '-date'].includes(state.sort) ? state.sort : 'relevance';
  const panel = els.docPanel;
  setTitle(state.doc && !panel.hidden && panel.dataset.id === state.doc ? panel.dataset.title : '');
  const jobs = [];
  if (!hasSearch(state)) {
    searchCtrl?.abort();
    shown = null;
    showIntro();
  } else if (!sameSearch(state, shown)) {
    jobs.push(runSearch());
  }
  jobs.push(state.doc ? showDoc(state.doc, state.q, Number(state.doc_page) || 0) : Promise.resolve(closeDocPanel()));
  await Promise.all(jobs);
  if (focus === 'summary') els.summary.focus();
}

/**
 * The window title, which the history list, bookmarks and tabs show: the open document's
 * title, else the query and the results page ("human – page 2 – Rights Search").
 */
function setTitle(docTitle) {
  const page = Number(state.page) > 1 ? `page ${Number(state.page)}` : '';
  document.title = [...(docTitle ? [docTitle] : [state.q, page]), 'Rights Search'].filter(Boolean).join(' – ');
}

// One alert region; search and document errors are tracked apart so that one
// succeeding does not wipe the other's message.
const errors = { search: '', doc: '' };
function setError(msg, kind = 'search') {
  errors[kind] = msg || '';
  // The same message from both (an unreadable query, an unreachable server) is said once.
  els.error.textContent = [...new Set([errors.search, errors.doc].filter(Boolean))].join(' — ');
}

// The polite live region (#sr-status, shared with the suggestion count): results and
// failures are announced there. A repeated message gets a trailing no-break space so
// that it still counts as a change and is read again.
function announce(msg) {
  els.status.textContent = msg && msg === els.status.textContent ? `${msg}\u00a0` : msg;
}

function showIntro() {
  setError('');
  els.intro.hidden = false;
  for (const el of [els.chips, els.toolbar, els.resultsHeading, els.dym, els.pagination]) el.hidden = true;
  els.results.replaceChildren();
  clearSidebar();
}

function clearSidebar() {
  els.facets.replaceChildren();
  els.histogram.replaceChildren();
  els.dates.hidden = true;
  els.filtersToggle.hidden = true;
}

/** The narrow-screen "Filters" button says how many filters are on, folded or not. */
function showFiltersToggle(s) {
  const on = FACETS.reduce((n, f) => n + s[f].length, 0) + (s.from || s.to ? 1 : 0);
  els.filtersToggle.textContent = on ? `Filters (${on} on)` : 'Filters';
  els.filtersToggle.hidden = false;
}
els.filtersToggle.addEventListener('click', () => {
  const open = els.filtersToggle.getAttribute('aria-expanded') !== 'true';
  els.filtersToggle.setAttribute('aria-expanded', String(open));
});

async function runSearch({ quiet = false } = {}) {
  searchCtrl?.abort();
  const ctrl = (searchCtrl = new AbortController());
  const s = cloneState(state);
  els.resultsArea.setAttribute('aria-busy', 'true');
  try {
    // searchd counts the year facet without the date range (its own filter), so the
    // histogram keeps the other years visible for widening or moving the range.
    const res = await api.search(searchParams(s), { signal: ctrl.signal });
    if (ctrl.signal.aborted) return;
    setError('');
    retries = { search: '', left: RETRIES };
    shown = s;
    showResults(res, s);
  } catch (e) {
    if (e.name === 'AbortError') return;
    shown = null;
    showFailure(e, s, { quiet });
    retryLater(e, s);
  } finally {
    if (searchCtrl === ctrl) els.resultsArea.removeAttribute('aria-busy');
  }
}

// A 503 with Retry-After (searchd starting, or between two indexes) passes by itself: the
// same search is run again after the wait, while the page still shows that failure, a
// few times (then pressing Search retries).
const RETRIES = 6;
let retries = { search: '', left: RETRIES };
function retryLater(e, s) {
  if (!(e.retryAfter > 0)) return;
  const key = searchParams(s).toString();
  if (retries.search !== key) retries = { search: key, left: RETRIES };
  if (retries.left-- <= 0) return;
  setTimeout(() => {
    // quiet: a failure again is not announced again (the alert already says it).
    if (!shown && hasSearch(state) && searchParams(state).toString() === key) runSearch({ quiet: true });
  }, Math.min(e.retryAfter, 60) * 1000);
}

function showFailure(e, s, { quiet = false } = {}) {
  const restore = focusKey();
  setError(e.message);
  els.intro.hidden = true;
  els.results.replaceChildren();
  els.pagination.hidden = true;
  els.dym.hidden = true;
  els.toolbar.hidden = false;
  els.resultsHeading.hidden = false;
  els.summary.textContent = 'The search could not be run.';
  els.exportBox.hidden = true;
  // Keep the date inputs, with the user's values, so that a rejected date can be
  // corrected in place (facet counts are unknown; active filters stay as chips).
  els.facets.replaceChildren();
  els.dates.hidden = false;
  renderHistogram(els.histogram, null, s, (from, to) => navigate(withChanges({ from, to, page: '', doc: '' })),
    { error: e.code === 'bad_date' ? e.message : '' });
  renderChips(s);
  showFiltersToggle(s);
  // On a narrow screen the date inputs to correct must not stay folded away.
  if (e.code === 'bad_date') els.filtersToggle.setAttribute('aria-expanded', 'true');
  restoreFocus(restore);
  // The message itself is in the #error alert; this says what it means for the results.
  if (!quiet) announce('The search could not be run.');
}

function showResults(res, s) {
  const restore = focusKey();
  els.intro.hidden = true;
  els.toolbar.hidden = false;
  els.resultsHeading.hidden = false;
  for (const f of [...FACETS, 'year']) {
    for (const v of res.facets?.[f] || []) labels.set(`${f}\u0000${v.value}`, facetLabel(f, v));
  }
  const span = pageSpan(res);
  // The count and the "Did you mean" offer are said together: a screen-reader user who
  // hears only "No results." would not know that a correction is on the page.
  const said = renderSummary(res, span, s);
  const offered = renderDidYouMean(res.suggestion, s);
  announce(offered ? `${said} Did you mean ${offered}?` : said);
  renderHits(res.hits || [], span, s);
  renderPagination(span);
  renderFacets(res.facets || {}, s);
  els.dates.hidden = false;
  // Exports are the page shown (page and per_page kept); nothing shown, nothing to export.
  els.exportBox.hidden = !(res.hits || []).length;
  renderHistogram(els.histogram, res.facets?.year, s,
    (from, to) => navigate(withChanges({ from, to, page: '', doc: '' })));
  markKeys(els.histogram, '.bar', (b) => `bar:${b.querySelector('.bar-year')?.textContent}`);
  renderChips(s);
  showFiltersToggle(s);
  for (const [fmt, a] of Object.entries(els.exportLinks)) a.href = api.exportUrl(searchParams(s), fmt);
  restoreFocus(restore);
}

/** Where the page shown sits among the results; `past` when it is after the last page. */
function pageSpan(res) {
  const total = Number(res.total) || 0;
  const shownHits = (res.hits || []).length;
  const page = Number(res.page) || 1;
  const per = Number(res.per_page) || shownHits || 10;
  const first = total ? (page - 1) * per + 1 : 0;
  return {
    total, page, per, first, last: Math.min(total, first + shownHits - 1),
    pages: Math.ceil(total / per), past: total > 0 && shownHits === 0,
  };
}

/** Shows the count of results; returns what the live region should say about it. */
function renderSummary(res, { total, page, first, last, past }, s) {
  const what = s.q ? [' for “', h('span', { dir: 'auto' }, s.q), '”'] : [];
  const took = typeof res.took_ms === 'number'
    ? h('span', { class: 'took' }, ` (${res.took_ms < 1 ? '<1' : Math.round(res.took_ms)} ms)`) : null;
  const count = total === 0 ? 'No results' : total === 1 ? '1 result' : `${total} results`;
  // A page after the last one (?page=99 with 6 results) has no hits, but the search does.
  els.summary.replaceChildren(
    past ? `No results on page ${page} — ${count} in all`
      : total === 0 ? 'No results' : total === 1 ? '1 result' : `${first}–${last} of ${total} results`,
    ...what, ...(took ? [took] : []));
  if (past) return `No results on page ${page}; ${count} in all.`;
  return total > 0 && (first > 1 || last < total) ? `${count}, showing ${first} to ${last}.` : `${count}.`;
}

/** A link to page n of the current search (page 1 has no page parameter). */
function pageLink(n, text, attrs = {}) {
  return stateLink(withChanges({ page: n === 1 ? '' : String(n), doc: '' }),
    { ...attrs, 'data-key': `page:${text}`, navOpts: { focus: 'summary' } }, text);
}

/** Shows searchd's correction, if any; returns the query offered ('' for none). */
function renderDidYouMean(suggestion, s) {
  if (!suggestion || suggestion === s.q) { els.dym.hidden = true; return ''; }
  els.dym.hidden = false;
  els.dym.replaceChildren('Did you mean ',
    stateLink(withChanges({ q: suggestion, page: '', doc: '' }), { class: 'dym-link', dir: 'auto' }, suggestion), '?');
  return suggestion;
}

function renderHits(hits, { pages, past }, s) {
  els.results.replaceChildren(...hits.map((hit) => {
    const lang = langTag(hit.lang);
    const dir = dirFor(hit.lang);
    // The hit's PDF page goes in the URL (doc_page), so a reload or a shared link opens it there too.
    const doc = { ...cloneState(s), doc: hit.id, doc_page: Number(hit.page) > 0 ? String(hit.page) : '' };
    const meta = [
      h('time', { datetime: hit.date || null }, formatDate(hit.date)),
      hit.type ? h('span', { class: 'hit-type' }, hit.type) : null,
      hit.source ? h('span', { class: 'hit-source', dir: 'auto' }, hit.source) : null,
      hit.page ? h('span', { class: 'hit-page' }, `Page ${hit.page}`) : null,
      Array.isArray(hit.lang) && hit.lang.length
        ? h('span', { class: 'hit-lang' }, hit.lang.map(languageName).join(', ')) : null,
    ].filter(Boolean);
    return h('li', { class: 'hit', lang, 'data-id': hit.id },
      h('h2', { class: 'hit-title', dir },
        stateLink(doc, {
          'data-key': `hit:${hit.id}`,
          before: (e) => { openedFrom = e.currentTarget; },
        }, hit.title || hit.id)),
      h('p', { class: 'hit-meta', lang: 'en' }, meta.flatMap((m, i) => (i ? [' · ', m] : [m]))),
      hit.snippet ? h('p', { class: 'snippet', dir }, markedFragment(hit.snippet)) : null);
  }));
  if (past) {
    els.results.append(h('li', { class: 'no-hits' }, `The results end on page ${pages}. `,
      pageLink(pages, `Go to page ${pages}, the last page`)));
  } else if (!hits.length) {
    els.results.append(h('li', { class: 'no-hits' },
      'Nothing matches. Try fewer words, another spelling, or remove a filter.'));
  }
}

function renderPagination({ page, pages }) {
  if (pages <= 1) { els.pagination.hidden = true; els.pagination.replaceChildren(); return; }
  // Past the last page, the numbers end at the last page and "Previous" goes to it.
  const at = Math.min(page, pages);
  const nums = new Set([1, pages, at - 2, at - 1, at, at + 1, at + 2]);
  const list = [...nums].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items = [];
  if (page > 1) items.push(pageLink(Math.min(page - 1, pages), 'Previous', { rel: 'prev' }));
  list.forEach((n, i) => {
    if (i && n - list[i - 1] > 1) items.push(h('span', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    items.push(n === page
      ? h('a', { 'aria-current': 'page', class: 'current', 'aria-label': `Page ${n}, current` }, String(n))
      : pageLink(n, String(n), { 'aria-label': `Page ${n}` }));
  });
  if (page < pages) items.push(pageLink(page + 1, 'Next', { rel: 'next' }));
  els.pagination.hidden = false;
  els.pagination.replaceChildren(...items);
}

function renderFacets(facets, s) {
  const sections = [];
  for (const f of FACETS) {
    const values = [...(facets[f] || [])];
    for (const v of s[f]) {
      if (!values.some((x) => x.value === v)) values.push({ value: v, label: labels.get(`${f}\u0000${v}`) || v, count: 0 });
    }
    if (!values.length) continue;
    const all = expanded.has(f);
    // A full list is the most frequent values only: say so, and offer to find the rest.
    const capped = (facets[f] || []).length >= FACET_LIMIT;
    const visible = all ? values : values.filter((v, i) => i < FACET_COLLAPSED || s[f].includes(v.value));
    const hid = `facet-${f}-h`;
    sections.push(h('section', { class: 'facet', 'aria-labelledby': hid },
      h('h2', { id: hid }, FACET_LABELS[f]),
      h('ul', { class: 'facet-values' }, visible.map((v) => {
        const on = s[f].includes(v.value);
        const label = facetLabel(f, v);
        return h('li', null, h('button', {
          type: 'button', class: 'facet-btn', 'aria-pressed': String(on),
          'data-facet': f, 'data-value': v.value, 'data-key': `facet:${f}:${v.value}`,
          onclick: () => toggleFilter(f, v.value),
        },
        h('span', { class: 'facet-label', dir: 'auto' }, label),
        h('span', { class: 'facet-count' }, String(v.count ?? ''))));
      })),
      values.length > visible.length || all && values.length > FACET_COLLAPSED
        ? h('button', {
          type: 'button', class: 'linkish more', 'aria-expanded': String(all), 'data-key': `more:${f}`,
          onclick: () => {
            if (all) expanded.delete(f); else expanded.add(f);
            const k = focusKey();
            renderFacets(facets, s);
            restoreFocus(k);
          },
        }, all ? 'Show fewer' : capped ? `Show ${FACET_LIMIT} most frequent` : `Show all ${values.length}`)
        : null,
      all && capped ? h('p', { class: 'hint facet-note' },
        `These are the ${FACET_LIMIT} most frequent in the results; find any other below.`) : null,
      capped || FIND_ALWAYS.has(f) ? finderFor(f).root : null));
    finders.get(f)?.refresh();
  }
  els.facets.replaceChildren(...sections);
}

function finderFor(f) {
  if (!finders.has(f)) {
    finders.set(f, facetFinder(f, {
      fetch: async (q, limit, signal) => (await api.facetValues(f, q, limit, { signal })).values || [],
      isOn: (value) => (shown || state)[f].includes(value),
      label: (v) => facetLabel(f, v),
      onPick: (v) => {
        labels.set(`${f}\u0000${v.value}`, facetLabel(f, v));
        toggleFilter(f, v.value);
      },
    }));
  }
  return finders.get(f);
}

/** Display label of a facet value; language codes become names ("km" -> "Khmer"). */
function facetLabel(f, v) {
  return f === 'lang' && (!v.label || v.label === v.value) ? languageName(v.value) : (v.label || v.value);
}

function renderChips(s) {
  const chips = [];
  for (const f of FACETS) {
    for (const v of s[f]) {
      const label = `${FACET_LABELS[f]}: ${labels.get(`${f}\u0000${v}`) || (f === 'lang' ? languageName(v) : v)}`;
      chips.push(h('button', {
        type: 'button', class: 'chip', 'aria-label': `Remove filter ${label}`, 'data-key': `chip:${f}:${v}`,
        onclick: () => toggleFilter(f, v),
      }, h('span', { dir: 'auto' }, label), h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×')));
    }
  }
  if (s.from || s.to) {
    const label = `Date: ${s.from === s.to ? s.from : `${s.from || '…'} – ${s.to || '…'}`}`;
    chips.push(h('button', {
      type: 'button', class: 'chip', 'aria-label': `Remove filter ${label}`, 'data-key': 'chip:date',
      onclick: () => navigate(withChanges({ from: '', to: '', page: '', doc: '' })),
    }, label, h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×')));
  }
  if (chips.length > 1) {
    const cleared = withChanges({ from: '', to: '', page: '', doc: '' });
    for (const f of FACETS) cleared[f] = [];
    chips.push(h('button', {
      type: 'button', class: 'linkish', 'data-key': 'chip:clear', onclick: () => navigate(cleared, { focus: 'summary' }),
    }, 'Clear all filters'));
  }
  els.chips.hidden = chips.length === 0;
  els.chips.replaceChildren(...chips);
}

function toggleFilter(f, value) {
  const next = withChanges({ page: '', doc: '' });
  next[f] = state[f].includes(value) ? state[f].filter((v) => v !== value) : [...state[f], value];
  return navigate(next);
}

// Keep keyboard focus on "the same" control across re-renders.
function focusKey() {
  return document.activeElement?.dataset?.key || null;
}
function restoreFocus(key) {
  if (!key) return;
  const el = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (el) el.focus();
  else if (key.startsWith('chip:')) (els.chips.querySelector('button') || els.q).focus();
  // "Clear dates" is gone once the dates are cleared: the From input is where new ones go.
  else if (key === 'date:clear') document.getElementById('date-from')?.focus();
}
function markKeys(root, sel, fn) {
  root.querySelectorAll(sel).forEach((el) => { el.dataset.key = fn(el); });
}

// ---------------------------------------------------------------- document view

/** Scrolls the document panel to PDF page n (the top when there is no such page); true if found. */
function scrollToPage(panel, n) {
  const target = n && panel.querySelector(`#page-${n}`);
  if (target) target.scrollIntoView();
  else panel.scrollTop = 0;
  return Boolean(target);
}

async function showDoc(id, q, page = 0) {
  const panel = els.docPanel;
  if (panel.dataset.id === id && panel.dataset.q === q && !panel.hidden) {
    // Same document (back/forward between two of its pages): only the page changes.
    if (String(page) !== panel.dataset.page) {
      panel.dataset.page = String(page);
      scrollToPage(panel, page);
    }
    return;
  }
  docCtrl?.abort();
  const ctrl = (docCtrl = new AbortController());
  panel.hidden = false;
  document.body.classList.add('doc-open');
  panel.setAttribute('aria-busy', 'true');
  panel.replaceChildren(h('p', { class: 'loading' }, 'Loading document…'));
  // A dialog takes focus when it opens; the title gets it once the document is shown.
  if (!panel.contains(document.activeElement)) panel.focus({ preventScroll: true });
  try {
    // A query searchd refuses (an unbalanced quote, an unknown type or actor: any 400)
    // fails the search, whose message the alert shows; the document still opens, without
    // highlights. A bad id fails the retry too, and that is what is shown.
    let hl = q;
    const doc = await api.doc(id, q, { signal: ctrl.signal }).catch((e) => {
      if (!q || e.status !== 400) throw e;
      hl = '';
      return api.doc(id, '', { signal: ctrl.signal });
    });
    if (ctrl.signal.aborted) return;
    setError('', 'doc');
    panel.dataset.id = id;
    panel.dataset.q = q;
    panel.dataset.page = String(page);
    panel.dataset.title = doc.title || doc.id;
    setTitle(panel.dataset.title);
    renderDoc(panel, doc, hl, {
      note: hl === q ? '' : 'Matches are not highlighted: the search could not be read.',
      onClose: closeDoc,
      onFilter: (f, v) => {
        const next = withChanges({ doc: '', page: '' });
        if (!next[f].includes(v)) next[f] = [...next[f], v];
        navigate(next);
      },
    });
    const paged = scrollToPage(panel, page);
    panel.querySelector('#doc-title')?.focus({ preventScroll: paged });
  } catch (e) {
    if (e.name === 'AbortError') return;
    delete panel.dataset.id;
    setError(e.message, 'doc');
    panel.replaceChildren(
      h('div', { class: 'doc-head' },
        h('h2', { id: 'doc-title', tabindex: '-1' }, 'Document not available'),
        h('button', { type: 'button', class: 'close', onclick: closeDoc, 'aria-label': 'Close document' }, '×')),
      h('p', null, e.message));
  } finally {
    if (docCtrl === ctrl) panel.removeAttribute('aria-busy');
  }
}

function closeDocPanel() {
  docCtrl?.abort();
  setError('', 'doc');
  const panel = els.docPanel;
  if (panel.hidden) return;
  panel.hidden = true;
  delete panel.dataset.id;
  panel.replaceChildren();
  document.body.classList.remove('doc-open');
  const back = openedFrom && openedFrom.isConnected ? openedFrom
    : document.querySelector(`[data-key="${CSS.escape(`hit:${panel.dataset.lastId || ''}`)}"]`);
  (back || els.q).focus({ preventScroll: Boolean(back) });
  openedFrom = null;
}

function closeDoc() {
  els.docPanel.dataset.lastId = state.doc;
  navigate(withChanges({ doc: '' }));
}

// The panel is a modal dialog (index.html: role="dialog", aria-modal="true", named by
// its title): Tab and Shift+Tab cycle through its controls; Escape closes it and
// closeDocPanel() puts focus back on the link that opened it.
els.docPanel.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') { e.preventDefault(); closeDoc(); return; }
  if (e.key !== 'Tab') return;
  const panel = els.docPanel;
  const focusable = [...panel.querySelectorAll('a[href], button:not([disabled]), input, select, textarea, [tabindex="0"]')]
    .filter((el) => el.getClientRects().length > 0);
  if (!focusable.length) { e.preventDefault(); return; }
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const at = document.activeElement;
  const inside = focusable.includes(at);
  if (e.shiftKey && (at === first || !inside)) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && (at === last || !inside)) { e.preventDefault(); first.focus(); }
});

// ---------------------------------------------------------------- controls

// searchd refuses longer query text (413). Checked here so that such a query never becomes
// the page's address: past searchd's URI limit (8 kB) a reload or a shared link would get
// searchd's bare 414 instead of the page.
const MAX_QUERY_BYTES = 2048;

els.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = els.q.value.trim();
  const bytes = utf8Length(q);
  if (bytes > MAX_QUERY_BYTES) {
    // The results on screen stay (they match the address); the query stays in the box to shorten.
    setError(`The query is too long to search: ${bytes} bytes, and the limit is ${MAX_QUERY_BYTES} bytes `
      + '(a letter of most scripts other than Latin takes 2 or 3). Shorten it and search again.');
    announce('The search could not be run.');
    return;
  }
  navigate(withChanges({ q, page: '', doc: '' }));
});

// A closed <select> changes on every arrow key, so a keyboard user going from Relevance to
// "oldest first" passes "newest first": sort changes in a row are one history step (the
// entry a sort change made is replaced by the next one, until anything else navigates).
let sortEntry = null;
els.sort.addEventListener('change', () => {
  const replace = sortEntry === location.href;
  navigate(withChanges({ sort: els.sort.value === 'relevance' ? '' : els.sort.value, page: '', doc: '' }), { replace });
  sortEntry = location.href;
});

attachSuggest(els.q, els.sugg, {
  status: els.status,
  fetch: async (q, signal) => (await api.suggest(q, 8, { signal })).suggestions || [],
  onPick: (s) => {
    const value = typeof s.value === 'string' ? s.value : '';
    if (s.kind === 'title' && value) {
      navigate(withChanges({ doc: value }));
    } else if ((s.kind === 'actor' || s.kind === 'ministry') && value) {
      if (s.text) labels.set(`${s.kind}\u0000${value}`, s.text);
      const next = withChanges({ page: '', doc: '' });
      if (!next[s.kind].includes(value)) next[s.kind] = [...next[s.kind], value];
      navigate(next);
    } else {
      navigate(withChanges({ q: s.text, page: '', doc: '' }));
    }
  },
});

// Intro example links are plain links; keep them in-page.
els.intro.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="?"]');
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(parseState(a.getAttribute('href')));
});

render();
