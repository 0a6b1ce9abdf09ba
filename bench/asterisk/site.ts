// The real-Asterisk bench's site: the suite's Asterisk (test/asterisk/support/asterisk.ts) with the
// bench's overlay (bench/asterisk/overlay/: its numbers, its ARI user) and N attendant sets att1..attN,
// each a SIPp phone at a fixed port of 127.0.0.1 (att1-att3 the suite's, the others written here).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../../lib/config.ts';
import { AST } from '../../test/asterisk/support/asterisk.ts';
import { PHONE_PORTS } from '../../test/asterisk/support/site.ts';
import { controllerBase, type Site } from '../setup.ts';

export const OVERLAY = fileURLToPath(new URL('./overlay', import.meta.url));

/** bench/asterisk/overlay/ari.conf: the plain-password user of both apps */
export const PLAIN_USER = { ariUser: 'bench', ariPassword: 'bench-ari-plain' } as const;
/** the shipped user: the suite's password, kept by Asterisk as a SHA-512 crypt */
export const CRYPT_USER = { ariUser: AST.ariUser, ariPassword: AST.ariPassword } as const;

export const MINIMAL_APP = 'bench-minimal';
export const PATHS = ['dial', 'minimal', 'attendant'] as const;
export type PathName = (typeof PATHS)[number];
/** what each path's caller dials: the overlay's two numbers, and a DID of the site (the controller's default group) */
export const DIDS: Record<PathName, string> = { dial: '7770001', minimal: '7770002', attendant: '0155512000' };
export const PATH_LABELS: Record<PathName, string> = { dial: 'plain Dial(PJSIP/att1)', minimal: 'minimal ari-client app', attendant: 'Attendant' };

export const setName = (n: number): string => `att${n}`;
/** att1-att3 answer where the suite's overlay says; the others at 15300 + n */
export function setPort(n: number): number {
  return n <= 3 ? PHONE_PORTS[setName(n) as 'att1'] : 15300 + n;
}

/**
 * pjsip.conf for sets att4..attN: att4 is the project's (it registers in the suite: here it gets a
 * fixed contact), the others are new endpoints of the project's attendant-set template
 */
export function writeSetsOverlay(dir: string, sets: number): string {
  mkdirSync(dir, { recursive: true });
  const lines = ['; The real-Asterisk bench: its attendant sets beyond the suite\'s att1-att3, SIPp phones at fixed ports.'];
  for (let n = 4; n <= sets; n++) {
    const name = setName(n);
    const contact = [`contact=sip:${name}@${AST.host}:${setPort(n)}`, 'qualify_frequency=0', ''];
    if (n === 4) lines.push(`[${name}](+type=aor)`, ...contact);
    else lines.push(`[${name}](attendant-set)`, `aors=${name}`, `callerid="Bench ${n}" <${9100 + n}>`, `[${name}]`, 'type=aor', ...contact);
  }
  writeFileSync(join(dir, 'pjsip.conf'), `${lines.join('\n')}\n`);
  return dir;
}

/** the controller of the bench: every set an attendant, all of them in the default group (longest idle) */
export function attendantConfig(site: Site, sets: number): ConfigInput {
  const ids = Array.from({ length: sets }, (_, i) => setName(i + 1));
  const base = controllerBase(site, 'attendant');
  return {
    ...base,
    asterisk: { ...base.asterisk, ami: { host: AST.host, port: AST.amiPort, user: AST.amiUser, password: AST.amiPassword } },
    attendants: ids.map((id) => ({ id, name: `Bench ${id}`, device: `PJSIP/${id}` })),
    groups: [{ id: 'operators', name: 'Bench operators', members: ids, strategy: 'longest-idle', ringTimeout: 15, waiting: { music: 'default' }, fallback: { type: 'extension', number: '2000' } }],
  };
}
