// Session: log in for a token, log out, hand the position over at a shift change (换班).
import type { Request } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { route, type Resource } from '../route.ts';
import { userSchema } from '../schemas.ts';
import type { Principal } from '../auth/sessions.ts';

const credentials = z.object({
  name: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
}).strict();

const tokenAnswer = z.object({ token: z.string(), expiresAt: z.number(), user: userSchema });

function userOf(p: Principal) {
  return { name: p.name, role: p.role, ...(p.attendant !== undefined ? { attendant: p.attendant } : {}) };
}

/** the client's address: the socket's, or X-Forwarded-For's as far as http.trustProxy trusts the proxies (express's req.ip) */
function clientAddress(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  // an IPv4 client of a dual-stack listener is the same client as on an IPv4 one
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** Check a name and password under the login limits: 429 while limited, 401 when wrong. */
async function checkCredentials(deps: ApiDeps, req: Request, name: string, password: string) {
  const address = clientAddress(req);
  const user = await deps.loginGuard.attempt(address, name, () => deps.sessions.checkPassword(name, password));
  if (!user) {
    deps.log.warn({ user: name.slice(0, 64), ip: address }, 'login refused');
    throw new ApiError(401, 'invalid_credentials', 'wrong name or password');
  }
  return user;
}

export const sessionResource: Resource = {
  name: 'session',
  description: 'Log in and out; shift change at a position',
  routes: [
    route({
      method: 'post', path: '/api/session/login', access: 'public',
      summary: 'Log in with a name and password; returns a bearer token',
      description: 'Rate limited (http.login): each attempt counts before the password is checked, 20 a minute per address and 5 per name at an address; past 5 attempts at a name in 15 minutes, an address the name never logged in from waits 1, 2, 4 ... 30 s between tries. Refused attempts answer 429 with Retry-After; a success does not count. Sessions are kept in the store (the token\'s sha256 only): a restarted controller, or the standby that takes over, still accepts the token until it expires or its user leaves the configuration.',
      body: credentials,
      ok: { status: 200, description: 'logged in', schema: tokenAnswer },
      errors: [401, 429],
      async handler({ body, deps, req }) {
        const user = await checkCredentials(deps, req, body.name, body.password);
        const { token, principal } = deps.sessions.open({ name: user.name, role: user.role, ...(user.attendant ? { attendant: user.attendant } : {}) });
        deps.log.info({ user: user.name, role: user.role, attendant: user.attendant }, 'logged in');
        return { token, expiresAt: principal.expiresAt, user: userOf(principal) };
      },
    }),
    route({
      method: 'get', path: '/api/session', access: 'operator',
      summary: 'Who this token (or API key) belongs to',
      ok: { status: 200, description: 'the session', schema: z.object({ user: userSchema, kind: z.enum(['user', 'apiKey']), expiresAt: z.number().optional() }) },
      handler({ principal }) {
        return { user: userOf(principal), kind: principal.kind, ...(principal.expiresAt !== undefined ? { expiresAt: principal.expiresAt } : {}) };
      },
    }),
    route({
      method: 'post', path: '/api/session/logout', access: 'operator',
      summary: 'End this session (the token stops working; its WebSockets close)',
      ok: { status: 204, description: 'logged out' },
      errors: [409],
      handler({ principal, deps }) {
        if (!principal.sessionId) throw new ApiError(409, 'no_session', 'an API key has no session to end');
        deps.sessions.end(principal.sessionId);
        deps.log.info({ user: principal.name }, 'logged out');
      },
    }),
    route({
      method: 'post', path: '/api/session/shift-change', access: 'operator',
      summary: 'Shift change: log the current user out of this position and the incoming user in at it',
      description: 'The incoming user types their own name and password. The position must not be on a call. The old token ends; the answer carries the incoming user\'s token.',
      body: credentials,
      ok: { status: 200, description: 'the incoming user\'s session', schema: tokenAnswer },
      errors: [401, 409, 429],
      async handler({ principal, body, deps, req }) {
        const position = principal.attendant;
        if (!principal.sessionId || position === undefined) throw new ApiError(409, 'no_position', 'a shift change needs a logged-in user working at a position');
        const incoming = await checkCredentials(deps, req, body.name, body.password);
        const att = deps.switchboard.view.attendant(position);
        if (att && (att.state === 'busy' || att.state === 'ringing')) {
          throw new ApiError(409, 'position_busy', `position ${position} is ${att.state}: finish the call before the shift change`);
        }
        await deps.switchboard.attendantAction(position, { type: 'logout' });
        await deps.switchboard.login(position, incoming.name);
        deps.sessions.end(principal.sessionId);
        const { token, principal: next } = deps.sessions.open({ name: incoming.name, role: incoming.role, attendant: position });
        await deps.switchboard.logAction({
          time: deps.time.now(), operator: position, action: 'shift-change', numbers: [], result: 'ok', detail: { from: principal.name, to: incoming.name },
        });
        deps.log.info({ attendant: position, from: principal.name, to: incoming.name }, 'shift change');
        return { token, expiresAt: next.expiresAt, user: userOf(next) };
      },
    }),
  ],
};
