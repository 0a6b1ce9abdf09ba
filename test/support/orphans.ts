// After an integration test: the calls that ended left nothing behind in the simulator: no live
// channel of theirs (caller, attendant, transfer, consultation, monitor and snoop legs all carry the
// call id) and no bridge named for them (call-, hold-, xfer-, mon-).
import assert from 'node:assert/strict';
import type { Simulator } from '../../lib/sim/index.ts';

export function assertNoOrphans(sim: Simulator, finished: readonly string[]): void {
  const mine = (id: string) => finished.some((f) => id === f || id.startsWith(`${f}-`));
  const live = sim.channels().filter((c) => !c.hungUp && mine(c.id));
  assert.deepEqual(live.map((c) => c.id), [], 'orphan channels');
  const named = (s: string) => finished.some((f) => s.includes(f));
  const bridges = sim.bridges().filter((b) => named(b.id) || named(b.name));
  assert.deepEqual(bridges.map((b) => b.id), [], 'orphan bridges');
}
