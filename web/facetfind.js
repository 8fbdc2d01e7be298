// "Find an actor…" box under a facet: /api/search lists at most the 50 most frequent
// values of a facet, so any other value is found by name here (/api/facets/{name}?q=,
// which matches values, labels and aliases of actors and ministries). Matches are
// toggle buttons that filter exactly like the facet's own buttons.
//
// The box is created once per facet and re-inserted on every render, so its text,
// its matches and (through data-key) keyboard focus survive a new search.

import { h, debounce } from './dom.js';

// [indefinite name, plural, singular]
const NOUNS = {
  actor: ['an actor', 'actors', 'actor'],
  ministry: ['a ministry', 'ministries', 'ministry'],
  type: ['a type', 'types', 'type'],
  lang: ['a language', 'languages', 'language'],
  source: ['a source', 'sources', 'source'],
};

/**
 * @param {string} facet
 * @param {{fetch:(q:string, limit:number, signal:AbortSignal)=>Promise<Array>,
 *          onPick:(v:{value:string,label:string,count:number})=>void,
 *          isOn:(value:string)=>boolean, label:(v:object)=>string, limit?:number}} opts
 * @returns {{root:HTMLElement, refresh:()=>void}}
 */
export function facetFinder(facet, { fetch, onPick, isOn, label, limit = 20 }) {
  const [a, many, one] = NOUNS[facet] || [`a ${facet}`, `${facet} values`, `${facet} value`];
  const id = `find-${facet}`;
  const named = facet === 'actor' || facet === 'ministry';
  const input = h('input', {
    id, type: 'search', class: 'find-input', autocomplete: 'off', spellcheck: 'false', dir: 'auto',
    placeholder: named ? 'Name or alias' : null, 'data-key': `find:${facet}`,
  });
  // Polite: the number of matches is read once they are shown, without interrupting.
  const status = h('p', { id: `${id}-status`, class: 'find-status', 'aria-live': 'polite' });
  const list = h('ul', { class: 'facet-values find-results', 'aria-label': `Matching ${many}` });
  const root = h('div', { class: 'facet-find' },
    h('label', { for: id, class: 'find-label' }, `Find ${a}`), input, status, list);

  let ctrl = null;

  function show(values, q) {
    list.replaceChildren(...values.map((v) => h('li', null, h('button', {
      type: 'button', class: 'facet-btn found-btn', 'aria-pressed': String(isOn(v.value)),
      'data-facet': facet, 'data-value': v.value, 'data-key': `found:${facet}:${v.value}`,
      onclick: () => onPick(v),
    },
    h('span', { class: 'facet-label', dir: 'auto' }, label(v)),
    // /api/facets counts over every document, not over the search on screen.
    h('span', { class: 'facet-count found-count' }, `${Number(v.count) || 0} in all documents`)))));
    const n = values.length;
    status.textContent = n === 0 ? `No ${one} matches “${q}”.`
      : n >= limit ? `First ${n} ${many} matching “${q}”; type more to narrow.`
        : `${n} ${n === 1 ? one : many} ${n === 1 ? 'matches' : 'match'} “${q}”.`;
  }

  async function run() {
    later.cancel();
    ctrl?.abort();
    ctrl = null;
    const q = input.value.trim();
    if (!q) { list.replaceChildren(); status.textContent = ''; return; }
    const c = (ctrl = new AbortController());
    try {
      const values = await fetch(q, limit, c.signal);
      if (c === ctrl) show(Array.isArray(values) ? values : [], q);
    } catch (e) {
      if (e.name === 'AbortError' || c !== ctrl) return;
      list.replaceChildren();
      status.textContent = e.message;
    }
  }
  const later = debounce(run, 200);

  input.addEventListener('input', () => {
    ctrl?.abort(); // a stale answer must not replace newer matches
    ctrl = null;
    later();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); run(); }
    else if (e.key === 'Escape' && input.value) { e.preventDefault(); input.value = ''; run(); }
    else if (e.key === 'ArrowDown' && list.querySelector('button')) { e.preventDefault(); list.querySelector('button').focus(); }
  });
  // ArrowUp/ArrowDown move through the matches (Tab works too); ArrowUp from the first
  // match goes back to the input.
  list.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...list.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    const next = e.key === 'ArrowDown' ? buttons[Math.min(i + 1, buttons.length - 1)] : buttons[i - 1] || input;
    next.focus();
  });

  return {
    root,
    refresh() {
      for (const b of list.querySelectorAll('button')) b.setAttribute('aria-pressed', String(isOn(b.dataset.value)));
    },
  };
}
