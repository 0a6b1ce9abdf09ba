// Statistics view: per-interval charts (inline SVG) from GET /api/stats, and the Erlang B / C
// calculator. The formulas run on the server (GET /api/erlang/...): the same code as the CLI.
import { $, h, s, replace } from './dom.js';
import { duration, hhmm, num, percent } from './format.js';

const W = 400;
const H = 190;
const PAD = { l: 38, r: 6, t: 8, b: 20 };

export function setupStats(app) {
  $('stats-form').addEventListener('submit', (ev) => { ev.preventDefault(); void loadStats(app); });
  $('erlang-b').addEventListener('submit', (ev) => { ev.preventDefault(); void erlangB(app); });
  $('erlang-c').addEventListener('submit', (ev) => { ev.preventDefault(); void erlangC(app); });
}

export function openStats(app) {
  const select = $('stats-scope');
  if (select.options.length === 0) {
    const { state, user } = app;
    const opts = [
      ...[...state.groups.values()].map((g) => [`group:${g.id}`, `Group ${g.name}`]),
      ...[...state.classes.values()].map((c) => [`class:${c.id}`, `Class ${c.name}`]),
      ...[...state.attendants.values()].map((a) => [`attendant:${a.id}`, `Position ${a.id} ${a.name}`]),
    ];
    replace(select, opts.map(([v, t]) => h('option', { value: v }, t)));
    if (!app.isSupervisor && user.attendant) select.value = `attendant:${user.attendant}`;
  }
  void loadStats(app);
}

async function loadStats(app) {
  const scope = $('stats-scope').value;
  const hours = Number($('stats-range').value);
  const to = app.state.now();
  const from = to - hours * 3600_000;
  $('stats-error').textContent = '';
  try {
    const r = await app.api.get(`/api/stats?scope=${encodeURIComponent(scope)}&from=${Math.floor(from)}&to=${Math.ceil(to)}`);
    $('sl-target').textContent = String(r.serviceTargetSeconds);
    renderTiles(r.totals, scope);
    $('stats-note').textContent = statsNote(app, scope);
    renderBusyHours(r.busyHours);
    const xs = r.intervals;
    replace($('chart-calls'), barChart(xs));
    replace($('chart-sl'), lineChart(xs, [
      { cls: 'line-sl', dot: 'dot-sl', value: (i) => i.figures.serviceLevel },
      { cls: 'line-sl2', value: (i) => i.figures.serviceLevel2 },
    ], { max: 1, format: (v) => `${Math.round(v * 100)}%`, target: 0.8 }));
    const peak = Math.max(0.5, ...xs.map((i) => Math.max(i.figures.carriedErlangs, i.figures.offeredErlangs ?? 0)));
    replace($('chart-erlang'), lineChart(xs, [
      { cls: 'line-offered', value: (i) => i.figures.offeredErlangs },
      { cls: 'line-carried', value: (i) => i.figures.carriedErlangs },
    ], { max: peak * 1.15, format: (v) => v.toFixed(1) }));
  } catch (err) {
    $('stats-error').textContent = err.message;
  }
}

const seconds = (x) => (x === null || x === undefined ? '—' : duration(x * 1000));

/** calls are counted when they end: say how many of this scope are still going on, and what a position's figures are */
export function statsNote(app, scope) {
  const [kind, id] = [scope.slice(0, scope.indexOf(':')), scope.slice(scope.indexOf(':') + 1)];
  const going = [...app.state.calls.values()].filter((c) => (kind === 'attendant' ? c.attendant === id : kind === 'group' ? c.group === id : c.callClass === id)
    && c.answeredAt !== undefined);
  const parts = ['Figures count each call when it ends.'];
  if (going.length > 0) parts.push(`${going.length} answered call${going.length === 1 ? '' : 's'} still going on (talking, held or parked) ${going.length === 1 ? 'is' : 'are'} not counted yet.`);
  if (kind === 'attendant') parts.push('Calls are offered to groups, so a position has no offered count: see its groups.');
  return parts.join(' ');
}

function renderTiles(t, scope) {
  const c = t.counters;
  const f = t.figures;
  const position = scope.startsWith('attendant:');
  const tiles = [
    position ? ['Offered', '—', 'calls are offered to groups: see the group'] : ['Offered', String(c.offered)],
    ['Answered', String(c.answered), 'calls answered that have ended'],
    ['Abandoned', `${c.abandoned}`, `mean wait ${seconds(f.averageAbandonWaitSeconds)}, longest ${seconds(c.longestAbandonWaitSeconds)}`],
    ['Overflow / night / lost', `${c.overflowOut} / ${c.night} / ${c.lost}`, `${c.overflowIn} overflowed in`],
    ['Service level', percent(f.serviceLevel), 'answered within T / answered'], ['SL2', percent(f.serviceLevel2), '(answered + abandoned within T) / (answered + abandoned)'],
    ['ASA', seconds(f.averageSpeedOfAnswerSeconds)], ['Longest wait', seconds(c.longestWaitSeconds)],
    ['AHT', seconds(f.averageHoldingSeconds), `mean held ${seconds(f.averageHeldSeconds)}`],
    ['Carried / offered E', `${num(f.carriedErlangs, 2)} / ${num(f.offeredErlangs, 2)}`],
    ['Occupancy', percent(f.occupancy), 'busy / logged-in time'], ['Completion', percent(f.completionRate), 'answered / offered'],
  ];
  replace($('stats-tiles'), tiles.map(([k, v, title]) => h('div', { class: 'tile', ...(title ? { title } : {}) }, h('div', { class: 'v' }, v), h('div', { class: 'k' }, k))));
}

function renderBusyHours(days) {
  const busy = days.filter((d) => d.erlangs > 0);
  $('stats-busy-hour').textContent = busy.length === 0 ? 'Busy hour: no carried traffic in this period'
    : `Busy hour: ${busy.map((d) => `${d.date} ${hhmm(d.start)}–${hhmm(d.end)} ${num(d.erlangs, 2)} E`).join(' · ')}`;
}

function frame(xs, max, format) {
  const g = [];
  const plotH = H - PAD.t - PAD.b;
  for (const frac of [0, 0.5, 1]) {
    const y = PAD.t + plotH * (1 - frac);
    g.push(s('line', { class: 'axis', x1: PAD.l, x2: W - PAD.r, y1: y, y2: y }));
    g.push(s('text', { class: 'label', x: PAD.l - 4, y: y + 3, 'text-anchor': 'end' }, format(max * frac)));
  }
  const step = Math.max(1, Math.ceil(xs.length / 6));
  const bw = (W - PAD.l - PAD.r) / Math.max(1, xs.length);
  xs.forEach((iv, i) => {
    if (i % step === 0) g.push(s('text', { class: 'label', x: PAD.l + i * bw, y: H - 6 }, hhmm(iv.intervalStart)));
  });
  return { g, bw, plotH };
}

function barChart(xs) {
  const max = Math.max(4, ...xs.map((i) => i.counters.offered));
  const { g, bw, plotH } = frame(xs, max, (v) => String(Math.round(v)));
  const y = (v) => PAD.t + plotH * (1 - v / max);
  xs.forEach((iv, i) => {
    const x = PAD.l + i * bw;
    const c = iv.counters;
    if (c.offered > 0) g.push(s('rect', { class: 'bar-offered', x: x + bw * 0.1, width: Math.max(1, bw * 0.8), y: y(c.offered), height: plotH * c.offered / max }, s('title', {}, `${hhmm(iv.intervalStart)} offered ${c.offered}`)));
    if (c.answered > 0) g.push(s('rect', { class: 'bar-answered', x: x + bw * 0.25, width: Math.max(1, bw * 0.5), y: y(c.answered), height: plotH * c.answered / max }, s('title', {}, `answered ${c.answered}`)));
    if (c.abandoned > 0) g.push(s('rect', { class: 'bar-abandoned', x: x + bw * 0.25, width: Math.max(1, bw * 0.5), y: y(c.answered + c.abandoned), height: plotH * c.abandoned / max }, s('title', {}, `abandoned ${c.abandoned}`)));
  });
  return s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'calls per interval' }, g);
}

function lineChart(xs, series, { max, format, target }) {
  const { g, bw, plotH } = frame(xs, max, format);
  const y = (v) => PAD.t + plotH * (1 - Math.min(v, max) / max);
  if (target !== undefined) g.push(s('line', { class: 'target-line', x1: PAD.l, x2: W - PAD.r, y1: y(target), y2: y(target) }));
  for (const ser of series) {
    let d = '';
    let pen = false;
    xs.forEach((iv, i) => {
      const v = ser.value(iv);
      if (v === null || v === undefined) { pen = false; return; }
      const x = PAD.l + (i + 0.5) * bw;
      d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
      if (ser.dot) g.push(s('circle', { class: ser.dot, cx: x.toFixed(1), cy: y(v).toFixed(1), r: 2.5 }, s('title', {}, `${hhmm(iv.intervalStart)} ${Math.round(v * 100)}%`)));
    });
    if (d) g.push(s('path', { class: ser.cls, d }));
  }
  return s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' }, g);
}

function formParams(form, names) {
  const p = new URLSearchParams();
  for (const n of names) {
    const v = form.elements[n].value.trim();
    if (v) p.set(n, v);
  }
  return p;
}

async function erlangB(app) {
  const form = $('erlang-b');
  const out = $('erlang-b-out');
  const p = formParams(form, ['traffic', 'lines', 'blocking']);
  if (p.has('lines')) p.delete('blocking');
  try {
    const r = await app.api.get(`/api/erlang/b?${p}`);
    out.className = 'calc-out';
    out.textContent = `${r.traffic} E on ${r.lines} lines → blocking ${percent(r.blocking)}`;
  } catch (err) {
    out.className = 'calc-out error';
    out.textContent = err.message;
  }
}

async function erlangC(app) {
  const form = $('erlang-c');
  const out = $('erlang-c-out');
  const p = formParams(form, ['callsPerHour', 'aht', 'target', 'level', 'agents']);
  if (p.has('agents')) p.delete('level');
  try {
    const r = await app.api.get(`/api/erlang/c?${p}`);
    out.className = 'calc-out';
    out.textContent = `${num(r.traffic, 2)} E · ${r.agents} attendants → P(wait) ${percent(r.probabilityOfWaiting)}, `
      + `service level ${percent(r.serviceLevel)}, ASA ${r.averageSpeedOfAnswer === null ? '∞' : `${num(r.averageSpeedOfAnswer, 1)} s`}, occupancy ${percent(r.occupancy)}`;
  } catch (err) {
    out.className = 'calc-out error';
    out.textContent = err.message;
  }
}
