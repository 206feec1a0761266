// DOM helpers. Every element is built with createElement and text nodes: no HTML strings, so API
// data can never become markup (the page also requires Trusted Types, which refuses HTML sinks).

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * An HTML element: h('button', {class: 'x', on: {click: fn}, 'aria-label': 'y'}, 'text', child).
 * Props: text, class, on, value (set last, after options exist), and attributes otherwise
 * (true: present, false/null: absent).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false || name === 'value') {
      continue;
    }
    if (name === 'on') {
      for (const [event, fn] of Object.entries(value)) {
        el.addEventListener(event, fn);
      }
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (name === 'class') {
      el.className = value;
    } else if (name === 'checked' || name === 'disabled' || name === 'selected' || name === 'required' || name === 'multiple') {
      el[name] = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  if (props && props.value !== undefined && props.value !== null) {
    el.value = props.value;
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element; every prop is an attribute. */
export function s(tag, props = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value !== null && value !== undefined && value !== false) {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

let fieldIds = 0;

/** A labelled input: field('Email', {name: 'email', type: 'email'}, 'hint'). */
export function field(label, props = {}, hint) {
  const { tag = 'input', options = [], ...rest } = props;
  const id = rest.id || `f${++fieldIds}`;
  const control = h(tag, { ...rest, id }, options.map((o) => option(o)));
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) {
    control.setAttribute('aria-describedby', hintId);
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('span', { class: 'hint', id: hintId }, hint) : null,
    control);
}

function option(o) {
  const [value, text] = Array.isArray(o) ? o : [o, o];
  return h('option', { value }, text);
}

/** A checkbox with its label after it. */
export function check(label, props = {}) {
  return h('label', { class: 'check' }, h('input', { type: 'checkbox', ...props }), label);
}

/** Says something to screen readers without moving focus. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (region) {
    region.textContent = '';
    setTimeout(() => { region.textContent = message; }, 30);
  }
}

/**
 * An API problem as the console shows it: the code, the detail, every field error, and the
 * request id (which finds the request's event in the explorer).
 */
export function problem(err) {
  const code = err.code || 'error';
  return h('div', { class: 'problem', role: 'alert', 'data-code': code },
    h('p', {}, h('span', { class: 'code' }, code), err.status ? ` (HTTP ${err.status})` : '', ': ', err.detail || err.message),
    err.errors && err.errors.length
      ? h('ul', {}, err.errors.map((e) => h('li', {}, h('code', {}, e.field || '(body)'), ' ', e.message)))
      : null,
    explain(err),
    h('p', { class: 'meta' }, 'request id ', h('code', { class: 'request-id' }, err.requestId || 'none')));
}

/** What a few codes mean for the person at the console. */
function explain(err) {
  const text = {
    version_conflict: 'Someone saved a newer version after you loaded this one. Reload to see it, then apply your change again.',
    precondition_failed: 'The version you loaded is no longer the current one. Reload to see the newer version, then apply your change again.',
    strategy_lock_required: 'This change is gated: it needs an approved strategy lock, valid now, that allows this action for this surface (Strategy locks page).',
    kill_switch_blocked: 'The kill switch of this env disables this action (Kill switch page).',
    forbidden_role: 'Your role does not allow this action.',
    config_missing: 'A configuration slot this needs is not set in this env (Config slots page).',
    four_eyes_required: 'This env requires four eyes: someone other than the lock\'s author must approve it.',
    credential_invalid: 'The API key is not valid: check it was copied whole.',
    tenant_mismatch: 'This key is not a member of that tenant.',
    env_forbidden: 'This key is not granted that env.',
    network_error: 'Whether it was done is unknown. Sending the same thing again is safe: a create is sent with the same Idempotency-Key, so it runs at most once.',
    idempotency_key_in_flight: 'The first attempt is still running. Send it again in a moment: you will get its answer.',
    idempotency_outcome_unknown: 'The first attempt changed data but its answer was lost. Reload the page to see what it did.',
  }[err.code];
  return text ? h('p', { class: 'explain' }, text) : null;
}

/** Shows err under a form: field errors beside their inputs (by name = JSON field), the rest in the box. */
export function showProblem(form, box, err) {
  clearProblem(form, box);
  box.replaceChildren(problem(err));
  for (const e of err.errors || []) {
    const input = form && form.querySelector(`[name="${CSS.escape(e.field || '')}"]`) ||
      (form && form.querySelector('[data-errors="all"]'));
    if (!input) {
      continue;
    }
    const id = `${input.id || 'in'}-err-${Math.random().toString(36).slice(2, 8)}`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    input.insertAdjacentElement('afterend', h('p', { class: 'field-error', id, 'data-field': e.field || '' },
      `${e.field}: ${e.message}`));
  }
}

/** Removes a form's field errors and its problem box. */
export function clearProblem(form, box) {
  if (form) {
    form.querySelectorAll('.field-error').forEach((n) => n.remove());
    form.querySelectorAll('[aria-invalid]').forEach((n) => {
      n.removeAttribute('aria-invalid');
      const rest = (n.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.includes('-err-'));
      if (rest.length) {
        n.setAttribute('aria-describedby', rest.join(' '));
      } else {
        n.removeAttribute('aria-describedby');
      }
    });
  }
  if (box) {
    box.replaceChildren();
  }
}

/**
 * Runs a long action with its progress shown: the button is disabled and busy, a "working" line
 * with an indeterminate progress bar appears in {@code status}, and the outcome is announced.
 */
export async function busy(button, status, label, action) {
  const working = h('span', { class: 'working', role: 'status' }, h('progress', { 'aria-label': label }), `${label}…`);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  status.replaceChildren(working);
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    working.remove();
  }
}

/** A table: columns [{label, cell: row => node|text, class}], rows. */
export function table(columns, rows, caption) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class || null }, c.label)))),
    h('tbody', {}, rows.length
      ? rows.map((row) => h('tr', { 'data-id': row.__id || null }, columns.map((c) => h('td', { class: c.class || null }, c.cell(row)))))
      : h('tr', {}, h('td', { colspan: columns.length, class: 'meta' }, 'Nothing here yet.')))));
}

/** A status badge. */
export function badge(text) {
  return h('span', { class: `badge ${text}` }, text);
}

/** A timestamp in the browser's time zone, with the ISO instant as its title. */
export function time(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  return h('time', { datetime: iso, title: iso }, d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }));
}

/** The value of a datetime-local input as an ISO instant (UTC), or null. */
export function isoFromLocal(value) {
  return value ? new Date(value).toISOString() : null;
}

/** An ISO instant as a datetime-local value in the browser's zone. */
export function localFromIso(date) {
  const d = new Date(date);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Lines of a textarea: trimmed, none empty. */
export function lines(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** "name = 1.5" lines as a map of numbers; throws naming the bad line. */
export function numberMap(text) {
  const out = {};
  for (const line of lines(text)) {
    const at = line.indexOf('=');
    if (at < 1) {
      throw new Error(`"${line}" is not name = number`);
    }
    const name = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (value === '' || Number.isNaN(Number(value))) {
      throw new Error(`${name}: "${value}" is not a number`);
    }
    out[name] = Number(value);
  }
  return out;
}

/** A map of numbers as "name = value" lines. */
export function mapLines(map) {
  return Object.entries(map || {}).map(([k, v]) => `${k} = ${v}`).join('\n');
}

/**
 * A keyset-paginated list: fetchPage(cursor) answers {items, next_cursor}; the rows go into one
 * table, and "Load more" appends the next page.
 */
export function pagedTable(columns, fetchPage, caption) {
  const wrap = h('div', { class: 'paged' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const status = h('div', { 'aria-live': 'polite' });
  let body = null;
  let cursor = null;
  async function next() {
    try {
      const page = await busy(more, status, 'Loading', () => fetchPage(cursor));
      if (!body) {
        const t = table(columns, page.items, caption);
        body = t.querySelector('tbody');
        wrap.prepend(t);
      } else {
        for (const row of page.items) {
          body.append(h('tr', {}, columns.map((c) => h('td', { class: c.class || null }, c.cell(row)))));
        }
        announce(`${page.items.length} more rows`);
      }
      cursor = page.next_cursor;
      more.hidden = !cursor;
    } catch (err) {
      status.replaceChildren(problem(err));
    }
  }
  more.addEventListener('click', next);
  wrap.append(h('div', { class: 'actions' }, more), status);
  wrap.ready = next();
  return wrap;
}

/** A form's control by name (form.name and form.role would be the form's own properties). */
export function control(form, name) {
  return form.elements.namedItem(name);
}
