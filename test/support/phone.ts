// Helpers for the attendant-set tests: a configuration with a supervisor's set, feature calls
// dialled from a set, what a channel heard (an observer app with subscribeAll sees the playbacks and
// the ChannelTransfer echoes), and the end of each test (nothing left behind).
import type { Harness, HarnessOptions } from './harness.ts';
import { stopChecked } from './orphans.ts';
import { EventRecorder, type AriEvent } from './sim-helpers.ts';

export const OK = 'sound:beep';
export const ERROR = 'sound:beeperr';

export function phoneConfig(): HarnessOptions['config'] {
  return {
    attendants: [
      { id: 'att1', name: 'Alice', device: 'PJSIP/att1' },
      { id: 'att2', name: 'Bob', device: 'PJSIP/att2' },
      { id: 'sup', name: 'Sam', device: 'PJSIP/sup', supervisor: true },
    ],
    classes: [
      { id: 'external', priority: 5, delayedRing: 0 },
      { id: 'recall', priority: 7, delayedRing: 0 },
      // delayed ring: the call waits a minute before the hunt, so a set can pick it up first
      { id: 'slow', priority: 5, delayedRing: 60 },
    ],
    groups: [
      {
        id: 'operators', name: 'Operators', members: ['att1', 'att2', 'sup'], strategy: 'linear', ringTimeout: 15,
        table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' }, mode1: { type: 'group', group: 'backup' } },
      },
      { id: 'backup', name: 'Backup', members: ['att2'], table: { day: { type: 'group' } } },
    ],
    directory: { entries: [{ name: 'Jeanne Martin', number: '201', shortCode: '11' }] },
  };
}

/** the events every channel and bridge produces, seen by a second app subscribed to all */
export class Observer {
  private constructor(readonly rec: EventRecorder) {}

  static async start(h: Harness): Promise<Observer> {
    return new Observer(await EventRecorder.connect(h.sim.eventsUrl('observer', true)));
  }

  /** media played on a channel, in order */
  played(channelId: string): string[] {
    return this.rec.events
      .filter((e) => e.type === 'PlaybackStarted' && (e.playback as { target_uri: string }).target_uri === `channel:${channelId}`)
      .map((e) => (e.playback as { media_uri: string }).media_uri);
  }

  /** the ChannelTransfer events of a set's leg: undefined for the REFER itself, then each reported state */
  transferStates(leg: string): Array<string | undefined> {
    return this.rec.events
      .filter((e: AriEvent) => e.type === 'ChannelTransfer' && (e.referred_by as { source_channel: { id: string } }).source_channel.id === leg)
      .map((e) => e.state as string | undefined);
  }

  close(): void {
    this.rec.close();
  }
}

export function live(h: Harness, id: string): boolean {
  return h.sim.channels().some((c) => c.id === id && !c.hungUp);
}

/** a set dials a feature code: the dialplan's Stasis(attendant,feature,<name>,<arg>) (an empty arg when none) */
export function dialFeature(h: Harness, device: string, name: string, arg = ''): string {
  return h.sim.placeCall({ from: device, callerNumber: device.slice(device.indexOf('/') + 1), context: 'attendant-sets', exten: `*${name}`, appArgs: ['feature', name, arg] });
}

/** a feature call that answers with a sound and hangs up once it played (the simulator's sounds last 1 s): which sound */
export async function featureOutcome(h: Harness, obs: Observer, channelId: string): Promise<string> {
  await h.until('a sound is played', () => obs.played(channelId).length > 0);
  await h.advance(1000);
  await h.until('the feature call is hung up', () => !live(h, channelId));
  return obs.played(channelId).join(',');
}

/** after each test: the observer closed, nothing left in the simulator, the harness stopped */
export async function endTest(h: Harness | undefined, obs: Observer | undefined): Promise<void> {
  obs?.close();
  if (h) await stopChecked(h);
}

/** a caller answered by att1's set and talking */
export async function talkingTo(h: Harness, device: string, opts: { class?: string } = {}): Promise<{ caller: string; leg: string }> {
  const caller = h.call(opts);
  await h.until(`${device} rings`, () => h.ringing(device).length === 1);
  const leg = await h.answer(device);
  await h.until('connected', () => h.callRecord(caller)?.talkBridge !== undefined);
  return { caller, leg };
}
