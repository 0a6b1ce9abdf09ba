// /asterisk, /playbacks and the /events WebSocket (documented here, served by the upgrade handler).
import { finishPlayback, getPlayback } from '../core/channel-ops.ts';
import type { SimCore } from '../core/core.ts';
import { AriError } from '../core/errors.ts';
import { ariTimestamp } from '../core/format.ts';
import { pathParam, queryParam } from './params.ts';
import { noContent, ok, type RouteSpec } from './route.ts';

export const ASTERISK_VERSION = '23.4.1';

function info(core: SimCore): Record<string, unknown> {
  const started = ariTimestamp(core.startupTime);
  return {
    build: { os: 'Linux', kernel: '6.1.0-sim', options: 'BUILD_NATIVE, OPTIONAL_API', machine: 'x86_64', date: '2026-11-01 00:00:00 UTC', user: 'asterisk' },
    system: { version: ASTERISK_VERSION, entity_id: core.asteriskId },
    config: { name: '', default_language: 'en', setid: { user: 'asterisk', group: 'asterisk' } },
    status: { startup_time: started, last_reload_time: started },
  };
}

const playbackId = pathParam('playbackId', "Playback's id");

export const asteriskRoutes: RouteSpec[] = [
  {
    resource: 'asterisk', path: '/asterisk/info', method: 'GET', nickname: 'getInfo', summary: 'Gets Asterisk system information.', responseClass: 'AsteriskInfo',
    params: [queryParam('only', 'string', 'Filter information returned', { allowMultiple: true, allowableValues: ['build', 'system', 'config', 'status'] })],
    handle: (core, a) => {
      const all = info(core);
      const only = a.list('only');
      return ok(only.length === 0 ? all : Object.fromEntries(Object.entries(all).filter(([k]) => only.includes(k))));
    },
  },
  {
    resource: 'asterisk', path: '/asterisk/ping', method: 'GET', nickname: 'ping', summary: 'Response pong message.', responseClass: 'AsteriskPing', params: [],
    handle: (core) => ok({ asterisk_id: core.asteriskId, ping: 'pong', timestamp: core.timestamp() }),
  },
];

export const playbackRoutes: RouteSpec[] = [
  {
    resource: 'playbacks', path: '/playbacks/{playbackId}', method: 'GET', nickname: 'get', summary: "Get a playback's details.", responseClass: 'Playback', params: [playbackId],
    errors: [{ code: 404, reason: 'The playback cannot be found' }],
    handle: (core, a) => ok(getPlayback(core, a.str('playbackId') ?? '')),
  },
  {
    resource: 'playbacks', path: '/playbacks/{playbackId}', method: 'DELETE', nickname: 'stop', summary: 'Stop a playback.', responseClass: 'void', params: [playbackId],
    errors: [{ code: 404, reason: 'The playback cannot be found' }],
    handle: (core, a) => {
      const p = core.playbacks.get(a.str('playbackId') ?? '');
      if (!p) throw new AriError(404, 'Playback not found');
      finishPlayback(core, p);
      return noContent();
    },
  },
];

export const eventRoutes: RouteSpec[] = [
  {
    resource: 'events', path: '/events', method: 'GET', nickname: 'eventWebsocket', summary: 'WebSocket connection for events.', responseClass: 'Message', upgrade: 'websocket',
    params: [queryParam('app', 'string', 'Applications to subscribe to.', { required: true, allowMultiple: true }),
      queryParam('subscribeAll', 'boolean', 'Subscribe to all Asterisk events. If provided, the applications listed will be subscribed to all events, effectively disabling the application specific subscriptions. Default is \'false\'.')],
    handle: () => { throw new AriError(400, 'WebSocket upgrade required'); },
  },
];
