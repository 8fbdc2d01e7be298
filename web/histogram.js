// Year histogram built from the `year` facet, with date-range selection:
// click a bar = that year, Shift+click = range from the previous bar (or the current
// `from`) to this one, click the single selected year again = clear. Two inputs give
// finer bounds (YYYY, YYYY-MM or YYYY-MM-DD).

import { h } from './dom.js';

const year = (bound) => (bound ? bound.slice(0, 4) : '');

/**
 * @param {HTMLElement} root
 * @param {Array<{value,label,count}>} values  the `year` facet
 * @param {{from:string,to:string}} state
 * @param {(from:string,to:string)=>void} onRange
 */
export function renderHistogram(root, values, state, onRange) {
  const years = (values || []).filter((v) => /^\d{4}$/.test(v.value))
    .sort((a, b) => a.value.localeCompare(b.value));
  const undated = (values || []).find((v) => v.value === 'undated');
  const max = Math.max(1, ...years.map((v) => v.count));
  const lo = year(state.from);
  const hi = year(state.to);
  const inRange = (y) => (lo || hi) && (!lo || y >= lo) && (!hi || y <= hi);

  const bars = years.map((v) => {
    const b = h('button', {
      type: 'button', class: 'bar', 'aria-pressed': String(Boolean(inRange(v.value))),
      'aria-label': `${v.label || v.value}: ${v.count} ${v.count === 1 ? 'document' : 'documents'}`,
      title: `${v.label || v.value}: ${v.count}`,
      onclick: (e) => {
        if (e.shiftKey && (root.dataset.anchor || lo)) {
          const a = root.dataset.anchor || lo;
          const [f, t] = a <= v.value ? [a, v.value] : [v.value, a];
          onRange(f, t);
        } else if (state.from === v.value && state.to === v.value) {
          onRange('', '');
        } else {
          root.dataset.anchor = v.value;
          onRange(v.value, v.value);
        }
      },
    },
    h('span', { class: 'bar-count', 'aria-hidden': 'true' }, String(v.count)),
    h('span', { class: 'bar-fill', 'aria-hidden': 'true' }),
    h('span', { class: 'bar-year', 'aria-hidden': 'true' }, v.value));
    b.style.setProperty('--h', String(Math.max(0.04, v.count / max)));
    return b;
  });

  const fromIn = h('input', {
    id: 'date-from', name: 'from', value: state.from, inputmode: 'numeric', size: 10,
    pattern: '\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?',
    placeholder: 'YYYY[-MM[-DD]]', title: 'A year (2021), month (2021-05) or day (2021-05-12)',
  });
  const toIn = h('input', {
    id: 'date-to', name: 'to', value: state.to, inputmode: 'numeric', size: 10,
    pattern: fromIn.getAttribute('pattern'), placeholder: 'YYYY[-MM[-DD]]', title: fromIn.title,
  });
  const form = h('form', {
    class: 'date-form',
    onsubmit: (e) => { e.preventDefault(); onRange(fromIn.value.trim(), toIn.value.trim()); },
  },
  h('label', { for: 'date-from' }, 'From'), fromIn,
  h('label', { for: 'date-to' }, 'To'), toIn,
  h('button', { type: 'submit' }, 'Apply'),
  (state.from || state.to)
    ? h('button', { type: 'button', class: 'linkish', onclick: () => onRange('', '') }, 'Clear dates')
    : null);

  root.replaceChildren(...[
    years.length
      ? h('div', { class: 'bars', role: 'group', 'aria-label': 'Documents per year' }, bars)
      : h('p', { class: 'muted' }, 'No dated documents.'),
    undated ? h('p', { class: 'undated' }, `Undated: ${undated.count}`) : null,
    years.length > 1 ? h('p', { class: 'hint' }, 'Click a bar for that year, Shift+click another for a range.') : null,
    form].filter(Boolean));
}
