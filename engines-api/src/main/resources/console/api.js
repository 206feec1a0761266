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

/**
 * One call as session {@code s} (defaults to the signed-in one). Options: body (JSON), query,
 * ifMatch (an ETag as the API sent it, e.g. "3"). Answers {status, data, etag, requestId}; throws
 * an ApiError with the problem's code, request id and field errors otherwise.
 */
export async function call(method, path, options = {}, s = session.get()) {
  if (!s) {
    throw new ApiError(401, { code: 'signed_out', detail: 'Sign in first.' });
  }
  const headers = { Accept: 'application/json', ...scopeHeaders(s) };
  const init = { method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
  if (options.ifMatch) {
    headers['If-Match'] = options.ifMatch;
  }
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(path + query(options.query), init);
  } catch (e) {
    throw new ApiError(0, { code: 'network_error', detail: `The service did not answer (${e.message}).` });
  }
  const data = await body(response);
  const requestId = response.headers.get('X-Request-Id');
  if (!response.ok) {
    throw new ApiError(response.status, data && typeof data === 'object' ? data : {}, requestId);
  }
  return { status: response.status, data, etag: response.headers.get('ETag'), requestId };
}

export const get = (path, q) => call('GET', path, { query: q });
export const post = (path, b, options = {}) => call('POST', path, { ...options, body: b });
export const put = (path, b, options = {}) => call('PUT', path, { ...options, body: b });
export const patch = (path, b) => call('PATCH', path, { body: b });
export const del = (path, options = {}) => call('DELETE', path, options);

/**
 * Streams a file as the raw request body (XMLHttpRequest, since fetch reports no upload progress);
 * onProgress(sent, total) follows the upload.
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
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener('load', () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      const requestId = xhr.getResponseHeader('X-Request-Id');
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
