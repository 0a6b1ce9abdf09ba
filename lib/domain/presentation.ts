// Call presentation: call classes, their priorities, and the order of the waiting queue.
import type { CallClassConfig } from '../config.ts';

/** Priority band first (9 most urgent), then arrival: lower score is served first. */
export function queueScore(priority: number, arrivedAt: number): number {
  return (10 - priority) * 1e13 + arrivedAt;
}
