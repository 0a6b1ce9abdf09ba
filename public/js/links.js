// The controller's links to Asterisk and to its store, from /healthz (public, no login needed), every
// few seconds: a banner in the console and a note on the login page say when calls cannot be served.
import { $ } from './dom.js';

const EVERY_MS = 5_000;

/** what an operator needs to know, or '' when all is well */
export function linkProblem(report) {
  if (!report) return { text: 'The controller cannot be reached: check the network, or whether it runs', level: 'down' };
  const { links, role } = report;
  if (role === 'standby') {
    return links.store === 'up'
      ? { text: 'This controller is on standby: another one serves the calls (use its address)', level: 'warn' }
      : { text: 'The controller cannot reach its store (Redis) yet: it keeps trying; calls are not served from here', level: 'down' };
  }
  if (links.ari === 'unauthorized') return { text: 'Asterisk link down: Asterisk refuses the controller\'s ARI login (check the ARI user and password). Calls are not served.', level: 'down' };
  if (links.ari !== 'up') return { text: 'Asterisk link down: the controller cannot reach Asterisk; it keeps trying. Calls are not served until it is back.', level: 'down' };
  if (links.store !== 'up') return { text: 'Store (Redis) down: calls are served, changes are kept and written once it is back.', level: 'warn' };
  if (links.ami === 'down') return { text: 'AMI down: the extension and trunk lamps show their last known state.', level: 'warn' };
  return undefined;
}

async function readHealth() {
  try {
    const res = await fetch('/healthz', { headers: { accept: 'application/json' }, cache: 'no-store' });
    const body = await res.json();
    return body && typeof body === 'object' && body.links ? body : undefined;
  } catch {
    return undefined;
  }
}

function show(el, problem) {
  el.hidden = !problem;
  el.textContent = problem?.text ?? '';
  el.classList.toggle('warn', problem?.level === 'warn');
}

/** poll /healthz; `onLinks` gets {ari, store, ami} in words (or undefined when unreachable) */
export function watchLinks(onLinks) {
  const check = async () => {
    const report = await readHealth();
    const problem = linkProblem(report);
    show($('link-banner'), problem);
    show($('login-link'), problem);
    onLinks(report?.links);
  };
  void check();
  setInterval(() => void check(), EVERY_MS);
}
