// Year histogram built from the `year` facet, with date-range selection:
// click a bar = that year, Shift+click = range from the previous bar (or the current
// `from`) to this one, click the single selected year again = clear. Two inputs give
// finer bounds (YYYY, YYYY-MM or YYYY-MM-DD), checked here (real calendar dates, From
// not after To) before anything is sent.

import { h } from './dom.js';
import { dateRangeError } from './state.js';

const year = (bound) => (bound ? bound.slice(0, 4) : '');

/**
 * @param {HTMLElement} root
 * @param {Array<{value,label,count}>|null} values  the `year` facet; null when the search
 *        failed (only the date inputs are shown, keeping the user's values to correct)
 * @param {{from:string,to:string}} state
 * @param {(from:string,to:string)=>void} onRange
 * @param {{error?:string}} [opts]  error: the server rejected the dates (marks the inputs
 *        invalid, described by the page's #error alert, which holds the message)
 */
export function renderHistogram(root, values, state, onRange, { error = '' } = {}) {
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
    id: 'date-from', name: 'from', 'data-key': 'date:from', value: state.from, inputmode: 'numeric', size: 10,
    pattern: '\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?',
    placeholder: 'YYYY[-MM[-DD]]', title: 'A year (2021), month (2021-05) or day (2021-05-12)',
  });
  const toIn = h('input', {
    id: 'date-to', name: 'to', 'data-key': 'date:to', value: state.to, inputmode: 'numeric', size: 10,
    pattern: fromIn.getAttribute('pattern'), placeholder: 'YYYY[-MM[-DD]]', title: fromIn.title,
  });
  // Always in the DOM (empty = nothing to say), so that new text is announced.
  const msg = h('p', { id: 'date-error', class: 'date-error', 'aria-live': 'polite' });
  const markInvalid = (inputs) => {
    for (const el of [fromIn, toIn]) {
      const bad = inputs.includes(el);
      if (bad) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
      if (bad) el.setAttribute('aria-describedby', error && !msg.textContent ? 'error' : 'date-error');
      else el.removeAttribute('aria-describedby');
    }
  };
  // Which input a problem is about: "From: …", "To: …", or the range (both).
  const culprits = (problem) => (problem.startsWith('From:') ? [fromIn]
    : problem.startsWith('To:') ? [toIn] : [fromIn, toIn].filter((el) => el.value));
  if (error) markInvalid(culprits(dateRangeError(state.from, state.to)));
  // The form is rebuilt after each search: data-key lets the page put focus back on the
  // same input or button (app.js restoreFocus).
  // novalidate: the check below names the problem instead of the browser's generic bubble.
  const form = h('form', {
    class: 'date-form', novalidate: true,
    onsubmit: (e) => {
      e.preventDefault();
      const from = fromIn.value.trim();
      const to = toIn.value.trim();
      const problem = dateRangeError(from, to);
      msg.textContent = problem;
      if (!problem) { markInvalid([]); onRange(from, to); return; }
      const bad = culprits(problem);
      markInvalid(bad);
      bad[0].focus();
    },
  },
  h('label', { for: 'date-from' }, 'From'), fromIn,
  h('label', { for: 'date-to' }, 'To'), toIn,
  msg,
  h('button', { type: 'submit', 'data-key': 'date:apply' }, 'Apply'),
  (state.from || state.to)
    ? h('button', { type: 'button', class: 'linkish', 'data-key': 'date:clear', onclick: () => onRange('', '') }, 'Clear dates')
    : null);

  root.replaceChildren(...[
    !values ? null : years.length
      ? h('div', { class: 'bars', role: 'group', 'aria-label': 'Documents per year' }, bars)
      : h('p', { class: 'muted' }, 'No dated documents.'),
    undated ? h('p', { class: 'undated' }, `Undated: ${undated.count}`) : null,
    years.length > 1 ? h('p', { class: 'hint' }, 'Click a bar for that year, Shift+click another for a range.') : null,
    form].filter(Boolean));
}
