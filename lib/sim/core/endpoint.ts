// A scripted phone (PJSIP endpoint) or a dialplan stand-in (Local/exten@context) and its Endpoint JSON.
import type { Behaviour } from '../types.ts';

export interface EndpointJson {
  technology: string;
  resource: string;
  state: 'online' | 'offline' | 'unknown';
  channel_ids: string[];
}

export class SimEndpoint {
  readonly technology: string;
  readonly resource: string;
  readonly channelIds = new Set<string>();
  /** a Local target the site's dialplan resolves (no stand-in of its own) */
  viaDialplan = false;
  /** ... and the endpoint behind its number, when the site has the number */
  target: SimEndpoint | undefined;

  constructor(
    readonly name: string,
    public behaviour: Behaviour,
    public context: string,
  ) {
    const slash = name.indexOf('/');
    this.technology = name.slice(0, slash);
    this.resource = name.slice(slash + 1);
  }

  /** Local targets are dialplan, not endpoints: ARI does not list them */
  get listed(): boolean {
    return this.technology !== 'Local';
  }

  get online(): boolean {
    return this.behaviour.kind !== 'offline';
  }

  toJson(): EndpointJson {
    return {
      technology: this.technology,
      resource: this.resource,
      state: this.online ? 'online' : 'offline',
      channel_ids: [...this.channelIds],
    };
  }
}

