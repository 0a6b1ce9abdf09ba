// /endpoints operations: registered phones and their online/offline state.
import { AriError } from '../core/errors.ts';
import { pathParam } from './params.ts';
import { ok, type RouteSpec } from './route.ts';

const R = 'endpoints';

export const endpointRoutes: RouteSpec[] = [
  {
    resource: R, path: '/endpoints', method: 'GET', nickname: 'list', summary: 'List all endpoints.', responseClass: 'List[Endpoint]', params: [],
    handle: (core) => ok([...core.endpoints.values()].filter((e) => e.listed).map((e) => e.toJson())),
  },
  {
    resource: R, path: '/endpoints/{tech}', method: 'GET', nickname: 'listByTech', summary: 'List available endoints for a given endpoint technology.', responseClass: 'List[Endpoint]',
    params: [{ ...pathParam('tech', 'Technology of the endpoints (pjsip,iax2,...)'), required: false }],
    errors: [{ code: 404, reason: 'Endpoints not found' }],
    handle: (core, a) => {
      const tech = (a.str('tech') ?? '').toLowerCase();
      const found = [...core.endpoints.values()].filter((e) => e.listed && e.technology.toLowerCase() === tech);
      if (found.length === 0) throw new AriError(404, `No Endpoints found - invalid tech ${a.str('tech') ?? ''}`);
      return ok(found.map((e) => e.toJson()));
    },
  },
  {
    resource: R, path: '/endpoints/{tech}/{resource}', method: 'GET', nickname: 'get', summary: 'Details for an endpoint.', responseClass: 'Endpoint',
    params: [{ ...pathParam('tech', 'Technology of the endpoint'), required: false }, { ...pathParam('resource', 'ID of the endpoint'), required: false }],
    errors: [{ code: 400, reason: 'Invalid parameters for sending a message.' }, { code: 404, reason: 'Endpoints not found' }],
    handle: (core, a) => {
      const tech = (a.str('tech') ?? '').toLowerCase();
      const resource = a.str('resource') ?? '';
      const ep = [...core.endpoints.values()].find((e) => e.listed && e.technology.toLowerCase() === tech && e.resource === resource);
      if (!ep) throw new AriError(404, 'Endpoint not found');
      return ok(ep.toJson());
    },
  },
];
