// Config slots of this env: read the version in force (its ETag), edit its JSON, save with
// If-Match so a concurrent change is refused and explained, not overwritten; the API's field errors
// are shown beside the editor.
import { ApiError, get, put } from '../api.js';
import { announce, busy, clearProblem, h, pagedTable, showProblem, time } from '../dom.js';

const SLOTS = {
  storage: 'Where raw assets are stored (backend, bucket, prefix) and the largest object.',
  nexus: 'Atomizer caps and which atomizers this env may run.',
  gates: 'Whether a strategy lock needs a second person to approve it (four_eyes); limits, quotas and budgets where the deployment has them.',
  session: 'Session TTLs, turn and blackboard limits.',
  vector: 'Largest vector dimension, allowed metrics and models, whether ingest is gated by a strategy lock.',
};

export async function render({ arg, go }) {
  const slot = SLOTS[arg] ? arg : 'storage';
  let current = null;
  let etag = '"0"';
  try {
    const r = await get(`/v1/config/${slot}`);
    current = r.data;
    etag = r.etag || `"${r.data.version}"`;
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'config_missing') {
      throw err;
    }
  }
  const tabs = h('div', { class: 'actions', role: 'group', 'aria-label': 'Slots' },
    Object.keys(SLOTS).map((name) => h('button', {
      type: 'button', class: name === slot ? '' : 'secondary', 'aria-pressed': String(name === slot),
      'data-slot': name, on: { click: () => go(`config/${name}`) },
    }, name)));
  const box = h('div', { id: 'config-status' });
  const editor = h('textarea', {
    id: 'config-json', name: 'settings', class: 'code', spellcheck: 'false', 'data-errors': 'all',
    'aria-describedby': 'config-help', value: JSON.stringify(current ? current.settings : {}, null, 2),
  });
  const state = h('p', { id: 'config-version' }, current
    ? h('span', {}, `Version ${current.version} in force, written by ${current.created_by} at `, time(current.created_at), '.')
    : h('span', { class: 'note' }, `Not set in this env: routes that need the ${slot} slot answer config_missing until it is.`));
  const form = h('form', { class: 'stack', id: 'config-form', novalidate: true },
    h('label', { for: 'config-json' }, `Settings of the ${slot} slot (JSON)`),
    h('span', { class: 'hint', id: 'config-help' }, `${SLOTS[slot]} Saving writes version ${(current ? current.version : 0) + 1}, if nobody saved since you loaded version ${current ? current.version : 0} (If-Match: ${etag}).`),
    editor,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'config-save' }, 'Save'),
      h('button', { type: 'button', class: 'secondary', id: 'config-reload', on: { click: () => go(`config/${slot}`) } }, 'Reload')),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    let settings;
    try {
      settings = JSON.parse(editor.value);
    } catch (parseError) {
      showProblem(form, box, { code: 'invalid_json', detail: `The settings are not JSON: ${parseError.message}`, errors: [] });
      return;
    }
    try {
      const r = await busy(form.querySelector('button[type="submit"]'), box, 'Saving', () => put(`/v1/config/${slot}`, settings, { ifMatch: etag }));
      announce(`Saved version ${r.data.version} of the ${slot} slot`);
      go(`config/${slot}`);
    } catch (err) {
      showProblem(form, box, err);
    }
  });
  const versions = pagedTable([
    { label: 'version', class: 'num', cell: (v) => String(v.version) },
    { label: 'written', cell: (v) => time(v.created_at) },
    { label: 'by', cell: (v) => h('code', {}, v.created_by) },
    { label: 'settings', cell: (v) => h('code', {}, JSON.stringify(v.settings)) },
  ], (cursor) => get(`/v1/config/${slot}/versions`, { cursor, limit: 20 }).then((r) => r.data), 'Versions');
  await versions.ready;
  return h('div', {}, tabs, state, form, h('h2', {}, 'Versions'), versions);
}
