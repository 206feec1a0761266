// A line chart over time in SVG, drawn here (no chart library): series of points, and horizontal
// lines for floors, cadence floors and ceilings. The numbers are also in a table beside it.
import { h, s } from './dom.js';

const W = 720;
const H = 280;
const PAD = { left: 64, right: 96, top: 16, bottom: 36 };

/** Round tick values covering [lo, hi]. */
function ticks(lo, hi, count) {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((m) => m >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step / 1e6; v += step) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}

function label(v) {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(6)));
}

/**
 * @param {object} o title, description, series [{name, points: [{t: Date, v: number}]}],
 *   lines [{kind: 'floor'|'cadence'|'ceiling', name, v}]
 * @returns an SVG element (role img, with title and description)
 */
export function lineChart(o) {
  const points = o.series.flatMap((x) => x.points);
  const values = points.map((p) => p.v).concat(o.lines.map((l) => l.v));
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  const times = points.map((p) => p.t.getTime());
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (!Number.isFinite(t0)) {
    t0 = Date.now() - 86400000;
    t1 = Date.now();
  }
  if (t0 === t1) {
    t0 -= 3600000;
    t1 += 3600000;
  }
  const x = (t) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const id = `c${Math.random().toString(36).slice(2, 9)}`;

  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d` },
    s('title', { id: `${id}-t` }, o.title),
    s('desc', { id: `${id}-d` }, o.description));
  for (const v of ticks(lo, hi, 5)) {
    svg.append(s('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }),
      s('text', { class: 'tick', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, label(v)));
  }
  const HOUR = 3600000;
  const step = [1, 3, 6, 12, 24, 48, 168, 720].map((n) => n * HOUR).find((n) => n >= (t1 - t0) / 5) || 720 * HOUR;
  const format = step < 24 * HOUR
    ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
    : { month: 'short', day: 'numeric' };
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    svg.append(s('line', { class: 'grid', x1: x(t), x2: x(t), y1: PAD.top, y2: H - PAD.bottom }),
      s('text', { class: 'tick', x: x(t), y: H - PAD.bottom + 16, 'text-anchor': 'middle' }, new Date(t).toLocaleString(undefined, format)));
  }
  svg.append(s('line', { class: 'axis', x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: H - PAD.bottom }),
    s('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: H - PAD.bottom, y2: H - PAD.bottom }));
  for (const l of o.lines) {
    svg.append(s('line', { class: l.kind, 'data-kind': l.kind, x1: PAD.left, x2: W - PAD.right, y1: y(l.v), y2: y(l.v) }),
      s('text', { class: `band-label ${l.kind}`, x: W - PAD.right + 4, y: y(l.v) + 4 }, `${l.name} ${label(l.v)}`));
  }
  o.series.forEach((series, i) => {
    const sorted = [...series.points].sort((a, b) => a.t - b.t);
    if (sorted.length > 1) {
      svg.append(s('polyline', { class: `series s${i}`, points: sorted.map((p) => `${x(p.t)},${y(p.v)}`).join(' ') }));
    }
    for (const p of sorted) {
      svg.append(s('circle', { class: `dot s${i}`, cx: x(p.t), cy: y(p.v), r: 3.5 },
        s('title', {}, `${series.name} ${p.v} at ${p.t.toISOString()}`)));
    }
  });
  return svg;
}

/** The legend of a chart's lines. */
export function legend(seriesNames, lines) {
  const kinds = { floor: 'performance floor', cadence: 'cadence floor', ceiling: 'ceiling' };
  return h('div', { class: 'legend' },
    seriesNames.map((n) => h('span', {}, h('span', { class: 'swatch' }), n)),
    [...new Set(lines.map((l) => l.kind))].map((k) => h('span', {}, h('span', { class: `swatch ${k}` }), kinds[k])));
}
