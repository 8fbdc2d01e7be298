// The whole page state lives in the URL query string, so every view can be
// bookmarked, shared, reloaded, and walked with back/forward.
//
//   ?q=...&actor=a&actor=b&ministry=..&type=..&lang=..&source=..&from=2021&to=2021-05
//    &sort=date&page=2&per_page=20&doc=ID&doc_page=3
//
// `doc_page` is the PDF page of the open document to show (a hit's `page`); `page` is the
// results page. doc_page only goes in the URL with `doc`.

export const FACETS = ['actor', 'ministry', 'type', 'lang', 'source'];
export const FACET_LABELS = {
  actor: 'Actor', ministry: 'Ministry', type: 'Type', lang: 'Language', source: 'Source',
};

/** Parses a query string (or URLSearchParams) into a state object. */
export function parseState(search) {
  const p = new URLSearchParams(search);
  const s = {
    q: p.get('q') ?? '',
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
    sort: p.get('sort') ?? '',
    // page/per_page are kept verbatim: the server validates them and says what is wrong.
    page: p.get('page') ?? '',
    per_page: p.get('per_page') ?? '',
    doc: p.get('doc') ?? '',
    doc_page: /^[1-9]\d{0,5}$/.test(p.get('doc_page') ?? '') ? p.get('doc_page') : '',
  };
  for (const f of FACETS) s[f] = [...new Set(p.getAll(f).filter((v) => v !== ''))];
  return s;
}

/** Search parameters (what /api/search gets): everything but `doc` and `doc_page`. */
export function searchParams(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of FACETS) for (const v of s[f]) p.append(f, v);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.sort && s.sort !== 'relevance') p.set('sort', s.sort);
  if (s.page && s.page !== '1') p.set('page', s.page);
  if (s.per_page) p.set('per_page', s.per_page);
  return p;
}

/** The page URL's query string for a state ("" when empty). */
export function stateToQuery(s) {
  const p = searchParams(s);
  if (s.doc) p.set('doc', s.doc);
  if (s.doc && s.doc_page) p.set('doc_page', s.doc_page);
  const qs = p.toString();
  return qs ? `?${qs}` : '';
}

/** True when the state asks for a search (a query, any filter, or an explicit sort). */
export function hasSearch(s) {
  return Boolean(s.q || s.from || s.to || s.sort || FACETS.some((f) => s[f].length));
}

export function cloneState(s) {
  const c = { ...s };
  for (const f of FACETS) c[f] = [...s[f]];
  return c;
}

export function sameSearch(a, b) {
  return a && b && searchParams(a).toString() === searchParams(b).toString();
}

/** Date bound validation for the from/to inputs: YYYY, YYYY-MM, or YYYY-MM-DD. */
export function isDateBound(v) {
  return /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/.test(v);
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate(); // day 0 of the next month
}

/**
 * Checks a from/to pair as searchd does (years 1000-9999, real calendar days, the range
 * must not end before it starts) and returns a message for the user, or '' when the
 * pair is fine. Empty bounds are open ends.
 */
export function dateRangeError(from, to) {
  for (const [name, v] of [['From', from], ['To', to]]) {
    if (!v) continue;
    if (!isDateBound(v)) return `${name}: “${v}” is not a date. Use a year (2021), a month (2021-05) or a day (2021-05-12).`;
    const [y, m, d] = v.split('-').map(Number);
    if (y < 1000) return `${name}: the year must be between 1000 and 9999.`;
    if (d && d > daysInMonth(y, m)) {
      return `${name}: ${v} is not a real date (${MONTH_NAMES[m - 1]} ${y} has ${daysInMonth(y, m)} days).`;
    }
  }
  // Compare the first day of `from` with the last day of `to` (partial dates are spans).
  if (from && to && `${from}-01-01`.slice(0, 10) > `${to}-99-99`.slice(0, 10)) {
    return `From (${from}) is later than To (${to}).`;
  }
  return '';
}
