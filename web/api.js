// Thin client for the searchd JSON API. All paths are relative ("api/…", never "/api/…"):
// they resolve against the page's own URL, so the page works at searchd's root (/api/…)
// and behind a reverse proxy that mounts searchd under a path (/search/ -> /search/api/…).

export class ApiError extends Error {
  constructor(message, { status = 0, code = '' } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
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
