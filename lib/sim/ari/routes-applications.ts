// /applications operations: the Stasis apps and their explicit event subscriptions.
import type { SimApp } from '../core/apps.ts';
import type { SimCore } from '../core/core.ts';
import { AriError } from '../core/errors.ts';
import { bodyParam, pathParam, queryParam } from './params.ts';
import { ok, type RouteArgs, type RouteSpec } from './route.ts';

const R = 'applications';
const appName = pathParam('applicationName', "Application's name");
const filterBody = bodyParam('filter', 'Specify which event types to allow/disallow', false, 'object');
const eventSource = queryParam('eventSource', 'string', 'URI for event source (channel:{channelId}, bridge:{bridgeId}, endpoint:{tech}[/{resource}], deviceState:{deviceName}', { required: true, allowMultiple: true });

type Source = { kind: 'channels' | 'bridges' | 'endpoints'; id: string } | { kind: 'device'; id: string };

function findApp(core: SimCore, a: RouteArgs): SimApp {
  const app = core.apps.get(a.str('applicationName') ?? '');
  if (!app) throw new AriError(404, 'Application not found');
  return app;
}

function parseSource(core: SimCore, uri: string, mustExist: boolean): Source {
  const colon = uri.indexOf(':');
  const scheme = colon < 0 ? '' : uri.slice(0, colon + 1);
  const id = uri.slice(colon + 1);
  const missing = () => new AriError(422, 'Event source does not exist');
  switch (scheme) {
    case 'channel:':
      if (mustExist && !core.channels.has(id)) throw missing();
      return { kind: 'channels', id };
    case 'bridge:':
      if (mustExist && !core.bridges.has(id)) throw missing();
      return { kind: 'bridges', id };
    case 'endpoint:': {
      const exists = id.includes('/') ? core.endpoints.get(id)?.listed === true : [...core.endpoints.values()].some((e) => e.listed && e.technology === id);
      if (mustExist && !exists) throw missing();
      return { kind: 'endpoints', id };
    }
    case 'deviceState:':
      return { kind: 'device', id };
    default:
      throw new AriError(400, 'Invalid event source URI scheme');
  }
}

function sources(core: SimCore, a: RouteArgs, mustExist: boolean): Source[] {
  const uris = a.list('eventSource');
  if (uris.length === 0) throw new AriError(400, 'Missing parameter eventSource');
  return uris.map((u) => parseSource(core, u, mustExist));
}

export const applicationRoutes: RouteSpec[] = [
  {
    resource: R, path: '/applications', method: 'GET', nickname: 'list', summary: 'List all applications.', responseClass: 'List[Application]', params: [],
    handle: (core) => ok(core.apps.all().map((app) => app.toJson())),
  },
  {
    resource: R, path: '/applications/{applicationName}', method: 'GET', nickname: 'get', summary: 'Get details of an application.', responseClass: 'Application', params: [appName],
    errors: [{ code: 404, reason: 'Application does not exist.' }],
    handle: (core, a) => ok(findApp(core, a).toJson()),
  },
  {
    resource: R, path: '/applications/{applicationName}/subscription', method: 'POST', nickname: 'subscribe', summary: 'Subscribe an application to a event source.', responseClass: 'Application',
    params: [appName, eventSource],
    errors: [{ code: 400, reason: 'Missing parameter.' }, { code: 404, reason: 'Application does not exist.' }, { code: 422, reason: 'Event source does not exist.' }],
    handle: (core, a) => {
      const app = findApp(core, a);
      for (const s of sources(core, a, true)) {
        if (s.kind === 'device') core.apps.subscribeDevice(app.name, s.id);
        else core.apps.subscribe(app.name, s.kind, s.id);
      }
      return ok(app.toJson());
    },
  },
  {
    resource: R, path: '/applications/{applicationName}/subscription', method: 'DELETE', nickname: 'unsubscribe', summary: 'Unsubscribe an application from an event source.', responseClass: 'Application',
    params: [appName, eventSource],
    errors: [{ code: 400, reason: 'Missing parameter; event source scheme not recognized.' }, { code: 404, reason: 'Application does not exist.' }, { code: 409, reason: 'Application not subscribed to event source.' }, { code: 422, reason: 'Event source does not exist.' }],
    handle: (core, a) => {
      const app = findApp(core, a);
      const list = sources(core, a, false);
      for (const s of list) {
        const subscribed = s.kind === 'device' ? app.devices.has(s.id) : app[s.kind].has(s.id);
        if (!subscribed) throw new AriError(422, 'Event source was not subscribed to');
      }
      for (const s of list) {
        if (s.kind === 'device') core.apps.unsubscribeDevice(app.name, s.id);
        else core.apps.unsubscribe(app.name, s.kind, s.id);
      }
      return ok(app.toJson());
    },
  },
  {
    // Asterisk 13.26 / 16.3+: the body is the filter object itself, `{allowed?: [{type}], disallowed?: [{type}]}`
    resource: R, path: '/applications/{applicationName}/eventFilter', method: 'PUT', nickname: 'filter', summary: 'Filter application events types.', responseClass: 'Application',
    params: [appName, filterBody],
    errors: [{ code: 400, reason: 'Bad request.' }, { code: 404, reason: 'Application does not exist.' }],
    handle: (core, a) => {
      const app = findApp(core, a);
      if (!app.setEventFilter(a.body)) throw new AriError(400, 'Invalid format definition');
      return ok(app.toJson());
    },
  },
];
