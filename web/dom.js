// Small DOM and text helpers. Nothing here ever assigns innerHTML: corpus data
// (titles, labels, values, snippets) only reaches the page as text nodes, and the
// one piece of markup the server may send (<mark>) is rebuilt as real elements.

/**
 * h('a', {href: x, class: 'y', onclick: fn}, child, 'text', [more]) -> Element.
 * Attributes whose value is null/undefined/false are skipped; `true` sets "".
 * Children may be strings (text nodes), nodes, arrays, or null (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the character references an HTML escaper emits (named basics and numeric). */
export function decodeEntities(s) {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (m, e) => {
    if (e[0] !== '#') return ENTITIES[e];
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
  });
}

/**
 * Parses server-highlighted text ("escaped text with <mark>…</mark>") into
 * segments [{text, mark}], where text is plain (decoded) text. Only the exact tags
 * <mark> and </mark> are honoured; anything else that looks like markup stays text.
 */
export function parseMarked(html) {
  const out = [];
  let mark = false;
  for (const part of String(html ?? '').split(/(<\/?mark>)/)) {
    if (part === '<mark>') mark = true;
    else if (part === '</mark>') mark = false;
    else if (part) out.push({ text: decodeEntities(part), mark });
  }
  return out;
}

/** Builds a DocumentFragment of text nodes and <mark> elements from segments. */
export function segmentsToFragment(segments) {
  const frag = document.createDocumentFragment();
  for (const s of segments) frag.append(s.mark ? h('mark', null, s.text) : document.createTextNode(s.text));
  return frag;
}

/** Safe rendering of a highlighted snippet: only <mark> survives. */
export function markedFragment(html) {
  return segmentsToFragment(parseMarked(html));
}

const utf8 = new TextEncoder();

/** Number of UTF-8 bytes of a string. */
export function utf8Length(s) {
  return utf8.encode(s).length;
}

/**
 * Splits plain text at UTF-8 byte offsets (e.g. PDF page starts). Returns one string
 * per page; text before the first offset belongs to the first page. Offsets that fall
 * inside a multi-byte character are moved forward to the next character boundary.
 */
export function splitTextAtBytes(text, byteOffsets) {
  const bytes = utf8.encode(text);
  const dec = new TextDecoder('utf-8');
  const cuts = normaliseCuts(byteOffsets, bytes.length).map((o) => {
    while (o < bytes.length && (bytes[o] & 0xc0) === 0x80) o++;
    return o;
  });
  const pages = [];
  for (let i = 0; i < cuts.length; i++) {
    const start = i === 0 ? 0 : cuts[i];
    const end = i + 1 < cuts.length ? cuts[i + 1] : bytes.length;
    pages.push(dec.decode(bytes.subarray(start, end)));
  }
  return pages;
}

/**
 * Splits highlighted segments at UTF-8 byte offsets of the underlying plain text
 * (a <mark> crossing a page boundary is continued on the next page).
 * Returns an array (one per page) of segment arrays.
 */
export function splitSegmentsAtBytes(segments, byteOffsets) {
  const total = segments.reduce((n, s) => n + utf8Length(s.text), 0);
  const cuts = normaliseCuts(byteOffsets, total).slice(1); // page i+1 starts at cuts[i]
  const pages = [[]];
  let pos = 0;
  for (const seg of segments) {
    let buf = '';
    for (const ch of seg.text) {
      while (cuts.length && pos >= cuts[0]) {
        if (buf) pages[pages.length - 1].push({ text: buf, mark: seg.mark });
        buf = '';
        pages.push([]);
        cuts.shift();
      }
      buf += ch;
      pos += utf8Length(ch);
    }
    if (buf) pages[pages.length - 1].push({ text: buf, mark: seg.mark });
  }
  while (cuts.length) { pages.push([]); cuts.shift(); }
  return pages;
}

// Sorted, de-duplicated, in-range offsets, always starting with 0.
function normaliseCuts(offsets, max) {
  const set = new Set([0]);
  for (const o of offsets || []) if (Number.isInteger(o) && o > 0 && o < max) set.add(o);
  return [...set].sort((a, b) => a - b);
}

/** Returns the fn debounced by ms; .cancel() drops a pending call. */
export function debounce(fn, ms) {
  let t;
  const d = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  d.cancel = () => clearTimeout(t);
  return d;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

/** "2021-05-12" -> "12 May 2021", "2021-05" -> "May 2021", "2021" -> "2021", "" -> "Undated". */
export function formatDate(d) {
  if (!d) return 'Undated';
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(d);
  if (!m) return d;
  const month = m[2] ? MONTHS[Number(m[2]) - 1] : '';
  return [m[3] ? String(Number(m[3])) : '', month, m[1]].filter(Boolean).join(' ');
}

let langNames;
/** "km" -> "Khmer" (falls back to the code). */
export function languageName(code) {
  try {
    langNames ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return langNames.of(code) || code;
  } catch {
    return code;
  }
}

/** A valid BCP 47-ish tag for a lang attribute, or null. */
export function langTag(lang) {
  const l = Array.isArray(lang) ? lang[0] : lang;
  return typeof l === 'string' && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(l) ? l : null;
}

// Scripts written right-to-left, by primary language subtag.
const RTL = new Set(['ar', 'arb', 'fa', 'prs', 'he', 'iw', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb', 'syr', 'ks', 'arz', 'ary', 'apc']);

/**
 * The dir attribute for text in a language: "rtl" for right-to-left languages, else
 * "auto" (direction from the first strong character, which also catches unlabelled
 * Arabic or Hebrew text).
 */
export function dirFor(lang) {
  const tag = langTag(lang);
  return tag && RTL.has(tag.split('-')[0].toLowerCase()) ? 'rtl' : 'auto';
}
