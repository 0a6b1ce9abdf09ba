// Formatting of times, durations and numbers for the console.
const pad = (n) => String(n).padStart(2, '0');

/** 0:07, 1:23, 1:02:03 */
export function duration(ms) {
  const t = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(t / 3600);
  const mm = Math.floor((t % 3600) / 60);
  const ss = t % 60;
  return hh > 0 ? `${hh}:${pad(mm)}:${pad(ss)}` : `${mm}:${pad(ss)}`;
}

export function clock(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function dateTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ms)}`;
}

export function hhmm(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function percent(x) {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(x >= 0.9995 ? 0 : 1)}%`;
}

export function num(x, digits = 1) {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** the colour class of a call's priority bar */
export function priorityClass(priority) {
  if (priority >= 9) return 'prio-urgent';
  if (priority >= 7) return 'prio-recall';
  if (priority >= 5) return 'prio-external';
  if (priority >= 3) return 'prio-internal';
  return '';
}

/** for <input type=datetime-local> */
export function toLocalInput(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
