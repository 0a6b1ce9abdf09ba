// A small seeded PRNG (mulberry32) so that ids, delays and RTP figures repeat from run to run.

import { seededRandom } from '../../random.ts';

export class Prng {
  /** uniform in [0, 1) */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  hex(digits: number): string {
    let s = '';
    for (let i = 0; i < digits; i++) s += this.int(0, 15).toString(16);
    return s;
  }

  /** RFC 4122 version 4 shape, as pjsip Call-IDs and bridge ids look */
  uuid(): string {
    const variant = '89ab'[this.int(0, 3)] ?? '8';
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }
}
