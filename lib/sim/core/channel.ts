// A simulated channel and its JSON snapshot, with exactly the fields Asterisk 23 puts on a Channel.
import type { TimerHandle } from '../../domain/clock.ts';
import type { SimBridge } from './bridge.ts';

export type ChannelState = 'Down' | 'Ring' | 'Ringing' | 'Up';
export type Driver = 'PJSIP' | 'Local' | 'Snoop';

export interface Party { name: string; number: string }

/** context, extension, priority and the application running there */
export interface DialplanLocation {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

export interface ChannelJson {
  id: string;
  name: string;
  state: ChannelState;
  protocol_id: string;
  caller: Party;
  connected: Party;
  accountcode: string;
  dialplan: DialplanLocation;
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

/** what a phone's REFER asked for: a blind destination, or the call to replace (attended) */
export interface TransferRequest {
  destination: string;
  /** attended transfer: the other call of the phone, whose party should be connected */
  replacesChannelId?: string;
}

/** how an originated leg is being dialled */
export interface DialInfo {
  app?: string;
  appArgs: string[];
  /** dialplan target when originated without an app */
  context?: string;
  extension?: string;
  priority?: number;
  dialstring: string;
  timer?: TimerHandle;
  answerTimer?: TimerHandle;
}

export interface ChannelInit {
  id: string;
  name: string;
  driver: Driver;
  state: ChannelState;
  protocolId: string;
  creationtime: string;
  dialplan: DialplanLocation;
  caller?: Party;
  endpoint?: string;
}

export class SimChannel {
  readonly id: string;
  readonly name: string;
  readonly driver: Driver;
  readonly creationtime: string;
  /** `PJSIP/att1` for a PJSIP leg; Local and Snoop channels belong to no listed endpoint */
  readonly endpoint: string | undefined;
  state: ChannelState;
  protocolId: string;
  caller: Party;
  connected: Party = { name: '', number: '' };
  dialplan: DialplanLocation;
  readonly accountcode = '';
  readonly language = 'en';

  /** dialplan variables; functions like PJSIP_TRANSFER_HANDLING() live in `functions` */
  readonly vars = new Map<string, string>();
  readonly functions = new Map<string, string>();
  /** variables set with report_events, shown as `channelvars` */
  readonly reported = new Set<string>();

  bridge: SimBridge | undefined;
  role: string | undefined;
  inhibitConnectedLine = false;

  /** Stasis application the channel is in, and the dialplan app it ran before (restored at StasisEnd) */
  stasisApp: string | undefined;
  stasisArgs: string[] = [];
  private savedApp: { app_name: string; app_data: string } | undefined;

  hungUp = false;
  hangupCause = 0;
  /** reached Up at least once: it had media, so it reports RTCP figures on hangup */
  answered = false;
  originated = false;
  dial: DialInfo | undefined;
  /** the other half of a Local channel pair */
  localPeer: SimChannel | undefined;
  /** a Local ;2 half running the site's dialplan: the phone its Dial() rings */
  dialled: SimChannel | undefined;
  /** a phone rung by a Local ;2 half's Dial() (the app sees it only as the peer of Dial events) */
  dialledBy: SimChannel | undefined;
  /** for a Snoop channel, the channel it listens to */
  snoopTarget: SimChannel | undefined;
  /** for a Snoop channel, the directions asked for (spy: what it hears, whisper: where it speaks) */
  snoopDirections: { spy: string; whisper: string } | undefined;
  readonly snoops = new Set<SimChannel>();
  /** set behaviour timers (hangupAfter) */
  phoneTimer: TimerHandle | undefined;
  /** a REFER the phone sent that the app has not finished */
  pendingTransfer: TransferRequest | undefined;

  // what the app asked the channel to indicate; no event, visible in the inspection view
  ringing = false;
  onHold = false;
  moh: string | undefined;
  dtmfSent = '';

  constructor(init: ChannelInit) {
    this.id = init.id;
    this.name = init.name;
    this.driver = init.driver;
    this.state = init.state;
    this.protocolId = init.protocolId;
    this.creationtime = init.creationtime;
    this.dialplan = { ...init.dialplan };
    this.caller = init.caller ? { ...init.caller } : { name: '', number: '' };
    this.endpoint = init.endpoint;
  }

  toJson(): ChannelJson {
    const json: ChannelJson = {
      id: this.id,
      name: this.name,
      state: this.state,
      protocol_id: this.protocolId,
      caller: { ...this.caller },
      connected: { ...this.connected },
      accountcode: this.accountcode,
      dialplan: { ...this.dialplan },
      creationtime: this.creationtime,
      language: this.language,
    };
    if (this.reported.size > 0) {
      const vars: Record<string, string> = {};
      for (const name of this.reported) vars[name] = this.vars.get(name) ?? this.functions.get(name) ?? '';
      json.channelvars = vars;
    }
    return json;
  }

  /** pbx_exec: the application shows in the snapshot while it runs, then the previous one comes back */
  runApp(appName: string, appData: string): void {
    this.savedApp ??= { app_name: this.dialplan.app_name, app_data: this.dialplan.app_data };
    this.dialplan = { ...this.dialplan, app_name: appName, app_data: appData };
  }

  restoreApp(): void {
    if (!this.savedApp) return;
    this.dialplan = { ...this.dialplan, ...this.savedApp };
    this.savedApp = undefined;
  }

  /** Stasis(app,args) data as the dialplan shows it */
  static stasisData(app: string, args: readonly string[]): string {
    return [app, ...args].join(',');
  }
}

/** comparison order Asterisk uses for bridge members and snapshot lists (sorted ids) */
export function byIdAscending(a: SimChannel, b: SimChannel): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
