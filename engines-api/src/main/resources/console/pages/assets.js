// Nexus: raw assets → derivations → atoms, with lineage. Uploads stream the file as the raw body
// with a progress bar; a derivation shows its progress while the API atomizes.
import { create, get, upload } from '../api.js';
import { announce, busy, check, clearProblem, control, field, h, pagedTable, problem, showProblem, table, time } from '../dom.js';
import { atLeast } from '../roles.js';

function bytes(n) {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

function uploadForm(onDone) {
  const box = h('div', { 'aria-live': 'polite' });
  const bar = h('progress', { id: 'upload-progress', max: '100', value: '0', hidden: true, 'aria-label': 'Upload progress' });
  const form = h('form', { class: 'stack', id: 'upload-form', novalidate: true },
    field('File', { type: 'file', name: 'file', id: 'upload-file', required: true }),
    check('may be used for training (train_ok)', { name: 'train_ok' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'upload-submit' }, 'Upload'), bar),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    const file = control(form, 'file').files[0];
    if (!file) {
      showProblem(form, box, { code: 'file_required', detail: 'Choose a file first.', errors: [] });
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    try {
      const r = await upload('/v1/assets', { filename: file.name, train_ok: control(form, 'train_ok').checked }, file, (sent, total) => {
        bar.value = total ? Math.round((sent / total) * 100) : 0;
        bar.textContent = `${bar.value}%`;
      });
      announce(`Uploaded ${file.name} as ${r.data.asset_id}`);
      onDone(r.data.asset_id);
    } catch (err) {
      showProblem(form, box, err);
    } finally {
      button.disabled = false;
      bar.hidden = true;
    }
  });
  return form;
}

function paramValue(spec, raw) {
  if (spec.type === 'INTEGER') {
    return Number(raw);
  }
  if (spec.type === 'BOOLEAN') {
    return raw === true || raw === 'true';
  }
  return raw;
}

function deriveForm(assetId, atomizers, onDone) {
  const box = h('div', { 'aria-live': 'polite' });
  const paramsSlot = h('div');
  const select = h('select', { id: 'derive-op', name: 'op_type' }, atomizers.map((a) => h('option', { value: a.op_type }, `${a.op_type} (${a.op_version})`)));
  function showParams() {
    const atomizer = atomizers.find((a) => a.op_type === select.value);
    paramsSlot.replaceChildren(...(atomizer ? atomizer.params : []).map((p) => (p.type === 'BOOLEAN'
      ? check(`${p.name}${p.description ? ` — ${p.description}` : ''}`, { name: `params.${p.name}`, checked: p.default_value === true })
      : field(p.name, {
        tag: p.allowed_values ? 'select' : 'input', name: `params.${p.name}`, type: p.type === 'INTEGER' ? 'number' : 'text',
        min: p.min ?? null, max: p.max ?? null, options: p.allowed_values || [], value: p.default_value ?? '',
      }, p.description))));
  }
  select.addEventListener('change', showParams);
  showParams();
  const form = h('form', { class: 'stack', id: 'derive-form', novalidate: true },
    h('label', { for: 'derive-op' }, 'Atomizer'), select, paramsSlot,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'derive-submit' }, 'Derive atoms')), box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    const atomizer = atomizers.find((a) => a.op_type === select.value);
    const params = {};
    for (const p of atomizer.params) {
      const input = control(form, `params.${p.name}`);
      const raw = input.type === 'checkbox' ? input.checked : input.value;
      if (raw !== '') {
        params[p.name] = paramValue(p, raw);
      }
    }
    try {
      const r = await busy(form.querySelector('button[type="submit"]'), box, 'Deriving atoms', () =>
        create(`/v1/assets/${encodeURIComponent(assetId)}/derivations`, { op_type: select.value, params }));
      announce(`${r.data.atoms} atoms: ${r.data.added} added, ${r.data.skipped} skipped`);
      onDone(r.data);
    } catch (err) {
      showProblem(form, box, err);
    }
  });
  return form;
}

async function atomLineage(atomId, slot) {
  try {
    const l = (await get(`/v1/atoms/${encodeURIComponent(atomId)}/lineage`)).data;
    const atom = (await get(`/v1/atoms/${encodeURIComponent(atomId)}`)).data;
    slot.replaceChildren(h('section', { class: 'card', id: 'atom-lineage', tabindex: '-1' },
      h('h3', {}, 'Atom ', h('code', {}, atomId)),
      h('pre', { class: 'out' }, atom.text),
      h('dl', { class: 'facts' },
        h('dt', {}, 'asset'), h('dd', {}, h('code', {}, l.asset.asset_id), ` ${l.asset.filename} (sha256 ${l.asset.sha256.slice(0, 12)}…)`),
        h('dt', {}, 'derivation'), h('dd', {}, h('code', {}, l.derivation.derivation_id), ` ${l.derivation.op_type} ${l.derivation.op_version}`),
        h('dt', {}, 'ordinal'), h('dd', {}, String(l.ordinal)),
        h('dt', {}, 'span'), h('dd', {}, h('code', {}, JSON.stringify(l.span))),
        h('dt', {}, 'pii_flags'), h('dd', {}, h('code', {}, JSON.stringify(atom.pii_flags))),
        h('dt', {}, 'train_ok'), h('dd', {}, String(atom.train_ok)))));
    slot.firstChild.focus();
  } catch (err) {
    slot.replaceChildren(problem(err));
  }
}

async function detail(assetId, me, go) {
  const [lineage, atomizers] = await Promise.all([
    get(`/v1/assets/${encodeURIComponent(assetId)}/lineage`),
    get('/v1/atomizers').catch(() => ({ data: [] })),
  ]);
  const asset = lineage.data.asset;
  const atomSlot = h('div');
  const atomsSlot = h('div', { id: 'atoms' });
  function showAtoms(derivationId) {
    const list = pagedTable([
      { label: 'ordinal', class: 'num', cell: (a) => String(a.ordinal) },
      { label: 'text', cell: (a) => (a.text.length > 120 ? `${a.text.slice(0, 120)}…` : a.text) },
      { label: 'pii', cell: (a) => h('code', {}, JSON.stringify(a.pii_flags)) },
      { label: 'atom', cell: (a) => h('button', { type: 'button', class: 'link mono', 'data-atom': a.atom_id,
        on: { click: () => atomLineage(a.atom_id, atomSlot) } }, a.atom_id) },
    ], (cursor) => get('/v1/atoms', { asset_id: assetId, derivation_id: derivationId, cursor, limit: 50 }).then((r) => r.data), `Atoms of ${derivationId}`);
    atomsSlot.replaceChildren(h('h3', {}, 'Atoms of ', h('code', {}, derivationId)), list);
  }
  const derivations = table([
    { label: 'derivation', cell: (d) => h('button', { type: 'button', class: 'link mono', 'data-derivation': d.derivation_id,
      on: { click: () => showAtoms(d.derivation_id) } }, d.derivation_id) },
    { label: 'atomizer', cell: (d) => `${d.op_type} ${d.op_version}` },
    { label: 'params', cell: (d) => h('code', {}, JSON.stringify(d.params)) },
    { label: 'atoms', class: 'num', cell: (d) => String(d.atom_count) },
    { label: 'last run', cell: (d) => time(d.last_run_at) },
  ], lineage.data.derivations, 'Derivations');
  return h('section', { class: 'card', id: 'asset-detail' },
    h('h2', {}, 'Asset ', h('code', {}, asset.asset_id)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'file'), h('dd', {}, `${asset.filename} · ${asset.content_type} · ${bytes(asset.size_bytes)}`),
      h('dt', {}, 'sha256'), h('dd', {}, h('code', {}, asset.sha256)),
      h('dt', {}, 'stored'), h('dd', {}, `${asset.backend}${asset.bucket ? ` ${asset.bucket}` : ''} · imported `, time(asset.imported_at)),
      h('dt', {}, 'train_ok'), h('dd', {}, String(asset.train_ok))),
    h('h3', {}, 'Derivations'), derivations,
    atLeast(me.role, 'member') && atomizers.data.length
      ? h('details', { open: lineage.data.derivations.length === 0 }, h('summary', {}, 'Run a derivation'),
        deriveForm(assetId, atomizers.data, (d) => go(`assets/${assetId}`, d)))
      : null,
    atomsSlot, atomSlot);
}

export async function render({ me, arg, go }) {
  const list = pagedTable([
    { label: 'asset', cell: (a) => h('a', { href: `#/assets/${a.asset_id}`, class: 'mono', 'data-asset': a.asset_id }, a.asset_id) },
    { label: 'file', cell: (a) => a.filename },
    { label: 'size', class: 'num', cell: (a) => bytes(a.size_bytes) },
    { label: 'type', cell: (a) => a.content_type },
    { label: 'imported', cell: (a) => time(a.imported_at) },
  ], (cursor) => get('/v1/assets', { cursor, limit: 50 }).then((r) => r.data), 'Assets');
  await list.ready;
  const parts = [h('p', { class: 'lead' }, 'Raw artifacts → atoms, with lineage. Plumbing only: nothing here ranks or interprets.')];
  if (arg) {
    parts.push(await detail(arg, me, go));
  }
  if (atLeast(me.role, 'member')) {
    parts.push(h('section', { class: 'card' }, h('h2', {}, 'Upload a raw asset'), uploadForm((id) => go(`assets/${id}`))));
  }
  parts.push(h('h2', {}, 'Assets'), list);
  return h('div', {}, parts);
}
