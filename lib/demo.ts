// `npm run demo`: the ARI simulator with simulated callers and attendant sets, the controller on
// config/example.yaml, and the console on a local port. Steady traffic so a newcomer sees calls
// arrive, wait, ring, get answered, abandon and overflow.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from './config.ts';
import { startController } from './controller.ts';
import { createLogger } from './log.ts';
import { startSimulator } from './sim/index.ts';
import { seededRandom } from './random.ts';
import { realTime } from './clock.ts';
import { DemoCallers, demoSets } from './demo-site.ts';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: fileURLToPath(new URL('../config/example.yaml', import.meta.url)) },
    'sim-port': { type: 'string', default: '8088' },
    port: { type: 'string', default: '8080' },
    'metrics-port': { type: 'string', default: '9464' },
    rate: { type: 'string', default: '6' },
    seed: { type: 'string', default: '1' },
    'log-level': { type: 'string', default: 'warn' },
    duration: { type: 'string' },
    // keep the groups' schedules (night service outside office hours) instead of day mode
    schedule: { type: 'boolean', default: false },
    // leave the first position's set to be answered by hand through the simulator's control API
    'manual-set': { type: 'boolean', default: false },
  },
});

const seed = Number(values.seed);
const random = seededRandom(seed);

const file = loadConfigFile(values.config!, process.env);
const sim = await startSimulator({ port: Number(values['sim-port']), host: '127.0.0.1', user: file.asterisk.ari.user, password: file.asterisk.ari.password, seed });
const config = { ...file, asterisk: { ...file.asterisk, ari: { ...file.asterisk.ari, url: sim.url } }, http: { ...file.http, port: Number(values.port) },
  // Prometheus scrapes the demo on a listener of its own (no token on loopback)
  metrics: { ...file.metrics, port: Number(values['metrics-port']) } };

// every attendant set answers by itself (lib/demo-site.ts); --manual-set leaves the first one to the user
for (const [device, behaviour] of demoSets(config, { manualFirstSet: values['manual-set'] })) sim.setEndpoint(device, behaviour);
sim.setEndpoint('PJSIP/pstn', { kind: 'answer', afterMs: 0 });
// the demo site's phones (asterisk-conf/pjsip_demo.conf): extension 200 is the endpoint ext200, and so on
for (const number of ['200', '201', '202', '2000']) {
  sim.setEndpoint(`PJSIP/ext${number}`, { kind: 'answer', afterMs: 3_000 });
  sim.setExtension(number, `PJSIP/ext${number}`);
}
sim.setEndpoint('PJSIP/bell', { kind: 'answer', afterMs: 3_000 });

const log = createLogger(values['log-level']!);
const controller = await startController(config, { log, autoLogin: true, random });
const sb = controller.switchboard;
// a newcomer runs the demo at any hour: the groups are switched to day, as a supervisor would
// (the console's day / night switch, or --schedule, gives the schedule back)
if (!values.schedule) for (const g of config.groups) await sb.setGroupOverride(g.id, 'day', 'demo');

const stamp = () => new Date().toISOString().slice(11, 19);
sb.view.onChange((c) => {
  if (c.kind === 'attendant') console.log(`${stamp()}  attendant ${c.attendant.id.padEnd(6)} ${c.attendant.state}${c.attendant.currentCall ? `  (call ${c.attendant.currentCall})` : ''}`);
  else if (c.kind === 'call') console.log(`${stamp()}  call ${c.call.id.padEnd(16)} ${c.call.state.padEnd(8)} ${c.call.callClass.padEnd(9)} group ${c.call.group}${'attendant' in c.call && c.call.attendant ? `  → ${c.call.attendant}` : ''}`);
  else if (c.kind === 'queue') console.log(`${stamp()}  queue ${c.group}: ${c.callIds.length} waiting`);
});

console.log(`
Attendant demo
  console      http://127.0.0.1:${controller.httpPort}/        (health: /healthz)
  login        alice / operator-demo (operator at att1), sam / supervisor-demo (supervisor)
  metrics      http://127.0.0.1:${controller.metrics?.port ?? '-'}/metrics   (Prometheus text; Grafana dashboard: docker/grafana/)
  queue_log    GET /api/queue-log?format=text as sam (supervisor): app_queue's lines of the groups
  ARI sim      ${sim.url}/ari/  (user ${config.asterisk.ari.user})   control API: ${sim.url}/sim/
  traffic      one call every ~${values.rate} s; every set answers by itself, ${config.attendants[0]!.id}'s after 2 s, and talks 45 s:
               time to transfer (T), hold (H) or park (P) from the console${values['manual-set'] ? `
               --manual-set: ${config.attendants[0]!.device} rings until you answer it:
               curl -X POST ${sim.url}/sim/channels/<leg id>/answer   (legs: curl ${sim.url}/sim/channels)` : ''}
  monitor      sam has no position: M on the console monitors a call from ${config.attendants.find((a) => a.supervisor)?.device ?? 'the supervisor set'} (supervisor: true)
  modes        every group is switched to day (--schedule keeps the schedules: night service after 19:00 Paris)
  Ctrl-C stops everything.
`);

const callers = new DemoCallers({ sim, switchboard: sb, time: realTime, random, meanGapMs: Number(values.rate) * 1000 });
callers.start();

const stop = async () => {
  callers.stop();
  await controller.stop();
  await sim.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
if (values.duration) setTimeout(() => void stop(), Number(values.duration) * 1000);
