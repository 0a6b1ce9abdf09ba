// CLI: npx tsx lib/sim/main.ts --port 8088 [--host 127.0.0.1] [--user attendant --password change-me-ari] [--seed 1]
//      [--endpoints endpoints.yaml]   (a map `PJSIP/att1: {kind: answer, afterMs: 0, context: from-attendant}`)
// Runs the ARI simulator until Ctrl-C.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { endpointBodySchema, toBehaviour } from './behaviour.ts';
import { startSimulator } from './index.ts';
import type { Behaviour, EndpointOptions } from './types.ts';

/** the recorded lab: three attendant sets, an extension, a Local target that only rings */
const LAB: Record<string, Behaviour & EndpointOptions> = {
  'PJSIP/att1': { kind: 'answer', afterMs: 0, context: 'from-attendant' },
  'PJSIP/att2': { kind: 'answer', afterMs: 0, context: 'from-attendant' },
  'PJSIP/att3': { kind: 'answer', afterMs: 0, context: 'from-attendant' },
  'PJSIP/ext200': { kind: 'answer', afterMs: 2000, context: 'from-attendant' },
  'PJSIP/pstn': { kind: 'answer', afterMs: 0, context: 'from-pstn' },
  'Local/300@sim-ring': { kind: 'ring' },
};

function loadEndpoints(file: string): Record<string, Behaviour & EndpointOptions> {
  const parsed = z.record(z.string().regex(/^[^/]+\/.+$/), endpointBodySchema).parse(parseYaml(readFileSync(file, 'utf8')));
  return Object.fromEntries(Object.entries(parsed).map(([name, spec]) => [name, { ...toBehaviour(spec), ...(spec.context ? { context: spec.context } : {}) }]));
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8088' },
    host: { type: 'string', default: '127.0.0.1' },
    // the credentials of config/example.yaml, so `npm run sim` and `npm start` meet out of the box
    user: { type: 'string', default: 'attendant' },
    password: { type: 'string', default: 'change-me-ari' },
    seed: { type: 'string', default: '1' },
    endpoints: { type: 'string' },
  },
});

const sim = await startSimulator({
  port: Number(values.port),
  host: values.host,
  user: values.user,
  password: values.password,
  seed: Number(values.seed),
  endpoints: values.endpoints ? loadEndpoints(values.endpoints) : LAB,
});

console.log(`ARI simulator (Asterisk 23.4.1 on the wire) listening
  ARI REST     ${sim.ariUrl}/  (basic auth ${values.user}:${values.password}, or ?api_key=user:password)
  api-docs     ${sim.ariUrl}/api-docs/resources.json
  events       ${sim.eventsUrl('attendant').replace(/api_key=[^&]*/, 'api_key=<user>:<password>')}
  control API  ${sim.controlUrl}/  (GET it for the list of routes)
  endpoints    ${sim.endpoints().map((e) => `${e.name}=${e.behaviour.kind}`).join(' ')}
Ctrl-C to stop.`);

const shutdown = (): void => {
  void sim.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
