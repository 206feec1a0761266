// KPI definitions and their corridors. A corridor change is gated (kpi:corridor_upsert for the
// KPI's surface) and versioned (If-Match on the corridor's version).
import { get, put } from '../api.js';
import { announce, busy, clearProblem, control, field, h, pagedTable, showProblem } from '../dom.js';
import { atLeast } from '../roles.js';

const BOUNDS = ['floor', 'ceiling', 'cadence_floor', 'cadence_ceiling'];

function corridorForm(kpi, onSaved) {
  const box = h('div', { 'aria-live': 'polite' });
  const c = kpi.corridor || {};
  const form = h('form', { class: 'inline', 'data-kpi': kpi.name, novalidate: true },
    BOUNDS.map((b) => field(b.replace('_', ' '), { name: b, type: 'number', step: 'any', value: c[b] ?? '' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Save corridor')),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    const body = {};
    for (const b of BOUNDS) {
      const v = control(form, b).value;
      if (v !== '') {
        body[b] = Number(v);
      }
    }
    try {
      await busy(form.querySelector('button'), box, 'Saving the corridor',
        () => put(`/v1/kpis/${encodeURIComponent(kpi.name)}/corridor`, body, { ifMatch: `"${c.version || 0}"` }));
      announce(`Corridor of ${kpi.name} saved`);
      onSaved();
    } catch (err) {
      showProblem(form, box, err);
    }
  });
  return form;
}

export async function render({ me, refresh, go }) {
  const admin = atLeast(me.role, 'admin');
  const list = pagedTable([
    { label: 'KPI', cell: (k) => h('span', {}, h('strong', {}, k.name), ` (${k.unit})`, h('br'), h('span', { class: 'meta' }, k.description || '')) },
    { label: 'surface', cell: (k) => h('button', { type: 'button', class: 'link', on: { click: () => go(`temperature/${encodeURIComponent(k.surface)}`) } }, k.surface) },
    { label: 'corridor', cell: (k) => (admin ? corridorForm(k, refresh)
      : k.corridor ? BOUNDS.filter((b) => k.corridor[b] !== null && k.corridor[b] !== undefined).map((b) => `${b} ${k.corridor[b]}`).join(' · ') : '—') },
  ], (cursor) => get('/v1/kpis', { cursor, limit: 100 }).then((r) => r.data), 'KPIs');
  await list.ready;
  const parts = [h('p', { class: 'lead' }, 'KPI definitions per surface and their corridors. Corridor changes need an approved strategy lock allowing kpi:corridor_upsert.'), list];
  if (admin) {
    const box = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'stack', id: 'kpi-form', novalidate: true },
      field('Name', { name: 'name', required: true, pattern: '^[a-z][a-z0-9_]{0,63}$' }, 'lower case, digits, _'),
      field('Description', { name: 'description' }),
      field('Unit', { name: 'unit', required: true }),
      field('Surface', { name: 'surface', required: true }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save KPI')), box);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearProblem(form, box);
      const name = control(form, 'name').value.trim();
      try {
        await busy(form.querySelector('button'), box, 'Saving the KPI', () => put(`/v1/kpis/${encodeURIComponent(name)}`, {
          description: control(form, 'description').value, unit: control(form, 'unit').value, surface: control(form, 'surface').value,
        }));
        announce(`KPI ${name} saved`);
        refresh();
      } catch (err) {
        showProblem(form, box, err);
      }
    });
    parts.push(h('section', { class: 'card' }, h('h2', {}, 'Define a KPI'), form));
  }
  return h('div', {}, parts);
}
