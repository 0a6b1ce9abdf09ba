// The demo's simulated site (`npm run demo`, and test/integration/demo.test.ts on a manual clock):
// how each attendant set behaves, and the callers. Sized so the switchboard keeps up: the queue
// comes and goes instead of growing, and no position turns absent while a newcomer reads the README.
import type { Config } from './config.ts';
import type { TimeSource, TimerHandle } from './domain/clock.ts';
import type { Behaviour, Simulator } from './sim/index.ts';
import type { Switchboard } from './calls/switchboard.ts';

export interface DemoOptions {
  /** leave the first position's set for the user to answer through the simulator's control API */
  manualFirstSet?: boolean;
}

/**
 * Every set answers by itself. The first position (the console's demo login) talks 45 s, so its
 * operator has time to transfer, hold or park from the console; the others 6 to 12 s. At the default
 * rate (a call every ~6 s) three positions are about two-thirds busy.
 */
export function demoSets(config: Config, opts: DemoOptions = {}): Map<string, Behaviour> {
  const sets = new Map<string, Behaviour>();
  config.attendants.forEach((a, i) => {
    if (i === 0) sets.set(a.device, opts.manualFirstSet ? { kind: 'manual' } : { kind: 'hangupAfter', answerAfterMs: 2_000, hangupAfterMs: 45_000 });
    else sets.set(a.device, { kind: 'hangupAfter', answerAfterMs: 1_000 + i * 500, hangupAfterMs: 4_000 + i * 2_000 });
  });
  return sets;
}

const CLASSES = ['external', 'external', 'external', 'internal', 'internal', 'urgent'];

/** Poisson callers into the operators group; about one in six gives up after 20 to 60 s of waiting. */
export class DemoCallers {
  private timer: TimerHandle | undefined;
  private n = 0;
  placed = 0;

  constructor(private readonly o: { sim: Simulator; switchboard: Switchboard; time: TimeSource; random: () => number; meanGapMs: number; group?: string }) {}

  start(firstAfterMs = 500): void {
    this.timer = this.o.time.schedule(firstAfterMs, () => this.placeNext());
  }

  stop(): void {
    this.timer?.cancel();
  }

  private placeNext(): void {
    const { sim, switchboard, time, random } = this.o;
    const cls = CLASSES[Math.floor(random() * CLASSES.length)]!;
    const number = `01${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    const id = sim.placeCall({ from: 'PJSIP/pstn', callerNumber: number, callerName: `Caller ${++this.n}`, context: 'from-pstn', exten: '0', appArgs: [cls, this.o.group ?? 'operators'] });
    this.placed++;
    if (random() < 1 / 6) time.schedule(20_000 + random() * 40_000, () => { if (switchboard.view.call(id)?.state === 'waiting') sim.hangupCaller(id); });
    // exponential gaps
    this.timer = time.schedule(-Math.log(1 - random()) * this.o.meanGapMs, () => this.placeNext());
  }
}
