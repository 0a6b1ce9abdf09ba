// The /sim/ control API: the Simulator's methods over HTTP, JSON in and out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  causeSchema, delaySchema, dropSchema, dtmfSchema, endpointBodySchema, eventFilterSupportSchema, failSchema, holdSchema, placeCallSchema, restartSchema,
  toBehaviour, transferSchema,
} from '../behaviour.ts';
import { SimError } from '../core/errors.ts';
import type { Simulator } from '../simulator.ts';
import { sendJson } from './respond.ts';

type Handler = (sim: Simulator, m: RegExpExecArray, body: unknown, url: URL) => unknown;

interface ControlRoute {
  method: string;
  pattern: RegExp;
  doc: string;
  handle: Handler;
}

const NO_CONTENT = Symbol('no content');

function channel(m: RegExpExecArray): string {
  return decodeURIComponent(m[1] ?? '');
}

export const CONTROL_ROUTES: ControlRoute[] = [
  { method: 'GET', pattern: /^\/sim\/?$/, doc: '/sim/ — this list', handle: () => CONTROL_ROUTES.map((r) => `${r.method} ${r.doc}`) },
  { method: 'POST', pattern: /^\/sim\/calls$/, doc: '/sim/calls {from?, callerNumber, callerName?, context?, exten, priority?, app?, appArgs} → {channelId}', handle: (sim, _m, body) => {
    const b = placeCallSchema.parse(body);
    const opts = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) as z.infer<typeof placeCallSchema>;
    const channelId = sim.placeCall(opts);
    return { channelId, inStasis: sim.channels().find((c) => c.id === channelId)?.inStasis ?? false };
  } },
  { method: 'DELETE', pattern: /^\/sim\/calls\/([^/]+)$/, doc: '/sim/calls/{channelId}?cause=N — the phone hangs up', handle: (sim, m, body, url) => {
    const q = url.searchParams.get('cause');
    const cause = q !== null ? Number.parseInt(q, 10) : causeSchema.parse(body ?? {}).cause;
    sim.hangupCaller(channel(m), Number.isNaN(cause) ? undefined : cause);
    return NO_CONTENT;
  } },
  { method: 'POST', pattern: /^\/sim\/channels\/([^/]+)\/answer$/, doc: '/sim/channels/{id}/answer — the ringing phone answers', handle: (sim, m) => { sim.answerChannel(channel(m)); return NO_CONTENT; } },
  { method: 'POST', pattern: /^\/sim\/channels\/([^/]+)\/reject$/, doc: '/sim/channels/{id}/reject {cause?} — the ringing phone refuses (default 17)', handle: (sim, m, body) => {
    sim.rejectChannel(channel(m), causeSchema.parse(body ?? {}).cause);
    return NO_CONTENT;
  } },
  { method: 'POST', pattern: /^\/sim\/channels\/([^/]+)\/dtmf$/, doc: '/sim/channels/{id}/dtmf {digits, durationMs?}', handle: (sim, m, body) => {
    const b = dtmfSchema.parse(body);
    sim.sendDtmf(channel(m), b.digits, b.durationMs);
    return NO_CONTENT;
  } },
  { method: 'POST', pattern: /^\/sim\/channels\/([^/]+)\/transfer$/, doc: '/sim/channels/{id}/transfer {destination, replacesChannelId?} — the set presses transfer (REFER)', handle: (sim, m, body) => {
    const b = transferSchema.parse(body);
    sim.pressTransfer(channel(m), b.destination, b.replacesChannelId);
    return NO_CONTENT;
  } },
  { method: 'POST', pattern: /^\/sim\/channels\/([^/]+)\/hold$/, doc: '/sim/channels/{id}/hold {musicClass?} — the phone holds', handle: (sim, m, body) => {
    sim.phoneHold(channel(m), true, holdSchema.parse(body ?? {}).musicClass);
    return NO_CONTENT;
  } },
  { method: 'DELETE', pattern: /^\/sim\/channels\/([^/]+)\/hold$/, doc: '/sim/channels/{id}/hold — the phone resumes', handle: (sim, m) => { sim.phoneHold(channel(m), false); return NO_CONTENT; } },
  { method: 'GET', pattern: /^\/sim\/channels$/, doc: '/sim/channels', handle: (sim) => sim.channels() },
  { method: 'GET', pattern: /^\/sim\/bridges$/, doc: '/sim/bridges', handle: (sim) => sim.bridges() },
  { method: 'GET', pattern: /^\/sim\/device-states$/, doc: '/sim/device-states', handle: (sim) => sim.deviceStates() },
  { method: 'GET', pattern: /^\/sim\/mailboxes$/, doc: '/sim/mailboxes', handle: (sim) => sim.mailboxes() },
  { method: 'GET', pattern: /^\/sim\/continued$/, doc: '/sim/continued — channels that left Stasis for the dialplan', handle: (sim) => sim.continued() },
  { method: 'GET', pattern: /^\/sim\/originated$/, doc: '/sim/originated — originate log', handle: (sim) => sim.originated() },
  { method: 'GET', pattern: /^\/sim\/requests$/, doc: '/sim/requests — ARI requests served', handle: (sim) => sim.requests() },
  { method: 'GET', pattern: /^\/sim\/apps$/, doc: '/sim/apps — apps with a WebSocket', handle: (sim) => sim.connectedApps() },
  { method: 'GET', pattern: /^\/sim\/endpoints$/, doc: '/sim/endpoints', handle: (sim) => sim.endpoints() },
  { method: 'PUT', pattern: /^\/sim\/endpoints\/(.+)$/, doc: '/sim/endpoints/{tech/resource} {kind, ...behaviour, context?}', handle: (sim, m, body) => {
    const b = endpointBodySchema.parse(body);
    sim.setEndpoint(channel(m), toBehaviour(b), b.context !== undefined ? { context: b.context } : {});
    return NO_CONTENT;
  } },
  { method: 'DELETE', pattern: /^\/sim\/endpoints\/(.+)$/, doc: '/sim/endpoints/{tech/resource}', handle: (sim, m) => {
    if (!sim.removeEndpoint(channel(m))) throw new SimError(404, 'no such endpoint');
    return NO_CONTENT;
  } },
  { method: 'POST', pattern: /^\/sim\/restart$/, doc: '/sim/restart {bootMs?}', handle: (sim, _m, body) => { sim.restart(restartSchema.parse(body ?? {})); return NO_CONTENT; } },
  { method: 'POST', pattern: /^\/sim\/faults\/fail$/, doc: '/sim/faults/fail {status: 400|404|405|500|501|503, count?, forMs?, pathPrefix?, method?}', handle: (sim, _m, body) => {
    const b = failSchema.parse(body);
    sim.failRequests(Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) as z.infer<typeof failSchema>);
    return NO_CONTENT;
  } },
  { method: 'POST', pattern: /^\/sim\/faults\/delay$/, doc: '/sim/faults/delay {ms}', handle: (sim, _m, body) => { sim.delayRequests(delaySchema.parse(body).ms); return NO_CONTENT; } },
  { method: 'DELETE', pattern: /^\/sim\/faults$/, doc: '/sim/faults — clear failures and delay', handle: (sim) => { sim.clearFaults(); return NO_CONTENT; } },
  { method: 'PUT', pattern: /^\/sim\/event-filter$/, doc: '/sim/event-filter {supported} — false: an Asterisk older than 13.26 / 16.3, without PUT /applications/{app}/eventFilter', handle: (sim, _m, body) => {
    sim.setEventFilterSupport(eventFilterSupportSchema.parse(body).supported);
    return NO_CONTENT;
  } },
  { method: 'POST', pattern: /^\/sim\/websocket\/drop$/, doc: '/sim/websocket/drop {app?} → {dropped}', handle: (sim, _m, body) => ({ dropped: sim.dropWebSocket(dropSchema.parse(body ?? {}).app) }) },
];

export function handleControl(sim: Simulator, req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): void {
  const method = req.method ?? 'GET';
  let pathMatched = false;
  for (const route of CONTROL_ROUTES) {
    const m = route.pattern.exec(url.pathname);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    try {
      const result = route.handle(sim, m, body, url);
      if (result === NO_CONTENT) sendJson(res, 204, undefined);
      else sendJson(res, method === 'POST' && url.pathname === '/sim/calls' ? 201 : 200, result);
    } catch (err) {
      if (err instanceof z.ZodError) sendJson(res, 400, { error: 'invalid body', issues: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      else if (err instanceof SimError) sendJson(res, err.status, { error: err.message });
      else sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  sendJson(res, pathMatched ? 405 : 404, { error: pathMatched ? 'method not allowed' : 'no such control route' });
}
