// The action log view (operation record query): filters → GET /api/log → a table, newest first.
import { $, h, replace } from './dom.js';
import { dateTime, toLocalInput } from './format.js';

export function setupLog(app) {
  const form = $('log-form');
  form.addEventListener('submit', (ev) => { ev.preventDefault(); void loadLog(app); });
}

export function openLog(app) {
  if (!$('log-from').value) $('log-from').value = toLocalInput(app.state.now() - 8 * 3600_000);
  void loadLog(app);
}

export async function loadLog(app) {
  const params = new URLSearchParams();
  const from = $('log-from').value;
  const to = $('log-to').value;
  if (from) params.set('from', String(new Date(from).getTime()));
  if (to) params.set('to', String(new Date(to).getTime()));
  for (const [id, name] of [['log-operator', 'operator'], ['log-number', 'number'], ['log-limit', 'limit']]) {
    const v = $(id).value.trim();
    if (v) params.set(name, v);
  }
  $('log-error').textContent = '';
  try {
    const { entries } = await app.api.get(`/api/log?${params}`);
    replace($('log-rows'), entries.slice().reverse().map((e) => h('tr', {},
      h('td', { class: 'num' }, dateTime(e.time)),
      h('td', {}, e.operator),
      h('td', {}, e.action),
      h('td', { class: 'num' }, e.numbers.join(', ')),
      h('td', {}, e.result),
      h('td', { class: 'num muted' }, e.callId ?? ''),
      h('td', { class: 'detail' }, Object.entries(e.detail ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')))));
    if (entries.length === 0) replace($('log-rows'), h('tr', {}, h('td', { colspan: '7', class: 'muted' }, 'No entry')));
  } catch (err) {
    $('log-error').textContent = err.message;
  }
}
