// Exact Erlang B and C by rational arithmetic on BigInt, straight from the
// defining sums, as an oracle independent of the recursion under test:
//   B(N, A) = (A^N/N!) / Σ_{k=0..N} A^k/k!
//   C(N, A) = (A^N/N! · N/(N−A)) / (Σ_{k=0..N−1} A^k/k! + A^N/N! · N/(N−A))
// With A = p/q every term times q^N·N! is the integer p^k·q^(N−k)·N!/k!, so
// the only rounding is the final division to a double.

export interface Rational {
  p: bigint;
  q: bigint;
}

/** '4.461' → 4461/1000, exactly. */
export function decimal(text: string): Rational {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (m === null) throw new Error(`not a plain decimal: ${text}`);
  const frac = m[2] ?? '';
  return { p: BigInt((m[1] ?? '') + frac), q: 10n ** BigInt(frac.length) };
}

function toNumber(num: bigint, den: bigint): number {
  // 30 significant decimal digits survive before the conversion to a double.
  const scale = 10n ** 30n;
  return Number((num * scale) / den) / 1e30;
}

function scaledTerms(a: Rational, n: number): bigint[] {
  let nFact = 1n;
  for (let k = 2; k <= n; k++) nFact *= BigInt(k);
  const terms: bigint[] = [];
  let kFact = 1n;
  for (let k = 0; k <= n; k++) {
    if (k > 0) kFact *= BigInt(k);
    terms.push(a.p ** BigInt(k) * a.q ** BigInt(n - k) * (nFact / kFact));
  }
  return terms;
}

export function exactErlangB(a: Rational, lines: number): number {
  const t = scaledTerms(a, lines);
  const total = t.reduce((x, y) => x + y, 0n);
  return toNumber(t[lines] ?? 0n, total);
}

/** Only for A < N. */
export function exactErlangC(a: Rational, agents: number): number {
  const t = scaledTerms(a, agents);
  const nq = BigInt(agents) * a.q;
  if (nq <= a.p) throw new Error('exactErlangC needs A < N');
  // last · N/(N−A) = last · Nq/(Nq − p); bring everything over (Nq − p).
  const last = (t[agents] ?? 0n) * nq;
  let lower = 0n;
  for (let k = 0; k < agents; k++) lower += t[k] ?? 0n;
  return toNumber(last, lower * (nq - a.p) + last);
}
