// The action log view (operation record query): filters → GET /api/log → a table, newest first,
// in the operator's words (the API keeps its stable codes: `state:ringing`, `waitedMs=13390`).
import { $, h, replace } from './dom.js';
import { dateTime, duration, toLocalInput } from './format.js';

export function setupLog(app) {
  const form = $('log-form');
  form.addEventListener('submit', (ev) => { ev.preventDefault(); void loadLog(app); });
}

export function openLog(app) {
  if (!$('log-from').value) $('log-from').value = toLocalInput(app.state.now() - 8 * 3600_000);
  void loadLog(app);
}

const ACTIONS = {
  arrive: 'Call arrived',
  present: 'Presented to a position',
  'presentation-ended': 'Presentation ended',
  answer: 'Answered',
  'answer-waiting': 'Answered from the queue',
  end: 'Call ended',
  hangup: 'Released',
  hold: 'Put on hold',
  retrieve: 'Taken back from hold',
  recall: 'Recall',
  park: 'Parked',
  pickup: 'Picked up from park',
  'park-recall': 'Park recall',
  transfer: 'Transfer',
  'transfer-complete': 'Transfer completed',
  'transfer-failed': 'Transfer failed',
  consult: 'Consultation',
  swap: 'Swap',
  'consult-cancel': 'Consultation cancelled',
  conference: 'Three-way call',
  overflow: 'Overflowed',
  mode: 'Group mode changed',
  'night-bell': 'Night bell',
  'monitor-start': 'Monitoring started',
  'monitor-stop': 'Monitoring ended',
  'shift-change': 'Shift change',
  callback: 'Call back',
  'dnd-on': 'Extension do not disturb on',
  'dnd-off': 'Extension do not disturb off',
  'dnd-expired': 'Extension do not disturb expired',
  'message-left': 'Message left',
  'message-read': 'Message read',
  'wakeup-booked': 'Wake-up call booked',
  'wakeup-cancelled': 'Wake-up call cancelled',
  'wakeup-attempt': 'Wake-up call rung',
  'wakeup-result': 'Wake-up call result',
  'wakeup-failed': 'Wake-up call never answered',
  'wakeup-alert': 'Desk told of a missed wake-up',
};

const POSITION_STATES = {
  idle: 'Position free', ringing: 'Position ringing', busy: 'Position on a call', unplugged: 'Position logged out',
  absent: 'Position absent', dnd: 'Position in do not disturb',
};

const RESULTS = {
  'completed-transfer': 'transferred', completed: 'completed', abandoned: 'caller hung up', ok: 'done', 'no-answer': 'no answer',
  noanswer: 'no answer', busy: 'busy', failed: 'failed', presented: 'presented', answered: 'answered', ringing: 'ringing', dialled: 'dialled',
  login: 'logged in', logout: 'logged out', lost: 'lost', 'all-unplugged': 'every position logged out', 'queue-full': 'queue full',
};

const DIVERTS = {
  day: 'sent to the day destination', night: 'sent to the night destination', mode1: 'sent to the mode 1 destination', mode2: 'sent to the mode 2 destination',
  'all-unplugged': 'every position logged out: sent to the fallback', 'queue-full': 'queue full: sent to the fallback',
};

/** `someThing` / `some-thing` → `some thing` */
const words = (s) => s.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
const capital = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

export function actionText(action) {
  if (action.startsWith('state:')) return POSITION_STATES[action.slice(6)] ?? `Position ${words(action.slice(6))}`;
  return ACTIONS[action] ?? capital(words(action));
}

export function resultText(result, app) {
  const [kind, rest] = result.includes(':') ? [result.slice(0, result.indexOf(':')), result.slice(result.indexOf(':') + 1)] : [result, ''];
  if (kind === 'queue' && rest) return `queued in ${app.state.groups.get(rest)?.name ?? rest}`;
  if (kind === 'divert' && rest) return DIVERTS[rest] ?? `sent on: ${words(rest)}`;
  if (app.state.attendants.has(result)) return `to ${result} ${app.state.attendants.get(result).name}`;
  return RESULTS[result] ?? words(result);
}

/** `waitedMs=13390 mode=listen` → `waited 0:13 · mode listen` */
export function detailText(detail) {
  return Object.entries(detail ?? {}).map(([k, v]) => {
    if (/Ms$/.test(k) && /^\d+$/.test(v)) return `${words(k.slice(0, -2))} ${duration(Number(v))}`;
    if (/At$/.test(k) && /^\d{12,}$/.test(v)) return `${words(k.slice(0, -2))} ${dateTime(Number(v))}`;
    return `${words(k)} ${v}`;
  }).join(' · ');
}

function operatorText(op, app) {
  if (op === 'system') return 'system';
  const a = app.state.attendants.get(op);
  return a ? `${op} ${a.name}` : op;
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
    replace($('log-rows'), entries.slice().reverse().map((e) => h('tr', { dataset: { action: e.action } },
      h('td', { class: 'num' }, dateTime(e.time)),
      h('td', {}, operatorText(e.operator, app)),
      h('td', {}, actionText(e.action)),
      h('td', { class: 'num' }, e.numbers.join(', ')),
      h('td', {}, resultText(e.result, app)),
      // the call by its caller (the id is long and internal: kept in the tooltip)
      h('td', { class: 'num muted', title: e.callId ? `call ${e.callId}` : '' }, e.callId ? (e.numbers[0] ?? 'call') : ''),
      h('td', { class: 'detail' }, detailText(e.detail)))));
    if (entries.length === 0) replace($('log-rows'), h('tr', {}, h('td', { colspan: '7', class: 'muted' }, 'No entry')));
  } catch (err) {
    $('log-error').textContent = err.message;
  }
}
