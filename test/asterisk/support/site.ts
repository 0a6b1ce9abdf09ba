// The site of the real-Asterisk suite: one Asterisk for the whole run, the SIPp phones at their fixed
// ports, the trunk's far end, and a controller process per test (its own configuration and its own
// key prefix in Redis), driven through its REST API like a console would.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword, sha256Hex } from '../../../lib/api/auth/passwords.ts';
import { ChildController, until } from '../../support/child-controller.ts';
import { cleanPrefix } from '../../resilience/support.ts';
import { AST, Asterisk } from './asterisk.ts';
import { SippPhone, scratchDir, type PhoneBehaviour } from './sipp.ts';

export { until };

/** the phones of the overlay (test/asterisk/overlay/pjsip.conf) by endpoint name */
export const PHONE_PORTS = { att1: 15071, att2: 15072, att3: 15073, bell: 15079, ext200: 15200, ext201: 15201, ext202: 15202, ext2000: 15220 } as const;
export type PhoneName = keyof typeof PHONE_PORTS;

const API_KEY = `suite-${randomBytes(12).toString('hex')}`;
const USER_PASSWORD = 'suite-user-password';

export class Site {
  readonly phones: Record<PhoneName, SippPhone>;
  /** the provider's side of the trunk: external numbers the site dials arrive here */
  readonly provider: SippPhone;
  controller: ChildController | undefined;
  private prefix = '';

  constructor(readonly asterisk: Asterisk, readonly redisUrl: string) {
    this.phones = Object.fromEntries(Object.entries(PHONE_PORTS).map(([n, p]) => [n, new SippPhone(n, p)])) as Record<PhoneName, SippPhone>;
    this.provider = new SippPhone('provider', 5060, AST.trunkHost);
  }

  /** every phone answers after 300 ms again, the provider too */
  async resetPhones(): Promise<void> {
    await Promise.all([...Object.values(this.phones), this.provider].map((p) => p.start({ kind: 'answer', answerMs: 300 })));
  }

  async phone(name: PhoneName, behaviour: PhoneBehaviour): Promise<SippPhone> {
    await this.phones[name].start(behaviour);
    return this.phones[name];
  }

  /** the controller's configuration for a test: its parts, plus Asterisk, Redis, a user and the suite's API key */
  configFor(parts: Record<string, unknown>): Record<string, unknown> {
    return {
      asterisk: {
        ari: { url: this.asterisk.ariUrl, user: AST.ariUser, password: AST.ariPassword, app: 'attendant', requestTimeout: 3 },
        ami: { host: AST.host, port: AST.amiPort, user: AST.amiUser, password: AST.amiPassword },
      },
      redis: { url: this.redisUrl, prefix: this.prefix },
      users: [{ name: 'suite', role: 'admin', passwordHash: SUITE_HASH }],
      apiKeys: [{ name: 'suite', role: 'admin', sha256: sha256Hex(API_KEY) }],
      ...parts,
    };
  }

  /** a fresh controller on a fresh key prefix; `loggedIn` positions are logged in through the API */
  async startController(parts: Record<string, unknown>, loggedIn: string[] = [], waitForAri = true): Promise<ChildController> {
    await this.stopController();
    this.prefix = `ast:${randomBytes(6).toString('hex')}:`;
    const config = this.configFor(parts);
    writeFileSync(join(scratchDir('configs'), `${this.prefix.replace(/:/g, '_')}.json`), JSON.stringify(config, null, 2));
    this.controller = await ChildController.start('suite', config);
    if (!waitForAri) return this.controller;
    await until('the controller is connected to Asterisk', async () => (await this.controller!.health())?.ari === true, 15_000);
    for (const id of loggedIn) await this.api('PUT', `/api/attendants/${id}/state`, { action: 'login' });
    return this.controller;
  }

  /** the same configuration and store, a new process (after a kill) */
  async restartController(parts: Record<string, unknown>): Promise<ChildController> {
    this.controller = await ChildController.start('suite', this.configFor(parts));
    await until('the controller is connected to Asterisk', async () => (await this.controller!.health())?.ari === true, 15_000);
    return this.controller;
  }

  async stopController(): Promise<void> {
    if (this.controller) {
      await this.controller.dispose();
      this.controller = undefined;
      if (this.prefix) await cleanPrefix(this.redisUrl, this.prefix);
    }
  }

  /** a REST request to the controller with the suite's admin key; throws on a status it was not told to expect */
  async api<T = unknown>(method: string, path: string, body?: unknown, expect: number[] = [200, 201, 204]): Promise<{ status: number; body: T }> {
    const c = this.controller;
    if (!c) throw new Error('no controller running');
    const res = await fetch(`http://127.0.0.1:${c.port}${path}`, {
      method, headers: { 'x-api-key': API_KEY, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : undefined) as T;
    if (!expect.includes(res.status)) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return { status: res.status, body: parsed };
  }

  /** the calls the controller holds now */
  async calls(): Promise<ApiCall[]> {
    return (await this.api<{ calls: ApiCall[] }>('GET', '/api/calls')).body.calls;
  }

  async call(id: string): Promise<ApiCall | undefined> {
    const r = await this.api<ApiCall>('GET', `/api/calls/${encodeURIComponent(id)}`, undefined, [200, 404]);
    return r.status === 200 ? r.body : undefined;
  }

  async attendant(id: string): Promise<{ id: string; state: string; currentCall?: string }> {
    return (await this.api<{ id: string; state: string; currentCall?: string }>('GET', `/api/attendants/${id}`)).body;
  }

  /** the controller's call of a caller: its channel id, found by the caller's number */
  async callOf(number: string): Promise<ApiCall> {
    let found: ApiCall | undefined;
    await until(`the controller holds the call from ${number}`, async () => {
      found = (await this.calls()).find((c) => c.callerNumber === number);
      return found !== undefined;
    }, 10_000);
    return found!;
  }

  /** wait until the call is in one of these states */
  async callInState(id: string, ...states: string[]): Promise<ApiCall> {
    let c: ApiCall | undefined;
    await until(`call ${id} is ${states.join(' or ')} (last seen ${c?.state ?? 'gone'})`, async () => {
      c = await this.call(id);
      return c !== undefined && states.includes(c.state);
    }, 15_000);
    return c!;
  }

  async stopAll(): Promise<void> {
    await this.stopController();
    await Promise.all([...Object.values(this.phones), this.provider].map((p) => p.stop()));
  }
}

export interface ApiCall {
  id: string;
  state: string;
  callerNumber: string;
  group: string;
  attendant?: string;
  slot?: number;
  parkSlot?: number;
  [k: string]: unknown;
}

/** a password hash made once per run (the suite's console user; loopback only) */
const SUITE_HASH = hashPassword(USER_PASSWORD);

/** wait (real time) for `ms` */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
