// Replaying a recorded ARI session against the simulator: the same REST calls (recorded ids mapped
// to the simulator's as they appear), the same phone actions (a caller arriving, hanging up, a set
// pressing transfer) at the same points, on ManualTime moved by the recorded gaps.
import type { ManualTime } from '../../lib/clock.ts';
import type { Simulator } from '../../lib/sim/index.ts';
import { ariCall, settle, type AriEvent, type EventRecorder } from '../support/sim-helpers.ts';
import type { EventRecord, FixtureRecord, Json, Session } from './fixture.ts';

export interface RestOutcome {
  record: FixtureRecord & { kind: 'rest' };
  scenario: number;
  status: number;
  body: unknown;
}

/** what the simulator answered and sent, in the order it happened, each with the scenario whose action caused it */
export type ReplayStep = { scenario: number; rest: RestOutcome } | { scenario: number; event: AriEvent };

type Stimulus =
  | { kind: 'call'; event: Json }
  | { kind: 'hangup'; channelId: string }
  | { kind: 'transfer'; channelId: string; destination: string };

function channelField(e: Json, key: string): Json | undefined {
  const v = e[key];
  return v && typeof v === 'object' ? (v as Json) : undefined;
}

/**
 * Which records are phone actions rather than answers to a REST call: a caller's StasisStart, the
 * first event of a caller's own hangup (its RTCP figures come before the hangup request), a REFER.
 */
export function findStimuli(records: readonly FixtureRecord[]): Map<number, Stimulus> {
  const stimuli = new Map<number, Stimulus>();
  const known = new Set<string>();
  const callers = new Set<string>();
  records.forEach((r, i) => {
    if (r.kind === 'rest') {
      const id = (r.response as Json | null)?.id;
      if (typeof id === 'string') known.add(id);
      return;
    }
    if (r.kind !== 'event') return;
    const e = r.event;
    const ch = channelField(e, 'channel');
    const id = typeof ch?.id === 'string' ? ch.id : undefined;
    if (e.type === 'StasisStart' && id && !known.has(id)) {
      known.add(id);
      callers.add(id);
      stimuli.set(i, { kind: 'call', event: e });
    } else if (e.type === 'ChannelHangupRequest' && id && callers.has(id) && !e.soft) {
      let anchor = i;
      while (anchor > 0) {
        const prev = records[anchor - 1];
        if (prev?.kind !== 'event' || prev.event.type !== 'ChannelVarset' || !String(prev.event.variable).startsWith('RTPAUDIOQOS')) break;
        anchor--;
      }
      stimuli.set(anchor, { kind: 'hangup', channelId: id });
    } else if (e.type === 'ChannelTransfer' && e.state === undefined) {
      const source = channelField(channelField(e, 'referred_by') ?? {}, 'source_channel');
      const dest = channelField(channelField(e, 'refer_to') ?? {}, 'requested_destination');
      stimuli.set(i, { kind: 'transfer', channelId: String(source?.id), destination: String(dest?.destination ?? '') });
    }
    if (id) known.add(id);
  });
  return stimuli;
}

/** for each recorded event, the scenario of the last action (REST call or phone action) before it */
export function recordedEventsByScenario(session: Session, stimuli: ReadonlyMap<number, Stimulus>): Map<number, EventRecord[]> {
  const out = new Map<number, EventRecord[]>();
  let current = -1;
  session.records.forEach((r, i) => {
    if (r.kind === 'rest' || stimuli.has(i)) current = session.scenarioOf[i] ?? -1;
    if (r.kind === 'event') out.set(current, [...(out.get(current) ?? []), r]);
  });
  return out;
}

export class Replayer {
  private readonly ids = new Map<string, string>();
  private lastT: number | undefined;
  private currentScenario = -1;
  private readonly steps: ReplayStep[] = [];

  constructor(
    private readonly sim: Simulator,
    private readonly time: ManualTime,
    private readonly recorder: EventRecorder,
    private readonly session: Session,
    private readonly stimuli: ReadonlyMap<number, Stimulus>,
  ) {}

  /** replay records [0, end), then let time run `tailMs` so timers of the last scenario fire */
  async run(end: number, tailMs: number): Promise<ReplayStep[]> {
    for (let i = 0; i < end; i++) {
      const r = this.session.records[i];
      if (!r) continue;
      await this.advanceTo(r.t);
      const scenario = this.session.scenarioOf[i] ?? -1;
      if (r.kind === 'rest') {
        this.currentScenario = scenario;
        await this.rest(r, scenario);
        await this.collect();
      } else {
        const stimulus = this.stimuli.get(i);
        if (stimulus) {
          this.currentScenario = scenario;
          this.act(stimulus);
          await this.collect();
        }
      }
    }
    this.time.advance(tailMs);
    await this.collect();
    return this.steps;
  }

  private async advanceTo(t: number): Promise<void> {
    if (this.lastT !== undefined && t > this.lastT) {
      this.time.advance(t - this.lastT);
      await this.collect();
    }
    this.lastT = Math.max(this.lastT ?? t, t);
  }

  private async collect(): Promise<void> {
    await settle(this.sim, this.recorder);
    for (const event of this.recorder.take()) this.steps.push({ scenario: this.currentScenario, event });
  }

  private map(id: string): string {
    return this.ids.get(id) ?? id;
  }

  /** recorded ids in a path (segments, query values, comma lists) become the simulator's */
  private mapPath(path: string): string {
    return path.split(/([/?&=,])/).map((part) => this.ids.get(part) ?? part).join('');
  }

  private async rest(r: FixtureRecord & { kind: 'rest' }, scenario: number): Promise<void> {
    const answer = await ariCall(this.sim, r.method, this.mapPath(r.path), r.requestBody ?? undefined);
    const recId = (r.response as Json | null)?.id;
    const simId = (answer.body as Json | undefined)?.id;
    if (typeof recId === 'string' && typeof simId === 'string') this.ids.set(recId, simId);
    this.steps.push({ scenario, rest: { record: r, scenario, status: answer.status, body: answer.body } });
  }

  private act(s: Stimulus): void {
    if (s.kind === 'call') {
      const ch = channelField(s.event, 'channel') ?? {};
      const plan = channelField(ch, 'dialplan') ?? {};
      const caller = channelField(ch, 'caller') ?? {};
      const name = String(ch.name);
      const appData = String(plan.app_data ?? 'attendant').split(',');
      const simId = this.sim.placeCall({
        from: name.replace(/-[0-9a-f]{8}$/, ''),
        callerNumber: String(caller.number ?? ''),
        callerName: String(caller.name ?? ''),
        context: String(plan.context ?? 'default'),
        exten: String(plan.exten ?? 's'),
        priority: Number(plan.priority ?? 1),
        app: appData[0] ?? 'attendant',
        appArgs: Array.isArray(s.event.args) ? s.event.args.map(String) : [],
      });
      this.ids.set(String(ch.id), simId);
    } else if (s.kind === 'hangup') {
      this.sim.hangupCaller(this.map(s.channelId));
    } else {
      this.sim.pressTransfer(this.map(s.channelId), s.destination);
    }
  }
}
