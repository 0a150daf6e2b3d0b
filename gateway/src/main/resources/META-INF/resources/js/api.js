// The gateway's REST API and event streams (gateway/README.md, docs/contracts.md), same origin as the pages.

const BASE = '/api/v1';
const KEY_STORAGE = 'lasermesh.apiKey';
// Where a gateway with a read key finds the key of the event streams and links, which cannot send headers.
const KEY_COOKIE = 'lasermesh-key';

/** An answer other than 2xx: the error body's one-line message and the field at fault, if any. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.status = status;
    this.field = body && body.field ? body.field : null;
  }
}

async function request(path, options = {}) {
  const key = storedKey();
  const response = await fetch(BASE + path, {
    ...options,
    headers: { Accept: 'application/json', ...(key ? { 'X-API-Key': key } : {}), ...(options.headers || {}) },
  });
  const text = await response.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: text.slice(0, 200) };
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}

export const api = {
  jobs: (limit = 200) => request(`/jobs?limit=${limit}`),
  job: (id) => request(`/jobs/${encodeURIComponent(id)}`),
  matrices: (id) => request(`/jobs/${encodeURIComponent(id)}/matrices`),
  candidates: (id) => request(`/jobs/${encodeURIComponent(id)}/candidates`),
  compression: (id) => request(`/jobs/${encodeURIComponent(id)}/compression`),
  study: (id) => request(`/jobs/${encodeURIComponent(id)}/study`),
  lora: (id) => request(`/jobs/${encodeURIComponent(id)}/lora`),
  methods: (id) => request(`/jobs/${encodeURIComponent(id)}/methods`),
  scan: (id) => request(`/jobs/${encodeURIComponent(id)}/scan`),
  output: (id) => request(`/jobs/${encodeURIComponent(id)}/output`),
  inputs: () => request('/inputs'),
  spectrum: (id, tensor, bins, scale) =>
    request(`/jobs/${encodeURIComponent(id)}/matrices/${encodeURIComponent(tensor)}/spectrum?bins=${bins}&scale=${scale}`),
  submit: (spec, key) => request('/jobs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': key },
    body: JSON.stringify(spec),
  }),
  cancel: (id, key) => request(`/jobs/${encodeURIComponent(id)}/cancel`, {
    method: 'POST',
    headers: { 'X-API-Key': key },
  }),
  reportUrl: (id) => `${BASE}/jobs/${encodeURIComponent(id)}/report`,
  outputUrl: (id) => `${BASE}/jobs/${encodeURIComponent(id)}/output`,
};

/** The API key the user gave last (kept in this browser only). */
export function storedKey() {
  return localStorage.getItem(KEY_STORAGE) || '';
}

export function storeKey(key) {
  if (key) {
    localStorage.setItem(KEY_STORAGE, key);
    document.cookie = `${KEY_COOKIE}=${encodeURIComponent(key)}; path=/; SameSite=Strict`;
  } else {
    localStorage.removeItem(KEY_STORAGE);
    document.cookie = `${KEY_COOKIE}=; path=/; SameSite=Strict; max-age=0`;
  }
}

/**
 * Follows a server-sent event stream of job events; the browser reconnects by itself after a drop.
 * onState(open, resumed) tells whether the stream is open, and on reopening that events may have been
 * missed meanwhile (the page then reads the state again).
 */
export function followEvents(path, onEvent, onState) {
  const source = new EventSource(BASE + path);
  let dropped = false;
  source.onopen = () => {
    onState(true, dropped);
    dropped = false;
  };
  source.onerror = () => {
    dropped = true;
    onState(false, false);
  };
  source.onmessage = (message) => {
    if (message.data) {
      onEvent(JSON.parse(message.data));
    }
  };
  window.addEventListener('pagehide', () => source.close());
  return source;
}

// A key stored before the dashboard kept it in a cookie too reaches the event streams and links as well.
storeKey(storedKey());
