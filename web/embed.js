// <rights-search endpoint="https://search.example.org"></rights-search>
// Embeddable search box for searchd: suggestions + a short results list, rendered in
// a shadow root so the host page's CSS cannot reach it. Plain JS, no dependencies.
// Attributes: endpoint (default: where this script was loaded from), per-page (5),
// placeholder. Corpus data is only ever inserted as text; snippets keep only <mark>.
// An actor/ministry suggestion adds that filter (as on the search page), shown as a chip.

const BASE = new URL('./', import.meta.url).href;
const FONT = 'system-ui,"Noto Sans","Noto Sans Khmer","Khmer OS","Noto Sans Thai","Noto Sans Lao",'
  + '"Noto Sans Myanmar","Noto Sans CJK SC","Noto Sans Arabic",Arial,sans-serif';
// px units only: rem/em would follow the host page's font sizes. Corpus text (a URL or file
// name as a title, say) wraps anywhere (inherited), so the box never widens the host page.
const CSS = `
:host{display:block!important}
[hidden]{display:none!important}
.r{all:initial;display:block;box-sizing:border-box;font:15px/1.5 ${FONT};color:#1d1f23;background:#fff;
 border:1px solid #d9dce1;border-radius:8px;padding:12px;text-align:start;overflow-wrap:anywhere}
:where(.r *){box-sizing:border-box;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
form{display:flex;gap:6px;margin:0}
.c{position:relative;flex:1}
input{width:100%;padding:6px 10px;border:1px solid #9aa1ab;border-radius:6px;background:#fff}
button{padding:6px 14px;border:1px solid #1f5fa8;border-radius:6px;background:#1f5fa8;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #e07b00;outline-offset:2px}
ul{list-style:none;margin:0;padding:0}
[role=listbox]{position:absolute;z-index:9;left:0;right:0;top:calc(100% + 3px);background:#fff;
 border:1px solid #d9dce1;border-radius:6px;box-shadow:0 6px 20px rgba(0,0,0,.12);padding:4px 0}
[role=option]{display:flex;justify-content:space-between;gap:12px;padding:5px 10px;cursor:pointer}
.k{font-size:12px;color:#5b616b;white-space:nowrap;align-self:center}
.v{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
[role=option][aria-selected=true],[role=option]:hover{background:#e6eef8}
.s{margin:8px 0 0;font-size:13px;color:#5b616b}
.s:empty{display:none}
li.h{padding:8px 0;border-top:1px solid #eceef1}
a{color:#1f5fa8;text-decoration:underline;font-weight:600}
.m{font-size:13px;color:#5b616b}
.x{margin:2px 0 0;font-size:14px}
mark{background:#ffe58a;color:inherit}
[role=alert]{color:#a3261b;font-weight:600}
[role=alert]:empty{display:none}
.f{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 0}
.f:empty{display:none}
.f button{padding:2px 10px;border-radius:999px;background:#e6eef8;color:#1d1f23;font-size:13px;text-align:start}
.s button{padding:0;border:0;background:none;color:#1f5fa8;text-decoration:underline;font-weight:600}
`;

// A <style> element is inline style, which a host page's Content-Security-Policy blocks
// unless it allows 'unsafe-inline'; a constructed stylesheet is not subject to style-src,
// so it is used wherever adoptedStyleSheets exists (one sheet shared by every box). Older
// browsers get the <style> element (styled unless the host's CSP forbids inline style).
let sheet;
function addStyles(root) {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(el('style', null, CSS));
  }
}

// As on the search page (suggest.js): what picking each kind of suggestion does differs.
const KIND = { title: 'Document', actor: 'Actor', ministry: 'Ministry', term: 'Search' };
const ENT = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s) => s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/gi, (m, e) => {
  if (e[0] !== '#') return ENT[e.toLowerCase()] ?? m;
  const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : +e.slice(1);
  try { return String.fromCodePoint(n); } catch { return m; }
});

function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  for (const k in props || {}) {
    const v = props[k];
    if (v == null) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  e.append(...kids.filter((k) => k != null));
  return e;
}

/** Snippet "escaped text with <mark>…</mark>" -> nodes; nothing but <mark> becomes markup. */
function marked(html) {
  let on = false;
  const out = [];
  for (const p of String(html || '').split(/(<\/?mark>)/)) {
    if (p === '<mark>') on = true;
    else if (p === '</mark>') on = false;
    else if (p) out.push(on ? el('mark', null, decode(p)) : decode(p));
  }
  return out;
}

class RightsSearch extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const uid = `rs${Math.random().toString(36).slice(2, 8)}`;
    const input = el('input', {
      type: 'search', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      'aria-controls': `${uid}l`, 'aria-label': this.getAttribute('label') || 'Search human-rights documents',
      placeholder: this.getAttribute('placeholder') || 'Search documents…', autocomplete: 'off', dir: 'auto',
    });
    const list = el('ul', { id: `${uid}l`, role: 'listbox', 'aria-label': 'Suggestions', hidden: '' });
    const status = el('p', { class: 's', 'aria-live': 'polite' });
    const said = el('p', { class: 'v', 'aria-live': 'polite' }); // the suggestion count, unseen
    const alert = el('p', { role: 'alert' });
    const results = el('ul', { class: 'res' });
    const chips = el('div', { class: 'f', role: 'group', 'aria-label': 'Filters' });
    const submit = (e) => { e.preventDefault(); const q = input.value.trim(); if (q || this.filters.length) this.search(q); };
    const form = el('form', { role: 'search', onsubmit: submit },
      el('div', { class: 'c' }, input, list), el('button', { type: 'submit' }, 'Search'));
    // English, LTR UI whatever the host's lang/dir (`all` keeps direction); corpus text: own dir.
    addStyles(root);
    root.append(el('div', { class: 'r', part: 'box', lang: 'en', dir: 'ltr' }, form, said, chips, alert, status, results));
    Object.assign(this, { input, list, status, said, alert, results, chips, uid, items: [], active: -1, t: 0, q: '', filters: [] });

    input.addEventListener('input', () => { clearTimeout(this.t); this.t = setTimeout(() => this.suggest(), 150); });
    input.addEventListener('blur', () => setTimeout(() => this.close(), 100));
    input.addEventListener('keydown', (e) => {
      const n = this.items.length;
      const open = !list.hidden && n > 0;
      if (e.key === 'ArrowDown' && open) { e.preventDefault(); this.move((this.active + 1) % n); }
      else if (e.key === 'ArrowUp' && open) { e.preventDefault(); this.move(this.active <= 0 ? n - 1 : this.active - 1); }
      else if (e.key === 'Escape' && open) { e.preventDefault(); this.close(); }
      else if (e.key === 'Enter') {
        clearTimeout(this.t);
        if (open && this.active >= 0) { e.preventDefault(); this.pick(this.active); } else this.close();
      }
    });
    // The last search (per endpoint, per tab): back from a result link (or on reload), the
    // visitor finds it. Only then: a visitor going on to the site's other pages gets an
    // empty box there, and searchd is sent no search nobody asked for.
    const nav = performance.getEntriesByType?.('navigation')?.[0];
    if (nav && (nav.type === 'back_forward' || nav.type === 'reload')) {
      try {
        const { q = '', filters = [] } = JSON.parse(sessionStorage.getItem(this.key)) || {};
        if (q || filters.length) { input.value = q; this.filters = filters; this.search(q); }
      } catch { /* no storage, or not ours */ }
    }
  }

  get key() { return `rights-search:${this.base}`; }

  get base() {
    const e = this.getAttribute('endpoint');
    return e ? new URL(e.endsWith('/') ? e : `${e}/`, document.baseURI).href : BASE;
  }

  async get(path, params) {
    this.ctl?.[path]?.abort();
    const c = new AbortController();
    (this.ctl ||= {})[path] = c;
    const r = await fetch(`${this.base}api/${path}?${new URLSearchParams(params)}`, { signal: c.signal });
    const body = await r.json().catch(() => null);
    if (!r.ok || !body) throw new Error(body?.error?.message || `Search failed (${r.status})`);
    return body;
  }

  async suggest() {
    const q = this.input.value.trim();
    if (!q) return this.close();
    try {
      const { suggestions = [] } = await this.get('suggest', { q, limit: 6 });
      if (this.shadowRoot.activeElement !== this.input) return;
      this.items = suggestions;
      this.active = -1;
      this.list.replaceChildren(...suggestions.map((s, i) => el('li', {
        id: `${this.uid}o${i}`, role: 'option', 'aria-selected': 'false',
        onmousedown: (e) => e.preventDefault(), onclick: () => this.pick(i),
      }, el('span', { dir: 'auto' }, s.text), el('span', { class: 'k' }, KIND[s.kind] || s.kind))));
      const n = suggestions.length;
      this.list.hidden = !n;
      this.said.textContent = n ? `${n} suggestion${n === 1 ? '' : 's'} available.` : '';
      this.input.setAttribute('aria-expanded', String(!this.list.hidden));
      this.input.removeAttribute('aria-activedescendant');
    } catch (e) {
      if (e.name !== 'AbortError') this.close();
    }
  }

  move(i) {
    this.active = i;
    [...this.list.children].forEach((li, j) => li.setAttribute('aria-selected', String(i === j)));
    this.input.setAttribute('aria-activedescendant', `${this.uid}o${i}`);
  }

  close() {
    this.ctl?.suggest?.abort();
    this.items = [];
    this.list.hidden = true;
    this.list.replaceChildren();
    this.said.textContent = '';
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  pick(i) {
    const s = this.items[i];
    this.close();
    if (s.kind === 'title' && s.value) {
      location.href = `${this.base}?doc=${encodeURIComponent(s.value)}`;
    } else if ((s.kind === 'actor' || s.kind === 'ministry') && s.value) {
      // As on the search page: the filter is added to the current search, whose words stay.
      if (!this.filters.some((f) => f[0] === s.kind && f[1] === s.value)) this.filters.push([s.kind, s.value, s.text]);
      this.input.value = this.q;
      this.search(this.q);
    } else {
      this.input.value = s.text;
      this.search(s.text);
    }
  }

  async search(q) {
    const fs = this.filters;
    this.q = q;
    try { sessionStorage.setItem(this.key, JSON.stringify({ q, filters: fs })); } catch { /* no storage */ }
    this.chips.replaceChildren(...fs.map((f, i) => {
      const name = `${f[0] === 'actor' ? 'Actor' : 'Ministry'}: ${f[2]}`;
      return el('button', {
        type: 'button', 'aria-label': `Remove filter ${name}`,
        onclick: () => { fs.splice(i, 1); this.input.focus(); this.search(this.q); },
      }, el('span', { dir: 'auto' }, name), ' ×');
    }));
    if (!q && !fs.length) { this.ctl?.search?.abort(); this.status.textContent = ''; return this.results.replaceChildren(); }
    const query = [...(q ? [['q', q]] : []), ...fs.map((f) => f.slice(0, 2))];
    const params = [...query, ['per_page', this.getAttribute('per-page') || '5']];
    this.alert.textContent = '';
    this.status.textContent = 'Searching…';
    try {
      const res = await this.get('search', params);
      const hits = res.hits || [];
      const all = `${this.base}?${new URLSearchParams(query)}`;
      // searchd's spelling suggestion, as on the search page: it runs that search here
      // (filters kept). In the live status line, so that it is announced with the count.
      const dym = typeof res.suggestion === 'string' && res.suggestion && res.suggestion !== q ? res.suggestion : '';
      this.status.replaceChildren(
        `${res.total || 0} result${res.total === 1 ? '' : 's'}`,
        res.total > hits.length ? ' · ' : '', res.total > hits.length ? el('a', { href: all }, 'See all') : '',
        ...(dym ? [' · Did you mean ', el('button', {
          type: 'button', dir: 'auto',
          onclick: () => { this.input.value = dym; this.input.focus(); this.search(dym); },
        }, dym), '?'] : []));
      this.results.replaceChildren(...hits.map((h) => {
        const lang = Array.isArray(h.lang) && /^[a-z]{2,3}$/i.test(h.lang[0]) ? h.lang[0] : null;
        const dir = /^(ar|fa|he|ur|ps|sd|ug|yi|dv|ckb)$/i.test(lang) ? 'rtl' : 'auto';
        // A PDF hit's page: the search page opens the document there (doc_page).
        const pg = Number(h.page) > 0 ? [['doc_page', h.page]] : [];
        const href = `${this.base}?${new URLSearchParams([...query, ['doc', h.id], ...pg])}`;
        const meta = [h.date || 'Undated', h.type, h.source && el('span', { dir: 'auto' }, h.source)].filter(Boolean);
        return el('li', { class: 'h', lang },
          el('div', { dir }, el('a', { href }, h.title || h.id)),
          el('div', { class: 'm', lang: 'en' }, ...meta.flatMap((m, i) => (i ? [' · ', m] : [m]))),
          h.snippet ? el('p', { class: 'x', dir }, ...marked(h.snippet)) : null);
      }));
    } catch (e) {
      if (e.name === 'AbortError') return;
      this.status.textContent = '';
      this.results.replaceChildren();
      this.alert.textContent = e.message === 'Failed to fetch' ? 'The search service cannot be reached.' : e.message;
    }
  }
}

if (!customElements.get('rights-search')) customElements.define('rights-search', RightsSearch);
