// Thin client for the searchd JSON API. All paths are relative ("api/…", never "/api/…"):
// they resolve against the page's own URL, so the page works at searchd's root (/api/…)
// and behind a reverse proxy that mounts searchd under a path (/search/ -> /search/api/…).

export class ApiError extends Error {
  constructor(message, { status = 0, code = '', retryAfter = 0 } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter; // seconds, from a 503's Retry-After (0: none)
  }
}

/** GET a JSON endpoint; throws ApiError carrying the server's error message. */
export async function getJSON(url, { signal } = {}) {
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('Cannot reach the search server. Check your connection and try again.');
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
  }
  if (res.status === 503) {
    // searchd's 503 messages are for its operators ("no usable index is being served; the
    // server log says why", a shard's address): the reader needs to know that it passes.
    const retryAfter = Math.max(0, Number.parseInt(res.headers.get('Retry-After') || '', 10) || 0);
    throw new ApiError('The search server is not available for the moment (it may be starting or '
      + 'loading a new index). Try again in a few seconds.',
    { status: 503, code: (body && body.error && body.error.code) || '', retryAfter });
  }
  if (!res.ok) {
    const err = body && body.error;
    const msg = err && typeof err.message === 'string' && err.message
      ? err.message
      : `The search server answered ${res.status} ${res.statusText}`.trim();
    throw new ApiError(msg, { status: res.status, code: (err && err.code) || '' });
  }
  if (body == null || typeof body !== 'object') {
    throw new ApiError('The search server sent an unreadable answer.', { status: res.status });
  }
  return body;
}

export const api = {
  search: (params, opts) => getJSON(`api/search?${params}`, opts),
  doc: (id, q, opts) =>
    getJSON(`api/doc/${encodeURIComponent(id)}${q ? `?q=${encodeURIComponent(q)}` : ''}`, opts),
  suggest: (q, limit, opts) =>
    getJSON(`api/suggest?q=${encodeURIComponent(q)}&limit=${limit}`, opts),
  // Values of one facet matching q (value, label or alias), counted over all documents.
  facetValues: (facet, q, limit, opts) =>
    getJSON(`api/facets/${encodeURIComponent(facet)}?q=${encodeURIComponent(q)}&limit=${limit}`, opts),
  // The same search as a file: filters, sort, page and per_page kept, so an export holds
  // exactly the hits on screen.
  exportUrl: (params, format) => {
    const p = new URLSearchParams(params);
    p.set('format', format);
    return `api/search?${p}`;
  },
};
