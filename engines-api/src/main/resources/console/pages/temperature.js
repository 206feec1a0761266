// Temperature per surface: the stored snapshots as charts (the value, and each metric against its
// floors and ceiling), the configuration in force, and its gated edits (weights, floors, ceilings:
// each needs an approved strategy lock, and is written with If-Match on the part's version).
import { create, get, put } from '../api.js';
import { lineChart, legend } from '../chart.js';
import { announce, busy, clearProblem, control, field, h, mapLines, numberMap, showProblem, table, time } from '../dom.js';
import { atLeast } from '../roles.js';

function partForm(id, title, part, fields, toBody, path, onSaved) {
  const box = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', id, novalidate: true },
    h('h3', {}, title),
    h('p', { class: 'hint' }, `Version ${part.version}${part.version ? ', written ' : ' (never set)'}`, part.updated_at ? time(part.updated_at) : ''),
    fields,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, `Save ${title.toLowerCase()}`)),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblem(form, box);
    let body;
    try {
      body = toBody(form);
    } catch (parseError) {
      showProblem(form, box, { code: 'invalid_input', detail: parseError.message, errors: [] });
      return;
    }
    try {
      const r = await busy(form.querySelector('button[type="submit"]'), box, `Saving ${title.toLowerCase()}`,
        () => put(path, body, { ifMatch: `"${part.version}"` }));
      announce(`${title}: version ${r.data.version} saved`);
      onSaved();
    } catch (err) {
      showProblem(form, box, err);
    }
  });
  return form;
}

function charts(surface, snapshots, config) {
  if (!snapshots.length) {
    return h('p', { class: 'note', id: 'temperature-empty' }, 'No stored snapshots yet: store one to start the chart.');
  }
  const points = (pick) => snapshots.map((x) => ({ t: new Date(x.snapshot.as_of), v: pick(x.snapshot) })).filter((p) => Number.isFinite(p.v));
  const value = lineChart({
    title: `Temperature of ${surface}`,
    description: `The weighted value of ${snapshots.length} stored snapshots, from ${snapshots[snapshots.length - 1].snapshot.as_of} to ${snapshots[0].snapshot.as_of}.`,
    series: [{ name: 'value', points: points((x) => Number(x.value)) }],
    lines: [],
  });
  const floors = config.floors.performance_floors || {};
  const cadence = config.floors.cadence_floors || {};
  const ceilings = config.ceilings.ceilings || {};
  const metrics = [...new Set([...Object.keys(config.weights.weights || {}), ...Object.keys(floors), ...Object.keys(cadence),
    ...Object.keys(ceilings), ...snapshots.flatMap((x) => Object.keys(x.snapshot.raw_metrics || {}))])].sort();
  const perMetric = metrics.map((m) => {
    const lines = [];
    if (floors[m] !== undefined) lines.push({ kind: 'floor', name: 'floor', v: Number(floors[m]) });
    if (cadence[m] !== undefined) lines.push({ kind: 'cadence', name: 'cadence', v: Number(cadence[m]) });
    if (ceilings[m] !== undefined) lines.push({ kind: 'ceiling', name: 'ceiling', v: Number(ceilings[m]) });
    return h('figure', { class: 'metric-chart', 'data-metric': m },
      h('figcaption', {}, h('strong', {}, m), config.weights.weights?.[m] !== undefined ? ` · weight ${config.weights.weights[m]}` : ''),
      lineChart({
        title: `${m} on ${surface}`,
        description: `Sum of ${m} per snapshot window${lines.map((l) => `, ${l.name} ${l.v}`).join('')}.`,
        series: [{ name: m, points: points((x) => Number(x.raw_metrics?.[m] ?? 0)) }],
        lines,
      }),
      legend([m], lines));
  });
  const rows = table([
    { label: 'as of', cell: (x) => time(x.snapshot.as_of) },
    { label: 'window', class: 'num', cell: (x) => `${x.snapshot.window_days} d` },
    { label: 'value', class: 'num', cell: (x) => String(x.snapshot.value) },
    { label: 'floors breached', cell: (x) => x.snapshot.floors_breached.join(', ') || '—' },
    { label: 'ceilings breached', cell: (x) => x.snapshot.ceilings_breached.join(', ') || '—' },
    { label: 'snapshot', cell: (x) => h('code', {}, x.snapshot_id) },
  ], snapshots, 'Stored snapshots, newest first');
  return h('div', { id: 'temperature-charts' },
    h('figure', { id: 'temperature-value-chart' }, h('figcaption', {}, h('strong', {}, 'value'), ' = Σ(metric × weight) / Σ|weight|'), value, legend(['value'], [])),
    h('h2', {}, 'Metrics against their floors and ceilings'),
    perMetric,
    h('details', {}, h('summary', {}, 'The numbers'), rows));
}

export async function render({ me, arg, go }) {
  const kpis = await get('/v1/kpis', { limit: 500 }).catch(() => ({ data: { items: [] } }));
  const surfaces = [...new Set(kpis.data.items.map((k) => k.surface))].sort();
  const surface = arg || surfaces[0] || '';
  const pick = h('form', { class: 'inline', id: 'surface-form', novalidate: true },
    field('Surface', { name: 'surface', id: 'surface-input', value: surface, list: 'surfaces', required: true, autocomplete: 'off' }),
    h('datalist', { id: 'surfaces' }, surfaces.map((x) => h('option', { value: x }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  pick.addEventListener('submit', (e) => {
    e.preventDefault();
    go(`temperature/${encodeURIComponent(control(pick, 'surface').value.trim())}`);
  });
  if (!surface) {
    return h('div', {}, pick, h('p', { class: 'note' }, 'Name a surface (KPIs list theirs).'));
  }
  const base = `/v1/temperature/${encodeURIComponent(surface)}`;
  const [config, snapshots] = await Promise.all([get(`${base}/config`), get(`${base}/snapshots`, { limit: 100 })]);
  const c = config.data;
  const parts = [pick, h('h2', {}, `Surface ${surface}`), charts(surface, snapshots.data.items, c)];
  const refresh = () => go(`temperature/${encodeURIComponent(surface)}`);
  if (atLeast(me.role, 'admin')) {
    const status = h('div', { 'aria-live': 'polite' });
    const windowDays = h('input', { type: 'number', id: 'snapshot-window', min: '1', max: '90', value: '7' });
    const store = h('button', { type: 'button', id: 'snapshot-store' }, 'Store a snapshot now');
    store.addEventListener('click', async () => {
      try {
        await busy(store, status, 'Computing the snapshot', () => create(`${base}/snapshots`, { window_days: Number(windowDays.value) }));
        announce('Snapshot stored');
        refresh();
      } catch (err) {
        showProblem(null, status, err);
      }
    });
    parts.push(h('section', { class: 'card' }, h('h2', {}, 'Snapshots'),
      h('div', { class: 'actions' }, h('label', { for: 'snapshot-window' }, 'Window (days)'), windowDays, store), status));
    parts.push(h('section', { class: 'card' },
      h('h2', {}, 'Thresholds and weights'),
      h('p', { class: 'hint' }, 'Gated changes: each needs an approved strategy lock, valid now, allowing temperature:upsert_weights, temperature:upsert_floors or temperature:upsert_ceilings for this surface (or every surface).'),
      h('div', { class: 'cols' },
        partForm('weights-form', 'Weights', c.weights, [
          field('Weights', { tag: 'textarea', name: 'weights', id: 'weights-input', class: 'code', value: mapLines(c.weights.weights) }, 'one metric = weight a line'),
          field('Source', { tag: 'select', name: 'source', id: 'weights-source', options: ['tenant_override', 'system_default'], value: c.weights.source || 'tenant_override' }),
        ], (f) => ({ weights: numberMap(control(f, 'weights').value), source: control(f, 'source').value }), `${base}/weights`, refresh),
        partForm('floors-form', 'Floors', c.floors, [
          field('Performance floors', { tag: 'textarea', name: 'performance_floors', class: 'code', value: mapLines(c.floors.performance_floors) }, 'metric = floor'),
          field('Cadence floors', { tag: 'textarea', name: 'cadence_floors', class: 'code', value: mapLines(c.floors.cadence_floors) }, 'metric = floor'),
        ], (f) => ({ performance_floors: numberMap(control(f, 'performance_floors').value), cadence_floors: numberMap(control(f, 'cadence_floors').value) }),
        `${base}/floors`, refresh),
        partForm('ceilings-form', 'Ceilings', c.ceilings, [
          field('Ceilings', { tag: 'textarea', name: 'ceilings', class: 'code', value: mapLines(c.ceilings.ceilings) }, 'metric = ceiling'),
        ], (f) => ({ ceilings: numberMap(control(f, 'ceilings').value) }), `${base}/ceilings`, refresh))));
  }
  return h('div', {}, parts);
}
