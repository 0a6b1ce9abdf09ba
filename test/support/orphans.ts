// After an integration test whose calls all ended: the simulator holds nothing the controller made
// or handled (no live channel, no bridge but the groups' waiting bridges, which live on).
import assert from 'node:assert/strict';
import { OperationError } from '../../lib/calls/operations-port.ts';
import type { Harness } from './harness.ts';

export function assertNothingLeft(h: Harness): void {
  const live = h.sim.channels().filter((c) => !c.hungUp);
  assert.deepEqual(live.map((c) => c.name), [], 'orphan channels');
  const bridges = h.sim.bridges().filter((b) => !b.id.startsWith('attendant-wait-'));
  assert.deepEqual(bridges.map((b) => b.id), [], 'orphan bridges');
}

/** let the test's last requests finish, check nothing is left, stop everything */
export async function stopChecked(h: Harness): Promise<void> {
  try {
    await h.settle();
    assertNothingLeft(h);
  } finally {
    await h.stop();
  }
}

/** an operation refused with this OperationError code */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof OperationError && err.code === code);
}
