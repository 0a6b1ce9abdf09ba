// Controller configurations of the real-Asterisk suite: the project's example site (config/example.yaml)
// reduced to what a flow needs. Sets att1..att3 are SIPp phones; timers short enough for a test.
export interface SiteOptions {
  strategy?: string;
  members?: string[];
  ringTimeout?: number;
  absentAfter?: number;
  recall?: number;
  park?: number;
  /** extra fields of the operators group */
  group?: Record<string, unknown>;
  /** more groups */
  groups?: Array<Record<string, unknown>>;
  /** more top-level configuration */
  extra?: Record<string, unknown>;
}

export const ATTENDANTS = [
  { id: 'att1', name: 'Alice', device: 'PJSIP/att1', extension: '9001' },
  { id: 'att2', name: 'Bob', device: 'PJSIP/att2', extension: '9002' },
  { id: 'att3', name: 'Carol', device: 'PJSIP/att3', extension: '9003' },
  { id: 'att4', name: 'Dave', device: 'PJSIP/att4', extension: '9004', supervisor: true },
];

export function siteConfig(o: SiteOptions = {}): Record<string, unknown> {
  return {
    timers: { absentAfter: o.absentAfter ?? 80, recall: o.recall ?? 30, park: o.park ?? 120, leaseTtl: 5 },
    classes: [
      { id: 'external', priority: 5 }, { id: 'internal', priority: 4 }, { id: 'recall', priority: 7 },
      { id: 'dnd', priority: 5 }, { id: 'wakeup-failed', priority: 8 },
    ],
    attendants: ATTENDANTS,
    groups: [
      {
        id: 'operators', name: 'Main switchboard', members: o.members ?? ['att1', 'att2', 'att3'],
        strategy: o.strategy ?? 'longest-idle', ringTimeout: o.ringTimeout ?? 15, waiting: { music: 'default' },
        table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } },
        fallback: { type: 'extension', number: '2000' },
        ...o.group,
      },
      ...(o.groups ?? []),
    ],
    // the site's extensions are the default plan's (2-4 digits); outside numbers go through the trunk after its 0
    numbering: { external: [{ prefix: '0', role: 'operator', name: 'outside line' }] },
    ...o.extra,
  };
}
