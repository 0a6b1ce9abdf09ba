// The site's numbering plan (configuration `numbering`): which numbers are its own extensions
// (internal patterns in Asterisk's syntax), which prefixes leave the site and the least role that may
// dial each, and the emergency numbers. Every number an attendant sends a caller to, and every
// extension the desk books a service for, is checked here first: a refusal names the rule, so an
// operator (and an admin reading the log) sees why. Pure: no I/O.

/** who may dial an external prefix; `none`: nobody (a barred prefix) */
export const DIAL_ROLES = ['operator', 'supervisor', 'admin'] as const;
export type DialRole = (typeof DIAL_ROLES)[number];
export type PrefixRole = DialRole | 'none';

export interface ExternalPrefix {
  /** digits (or a leading +) an outside number starts with */
  prefix: string;
  /** the least role that may dial numbers with this prefix */
  role: PrefixRole;
  /** what the prefix is, for people: national, international, premium rate */
  name?: string;
}

export interface NumberingSettings {
  /** the site's extensions: Asterisk patterns (`_2XX`, `_9XXX`) or literal numbers */
  internal: readonly string[];
  /** prefixes that leave the site; the longest one a number starts with decides */
  external: readonly ExternalPrefix[];
  /** numbers any attendant may always send a caller to; never an extension a service is booked for */
  emergency: readonly string[];
}

/** the plan when the configuration says nothing: 2- to 4-digit extensions, nothing outside, 112 */
export const DEFAULT_NUMBERING: NumberingSettings = {
  internal: ['_ZX', '_ZXX', '_ZXXX'],
  external: [],
  emergency: ['112'],
};

/** what the API and the dialplan take as a number at all */
export const DIALLABLE = /^[0-9*#+]{1,32}$/;

export type NumberKind = 'internal' | 'emergency' | 'external';

export type NumberVerdict =
  | { ok: true; number: string; kind: NumberKind; rule: string }
  | {
    ok: false;
    number: string;
    /** malformed: not a number; outside: no rule takes it; role: a higher role may; barred: nobody may; emergency: not an extension */
    why: 'malformed' | 'outside' | 'role' | 'barred' | 'emergency';
    /** the configuration field that decided, e.g. `numbering.external[1]` */
    rule: string;
    message: string;
  };

const RANK: Readonly<Record<DialRole, number>> = { operator: 1, supervisor: 2, admin: 3 };

// ----- Asterisk extension patterns -------------------------------------------------------------

const PATTERN = /^_(?:[0-9*#+XZNxzn]|\[[0-9*#+-]+\])+[.!]?$/;
const LITERAL = /^[0-9*#+]{1,32}$/;

/** why a pattern of the plan is unusable, or undefined when it is fine */
export function patternProblem(pattern: string): string | undefined {
  if (LITERAL.test(pattern) || PATTERN.test(pattern)) {
    for (const cls of pattern.matchAll(/\[([^\]]*)\]/g)) {
      for (const r of cls[1]!.matchAll(/(.)-(.)/g)) if (r[1]! > r[2]!) return `"${pattern}": the range ${r[0]} is backwards`;
    }
    return undefined;
  }
  return `"${pattern}" is neither a number nor an Asterisk pattern (_ then digits, X, Z, N, [1-5], and . or ! at the end)`;
}

/** An Asterisk pattern (`_` then X 0-9, Z 1-9, N 2-9, [..] a class, `.` one or more, `!` zero or more) or a literal number. */
export function patternToRegExp(pattern: string): RegExp {
  const problem = patternProblem(pattern);
  if (problem) throw new RangeError(problem);
  if (!pattern.startsWith('_')) return new RegExp(`^${escape(pattern)}$`);
  let re = '';
  for (const m of pattern.slice(1).matchAll(/\[[^\]]*\]|./g)) {
    const t = m[0];
    switch (t.toUpperCase()) {
      case 'X': re += '[0-9]'; break;
      case 'Z': re += '[1-9]'; break;
      case 'N': re += '[2-9]'; break;
      case '.': re += '[0-9*#+]+'; break;
      case '!': re += '[0-9*#+]*'; break;
      default: re += t.startsWith('[') ? `[${t.slice(1, -1).replace(/[\\\]^]/g, '\\$&')}]` : escape(t);
    }
  }
  return new RegExp(`^${re}$`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&');
}

// ----- the plan ---------------------------------------------------------------------------------

export interface NumberingPlan {
  /** a number an attendant of `role` sends a caller to (transfer, consultation, three-way) */
  dial(number: string, role: DialRole): NumberVerdict;
  /** an extension the desk books a service for (DND, message, wake-up call): internal only, never an emergency number */
  extension(number: string): NumberVerdict;
}

export function compileNumberingPlan(s: NumberingSettings): NumberingPlan {
  const internal = s.internal.map((p, i) => ({ re: patternToRegExp(p), rule: `numbering.internal[${i}]`, pattern: p }));
  const emergency = new Set(s.emergency);
  // longest prefix first: "00" (international) before "0" (national)
  const external = s.external.map((e, i) => ({ ...e, rule: `numbering.external[${i}]` })).sort((a, b) => b.prefix.length - a.prefix.length);

  const malformed = (number: string): NumberVerdict => ({
    ok: false, number, why: 'malformed', rule: 'number', message: `"${number}" is not a number (1-32 digits, "*", "#" or "+")`,
  });
  const internalRule = (number: string) => internal.find((p) => p.re.test(number));

  return {
    dial(number, role) {
      if (!DIALLABLE.test(number)) return malformed(number);
      if (emergency.has(number)) return { ok: true, number, kind: 'emergency', rule: 'numbering.emergency' };
      const own = internalRule(number);
      if (own) return { ok: true, number, kind: 'internal', rule: own.rule };
      const out = external.find((e) => number.length > e.prefix.length && number.startsWith(e.prefix));
      if (!out) {
        return {
          ok: false, number, why: 'outside', rule: 'numbering',
          message: `"${number}" is outside the numbering plan: no internal pattern (numbering.internal), emergency number (numbering.emergency) or external prefix (numbering.external) takes it`,
        };
      }
      const what = `${out.rule}, prefix "${out.prefix}"${out.name ? ` (${out.name})` : ''}`;
      if (out.role === 'none') return { ok: false, number, why: 'barred', rule: out.rule, message: `"${number}" is barred by ${what}` };
      if (RANK[role] < RANK[out.role]) {
        return { ok: false, number, why: 'role', rule: out.rule, message: `"${number}" needs the ${out.role} role (${what}); this position dials as ${role}` };
      }
      return { ok: true, number, kind: 'external', rule: out.rule };
    },
    extension(number) {
      if (!DIALLABLE.test(number)) return malformed(number);
      if (emergency.has(number)) {
        return { ok: false, number, why: 'emergency', rule: 'numbering.emergency', message: `"${number}" is an emergency number (numbering.emergency), not an extension of the site` };
      }
      const own = internalRule(number);
      if (own) return { ok: true, number, kind: 'internal', rule: own.rule };
      return { ok: false, number, why: 'outside', rule: 'numbering.internal', message: `"${number}" is not an extension of the site: no pattern of numbering.internal takes it` };
    },
  };
}
