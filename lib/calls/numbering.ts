// The numbering plan (lib/domain/numbering.ts) and the quotas at the switchboard's entry points:
// a dial target is a directory short code or a number, checked for the role of whoever works at the
// position; an extension is checked before a desk service is booked for it; a feature code is taken
// only from a channel whose dialplan context is one of the site's phones'. A refusal is an
// OperationError naming the rule, so the API answers a 4xx that says why and the set hears its error tone.
import type { ChannelInfo } from '../asterisk/port.ts';
import type { Config, QuotasConfig } from '../config.ts';
import type { AttendantRecord } from '../domain/model.ts';
import { compileNumberingPlan, type DialRole, type NumberingPlan, type NumberVerdict } from '../domain/numbering.ts';
import { OperationError } from './operations-port.ts';

const RANK: Readonly<Record<DialRole, number>> = { operator: 1, supervisor: 2, admin: 3 };

function refusal(v: Extract<NumberVerdict, { ok: false }>, asked: string): OperationError {
  switch (v.why) {
    case 'malformed': return new OperationError('invalid_target', `"${asked}" is neither a number nor a short code`);
    case 'role':
    case 'barred': return new OperationError('number_not_allowed', v.message);
    default: return new OperationError('outside_numbering_plan', v.message);
  }
}

export class SiteNumbering {
  private readonly plan: NumberingPlan;
  private readonly phoneContexts: ReadonlySet<string>;

  constructor(private readonly config: Config) {
    this.plan = compileNumberingPlan(config.numbering);
    this.phoneContexts = new Set(config.numbering.phoneContexts);
  }

  /** the number `target` dials (a short code of the directory, else itself); refused unless `role` may dial it */
  dialTarget(target: string, role: DialRole): string {
    const t = target.trim();
    const number = this.config.directory.entries.find((e) => e.shortCode === t)?.number ?? t;
    const v = this.plan.dial(number, role);
    if (!v.ok) throw refusal(v, target);
    return v.number;
  }

  /** an extension a desk service is booked for: internal, not an emergency number */
  extension(number: string): void {
    const v = this.plan.extension(number);
    if (!v.ok) throw refusal(v, number);
  }

  /**
   * Who dials from a position: the role of the user logged in there (console login or shift change),
   * at least supervisor on a supervisor's set, else operator.
   */
  roleAt(attendant: AttendantRecord | undefined): DialRole {
    if (!attendant) return 'operator';
    let role: DialRole = this.config.attendants.find((a) => a.id === attendant.id)?.supervisor ? 'supervisor' : 'operator';
    const user = attendant.loginUser !== undefined ? this.config.users.find((u) => u.name === attendant.loginUser) : undefined;
    if (user && RANK[user.role] > RANK[role]) role = user.role;
    return role;
  }

  /** a channel the dialplan marks as one of the site's phones: its StasisStart names a context of numbering.phoneContexts */
  isPhone(channel: ChannelInfo): boolean {
    const context = channel.dialplan?.context;
    return context !== undefined && this.phoneContexts.has(context);
  }
}

/** refused (quota_exceeded, naming the setting) when `count` stored items already reach the quota; `what`: "wake-up calls for 201" */
export function checkQuota(quotas: QuotasConfig, field: keyof QuotasConfig, count: number, what: string): void {
  if (count >= quotas[field]) throw new OperationError('quota_exceeded', `quotas.${field}: ${count} ${what} already, the most allowed`);
}

const plans = new WeakMap<Config, SiteNumbering>();

/** the plan of a configuration, compiled once */
export function siteNumbering(config: Config): SiteNumbering {
  let n = plans.get(config);
  if (!n) plans.set(config, (n = new SiteNumbering(config)));
  return n;
}
