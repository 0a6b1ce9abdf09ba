// Conformance: every scenario recorded on a real Asterisk 23.4.1 (../shared/ari-fixtures) is
// replayed against the simulator, which must answer the same REST status codes and error bodies,
// send the same event sequence per channel (tolerances in normalise.ts), and use the same field
// names on Channel, Bridge and Endpoint objects.
import assert from 'node:assert/strict';
import { ManualTime } from '../../lib/clock.ts';
import { startSimulator, type Behaviour, type EndpointOptions } from '../../lib/sim/index.ts';
import { EventRecorder, SIM_PASSWORD, SIM_USER } from '../support/sim-helpers.ts';
import { fixtureAvailable, loadSession, type Json, type Session } from './fixture.ts';
import { fieldNames, groupEvents, isLocalSecondHalf, normaliseSequence, RoleBook, shapeOf, withoutSiteDialplan } from './normalise.ts';
import { findStimuli, recordedEventsByScenario, Replayer, type ReplayStep } from './replay.ts';

type Endpoints = Record<string, Behaviour & EndpointOptions>;

const SETS = 'from-attendant';

/** the recorded lab: sets answer at once, 300@sim-ring rings forever, att3 is registered, `nobody` does not exist */
const SESSION_ENDPOINTS: Endpoints = {
  'PJSIP/att1': { kind: 'answer', afterMs: 0, context: SETS },
  'PJSIP/att2': { kind: 'answer', afterMs: 0, context: SETS },
  'PJSIP/att3': { kind: 'answer', afterMs: 0, context: SETS },
  'PJSIP/ext200': { kind: 'answer', afterMs: 0, context: SETS },
  'Local/300@sim-ring': { kind: 'ring' },
};

/**
 * session-2.jsonl was recorded on the project's own asterisk-conf/ and dialplan/: att2 answers 486 Busy
 * Here, the phone behind extension 200 (endpoint ext200) answers after 300 ms, the trunk caller enters
 * [attendant-incoming].
 */
const SESSION2_ENDPOINTS: Endpoints = {
  'PJSIP/att1': { kind: 'answer', afterMs: 0, context: 'attendant-sets' },
  'PJSIP/att2': { kind: 'busy', context: 'attendant-sets' },
  'PJSIP/ext200': { kind: 'answer', afterMs: 300, context: 'default' },
};
/** the project's demo dialplan: extension 200 rings the endpoint ext200 */
const SESSION2_EXTENSIONS: Record<string, string> = { 200: 'PJSIP/ext200' };

/** in refer-transfer.jsonl att1 is an auto-answer set: 200 OK without 180 Ringing */
const REFER_ENDPOINTS: Endpoints = {
  ...SESSION_ENDPOINTS,
  'PJSIP/att1': { kind: 'answer', afterMs: 0, ring: false, context: SETS },
};

function groupsToObject(groups: Map<string, string[]>, siteDialplan: boolean): Record<string, string[]> {
  return Object.fromEntries([...groups.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, normaliseSequence(siteDialplan && isLocalSecondHalf(k) ? withoutSiteDialplan(v) : v)]));
}

/** how a suite's recording was made: the endpoints, the site's extensions, and whether Local ;2 halves ran the site's own dialplan */
interface Lab {
  endpoints: Endpoints;
  extensions?: Record<string, string>;
  siteDialplan?: boolean;
}

async function checkScenario(session: Session, index: number, lab: Lab): Promise<void> {
  const { endpoints, extensions = {}, siteDialplan = false } = lab;
  const scenario = session.scenarios[index]!;
  const time = new ManualTime(Date.UTC(2026, 10, 23, 11, 3, 0));
  const sim = await startSimulator({ user: SIM_USER, password: SIM_PASSWORD, time, seed: 1, endpoints });
  for (const [number, endpoint] of Object.entries(extensions)) sim.setExtension(number, endpoint);
  const recorder = await EventRecorder.connect(sim.eventsUrl('attendant'));
  try {
    const stimuli = findStimuli(session.records);
    const lastT = session.records[scenario.end - 1]?.t ?? 0;
    const nextT = session.records[scenario.end]?.t;
    const steps: ReplayStep[] = await new Replayer(sim, time, recorder, session, stimuli).run(scenario.end, nextT !== undefined ? nextT - lastT : 10_000);

    // roles are learnt from the start on both sides so that `PJSIP/pstn#1` means the same caller
    const recBook = new RoleBook();
    for (const r of session.records.slice(0, scenario.end)) {
      if (r.kind === 'rest') recBook.learn(r.response);
      else if (r.kind === 'event') groupEvents([r.event], recBook);
    }
    const simBook = new RoleBook();
    for (const s of steps) {
      if ('rest' in s) simBook.learn(s.rest.body);
      else groupEvents([s.event], simBook);
    }

    // REST: same status; same error body; same answer shape
    const rest = steps.flatMap((s) => ('rest' in s && s.scenario === index ? [s.rest] : []));
    for (const r of rest) {
      const what = `${r.record.method} ${r.record.path}`;
      assert.equal(r.status, r.record.status, `${what}: status`);
      if (r.record.status >= 400) assert.deepEqual(r.body, r.record.response, `${what}: error body`);
      else assert.deepEqual(shapeOf(r.body ?? null), shapeOf(r.record.response), `${what}: answer fields`);
    }

    // events: per channel (or bridge, device, endpoint) the same sequence
    const recorded = (recordedEventsByScenario(session, stimuli).get(index) ?? []).map((r) => r.event);
    const simulated = steps.flatMap((s) => ('event' in s && s.scenario === index ? [s.event] : []));
    assert.deepEqual(groupsToObject(groupEvents(simulated, simBook), siteDialplan), groupsToObject(groupEvents(recorded, recBook), siteDialplan), 'event sequences per channel');

    // the same field names on Channel, Bridge and Endpoint objects
    const recValues: unknown[] = [...recorded, ...rest.map((r) => r.record.response)];
    const simValues: unknown[] = [...simulated, ...rest.map((r) => r.body as Json)];
    assert.deepEqual(fieldNames(simValues), fieldNames(recValues), 'object field names');
  } finally {
    recorder.close();
    await sim.stop();
  }
}

function conformanceSuite(file: string, title: string, fallbackName: string, lab: Lab): void {
  describe(title, function () {
    if (!fixtureAvailable(file)) {
      it(`is skipped: ../shared/ari-fixtures/${file} is absent`, function () {
        console.log(`  (conformance skipped: ../shared/ari-fixtures/${file} not found next to the repository)`);
        this.skip();
      });
      return;
    }
    const session = loadSession(file, fallbackName);
    session.scenarios.forEach((scenario, index) => {
      it(scenario.name, async function () {
        await checkScenario(session, index, lab);
      });
    });
  });
}

conformanceSuite('session.jsonl', 'ARI simulator against the recorded Asterisk 23.4.1 session', 'session', { endpoints: SESSION_ENDPOINTS });
conformanceSuite('session-2.jsonl', 'ARI simulator against the second recorded session (the project\'s own Asterisk files)', 'session 2',
  { endpoints: SESSION2_ENDPOINTS, extensions: SESSION2_EXTENSIONS, siteDialplan: true });
conformanceSuite('refer-transfer.jsonl', 'ARI simulator against the recorded ari-only REFER transfer',
  'refer transfer: a set presses its transfer key (ari-only), the app completes the blind transfer to 200', { endpoints: REFER_ENDPOINTS });
