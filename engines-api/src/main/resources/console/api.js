// The console is an API client like any other: it holds the API key in sessionStorage only (gone
// when the tab closes or on sign-out, never sent to a server other than in the Authorization
// header), and every call carries the scoping headers X-Tenant-Id and X-Env.

const STORE = 'engines.console.session';

/** The signed-in session: {tenant, env, key, me}. */
export const session = {
  get() {
    try {
      const value = JSON.parse(sessionStorage.getItem(STORE));
      return value && value.key && value.tenant && value.env ? value : null;
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(STORE, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(STORE);
  },
};

/** A problem answered by the API (RFC 9457), or a failure to reach it. */
export class ApiError extends Error {
  constructor(status, problem, requestId) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status ? `http_${status}` : 'network_error');
    this.detail = problem.detail || '';
    this.requestId = problem.request_id || requestId || null;
    this.traceId = problem.trace_id || null;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

function query(params) {
  if (!params) {
    return '';
  }
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.append(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function scopeHeaders(s) {
  return { Authorization: `Bearer ${s.key}`, 'X-Tenant-Id': s.tenant, 'X-Env': s.env };
}

async function body(response) {
  if (response.status === 204) {
    return null;
  }
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }
  return response.text();
}

// Idempotency-Key (docs/api.md, "Retries"): every creating POST carries a key, a fresh UUID per
// user action. When the outcome stayed unknown (the network failed, the service answered 5xx, or
// the first attempt still runs) the key is kept, and the same action sent again (same session,
// method, path, query and body) reuses it, so the service runs it at most once and replays the
// first answer. Any other answer settles the action: the next one gets a new key. Keys live in this
// page only; they are no secret and never stored.
const unsettled = new Map();

function uuid() {
  // crypto.randomUUID exists only in secure contexts; getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The key of one action: the one kept from its unsettled attempt, or a new one. */
function actionKey(action) {
  let key = unsettled.get(action);
  if (!key) {
    key = uuid();
    unsettled.set(action, key);
  }
  return key;
}

/** Whether an attempt's outcome is unknown, so that a retry must send the same key. */
function outcomeUnknown(status, code) {
  return status === 0 || status >= 500 || code === 'idempotency_key_in_flight';
}

function settle(action, status, code) {
  if (action && !outcomeUnknown(status, code)) {
    unsettled.delete(action);
  }
}

/**
 * One call as session {@code s} (defaults to the signed-in one). Options: body (JSON), query,
 * ifMatch (an ETag as the API sent it, e.g. "3"), idempotent (send an Idempotency-Key: for the
 * routes that create records). Answers {status, data, etag, requestId}; throws an ApiError with
 * the problem's code, request id and field errors otherwise.
 */
export async function call(method, path, options = {}, s = session.get()) {
  if (!s) {
    throw new ApiError(401, { code: 'signed_out', detail: 'Sign in first.' });
  }
  const headers = { Accept: 'application/json', ...scopeHeaders(s) };
  const init = { method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
  const url = path + query(options.query);
  if (options.ifMatch) {
    headers['If-Match'] = options.ifMatch;
  }
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const action = options.idempotent ? JSON.stringify([s.tenant, s.env, s.key, method, url, init.body || '']) : null;
  if (action) {
    headers['Idempotency-Key'] = actionKey(action);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, { code: 'network_error', detail: `The service did not answer (${e.message}).` });
  }
  const data = await body(response);
  const requestId = response.headers.get('X-Request-Id');
  const problem = !response.ok && data && typeof data === 'object' ? data : {};
  settle(action, response.status, problem.code);
  if (!response.ok) {
    throw new ApiError(response.status, problem, requestId);
  }
  return { status: response.status, data, etag: response.headers.get('ETag'), requestId };
}

export const get = (path, q) => call('GET', path, { query: q });
export const post = (path, b, options = {}) => call('POST', path, { ...options, body: b });
/** A POST that creates records: it carries an Idempotency-Key, reused when the action is retried. */
export const create = (path, b) => call('POST', path, { body: b, idempotent: true });
export const put = (path, b, options = {}) => call('PUT', path, { ...options, body: b });
export const patch = (path, b) => call('PATCH', path, { body: b });
export const del = (path, options = {}) => call('DELETE', path, options);

/**
 * Streams a file as the raw request body (XMLHttpRequest, since fetch reports no upload progress);
 * onProgress(sent, total) follows the upload. It creates an asset, so it carries an
 * Idempotency-Key, reused when the same file is uploaded again after an unknown outcome.
 */
export function upload(path, params, file, onProgress) {
  const s = session.get();
  return new Promise((resolve, reject) => {
    if (!s) {
      reject(new ApiError(401, { code: 'signed_out', detail: 'Sign in first.' }));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path + query(params));
    for (const [name, value] of Object.entries(scopeHeaders(s))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    const action = JSON.stringify([s.tenant, s.env, s.key, 'POST', path + query(params), file.name, file.size, file.lastModified]);
    xhr.setRequestHeader('Idempotency-Key', actionKey(action));
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener('load', () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      const requestId = xhr.getResponseHeader('X-Request-Id');
      settle(action, xhr.status, data && data.code);
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({ status: xhr.status, data, requestId });
      } else {
        reject(new ApiError(xhr.status, data || {}, requestId));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { code: 'network_error', detail: 'The upload did not reach the service.' })));
    xhr.send(file);
  });
}
