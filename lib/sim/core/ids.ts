// Channel ids and names shaped like Asterisk's: uniqueid `<epoch seconds>.<global counter>`,
// names `<tech>/<resource>-<%08x per-driver counter>`.
import { hex8 } from './format.ts';

export class IdFactory {
  private unique = 0;
  private readonly perDriver = new Map<string, number>();

  uniqueId(nowMs: number): string {
    return `${Math.floor(nowMs / 1000)}.${this.unique++}`;
  }

  /** next `%08x` suffix for a driver (PJSIP, Local, Snoop each count on their own, as in Asterisk) */
  suffix(driver: string): string {
    const n = this.perDriver.get(driver) ?? 0;
    this.perDriver.set(driver, n + 1);
    return hex8(n);
  }
}
