// Search-as-you-type suggestions: an ARIA 1.2 combobox (input + listbox) with
// aria-activedescendant. ArrowDown/ArrowUp move, Enter picks the active option (or
// submits the form when none is active), Escape closes, Home/End stay in the input.

import { h, debounce } from './dom.js';

const KIND_LABELS = { title: 'Document', actor: 'Actor', ministry: 'Ministry', term: 'Search' };

/**
 * @param {HTMLInputElement} input
 * @param {HTMLElement} listbox  an empty <ul> placed after the input
 * @param {{fetch:(q:string, signal:AbortSignal)=>Promise<Array>, onPick:(s:object)=>void,
 *          status?:HTMLElement}} opts
 */
export function attachSuggest(input, listbox, { fetch, onPick, status }) {
  let items = [];
  let active = -1;
  let ctrl = null;
  let seq = 0;
  let said = ''; // what this combobox last put in `status`

  // Sets or clears this combobox's announcement; never wipes someone else's message
  // (the page announces results in the same region).
  function say(msg) {
    if (!status) return;
    if (msg) status.textContent = said = msg;
    else if (said && status.textContent === said) status.textContent = said = '';
  }

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);
  listbox.setAttribute('role', 'listbox');
  listbox.hidden = true;

  function close() {
    ctrl?.abort();
    ctrl = null;
    items = [];
    active = -1;
    listbox.hidden = true;
    listbox.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    say(''); // "N suggestions available." is stale once the list is gone
  }

  function setActive(i) {
    active = i;
    listbox.querySelectorAll('[role=option]').forEach((li, j) => {
      li.setAttribute('aria-selected', String(j === i));
      if (j === i) li.scrollIntoView({ block: 'nearest' });
    });
    if (i >= 0) input.setAttribute('aria-activedescendant', `${listbox.id}-${i}`);
    else input.removeAttribute('aria-activedescendant');
  }

  function render(list) {
    items = list;
    active = -1;
    listbox.replaceChildren(...list.map((s, i) =>
      h('li', {
        id: `${listbox.id}-${i}`, role: 'option', 'aria-selected': 'false', class: `sugg sugg-${s.kind}`,
        // mousedown keeps focus in the input; click picks.
        onmousedown: (e) => e.preventDefault(),
        onclick: () => pick(i),
      },
      h('span', { class: 'sugg-text', dir: 'auto' }, s.text),
      h('span', { class: 'sugg-kind' }, KIND_LABELS[s.kind] || s.kind))));
    const open = list.length > 0;
    listbox.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    input.removeAttribute('aria-activedescendant');
    say(open ? `${list.length} ${list.length === 1 ? 'suggestion' : 'suggestions'} available.` : '');
  }

  function pick(i) {
    const s = items[i];
    close();
    if (s) onPick(s);
  }

  const load = debounce(async () => {
    const q = input.value.trim();
    ctrl?.abort();
    if (!q) { close(); return; }
    ctrl = new AbortController();
    const my = ++seq;
    try {
      const list = await fetch(q, ctrl.signal);
      if (my === seq && document.activeElement === input) render(list || []);
    } catch (e) {
      if (e.name !== 'AbortError' && my === seq) close(); // suggestions are best-effort
    }
  }, 150);

  input.addEventListener('input', load);
  input.addEventListener('blur', () => { load.cancel(); setTimeout(close, 100); });
  input.addEventListener('keydown', (e) => {
    const open = !listbox.hidden && items.length > 0;
    switch (e.key) {
      case 'ArrowDown':
        if (open) { e.preventDefault(); setActive(active + 1 >= items.length ? 0 : active + 1); }
        else if (input.value.trim()) { e.preventDefault(); load(); }
        break;
      case 'ArrowUp':
        if (open) { e.preventDefault(); setActive(active <= 0 ? items.length - 1 : active - 1); }
        break;
      case 'Enter':
        load.cancel();
        if (open && active >= 0) { e.preventDefault(); pick(active); }
        else close(); // let the form submit
        break;
      case 'Escape':
        if (open) { e.preventDefault(); close(); }
        break;
      case 'Tab':
        close();
        break;
      default:
    }
  });

  return { close };
}
