// Entering and leaving a Stasis application, as the Stasis() dialplan application does it.
import { leaveBridge } from './bridging.ts';
import { about, setVar } from './channel-state.ts';
import { SimChannel } from './channel.ts';
import type { SimCore } from './core.ts';

/**
 * Stasis(app,args): STASISSTATUS is cleared first (heard only by an app already subscribed, as
 * for originated legs), then the app subscribes and gets StasisStart. Returns false, with
 * STASISSTATUS=FAILED, when no WebSocket holds the app (Asterisk: "app not registered/active").
 */
export function enterStasis(core: SimCore, ch: SimChannel, app: string, args: readonly string[], replaced?: SimChannel): boolean {
  ch.runApp('Stasis', SimChannel.stasisData(app, args));
  if (!core.apps.isActive(app)) {
    setVar(core, ch, 'STASISSTATUS', 'FAILED');
    ch.restoreApp();
    return false;
  }
  setVar(core, ch, 'STASISSTATUS', '');
  ch.stasisApp = app;
  ch.stasisArgs = [...args];
  core.apps.subscribe(app, 'channels', ch.id);
  core.emit('StasisStart', () => ({
    args: [...args],
    channel: ch.toJson(),
    ...(replaced ? { replace_channel: replaced.toJson() } : {}),
  }), about(ch));
  return true;
}

/** the channel leaves its app (hangup, continue, move): out of its bridge, StasisEnd, STASISSTATUS=SUCCESS */
export function exitStasis(core: SimCore, ch: SimChannel): void {
  const app = ch.stasisApp;
  if (!app) return;
  if (ch.bridge) leaveBridge(core, ch);
  core.emit('StasisEnd', () => ({ channel: ch.toJson() }), about(ch));
  core.apps.unsubscribe(app, 'channels', ch.id);
  ch.stasisApp = undefined;
  ch.stasisArgs = [];
  ch.restoreApp();
  setVar(core, ch, 'STASISSTATUS', 'SUCCESS');
}

/** appArgs as the Stasis() application splits them */
export function splitArgs(appArgs: string | undefined): string[] {
  if (appArgs === undefined || appArgs === '') return [];
  return appArgs.split(',');
}
