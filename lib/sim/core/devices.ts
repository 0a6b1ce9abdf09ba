// Custom device states (Stasis:<name>) and external mailboxes, as res_stasis_device_state and
// res_stasis_mailbox handle them.
import type { SimCore } from './core.ts';
import { AriError } from './errors.ts';

export const DEVICE_STATES = ['UNKNOWN', 'NOT_INUSE', 'INUSE', 'BUSY', 'INVALID', 'UNAVAILABLE', 'RINGING', 'RINGINUSE', 'ONHOLD'] as const;
const PREFIX = 'Stasis:';

function controlledName(name: string): string {
  if (name.slice(0, PREFIX.length).toLowerCase() !== PREFIX.toLowerCase()) throw new AriError(409, 'Uncontrolled device specified');
  const rest = name.slice(PREFIX.length);
  if (rest === '') throw new AriError(404, 'Device name is missing');
  return `${PREFIX}${rest}`;
}

/** ast_devstate_val: case-insensitive; anything else (UNKNOWN included) counts as unknown */
function parseState(value: string | undefined): string | undefined {
  const upper = (value ?? '').toUpperCase();
  return upper !== 'UNKNOWN' && (DEVICE_STATES as readonly string[]).includes(upper) ? upper : undefined;
}

/** what a device is in now: custom ones from their stored value, PJSIP ones from their calls */
export function deviceState(core: SimCore, name: string): string {
  if (name.slice(0, PREFIX.length).toLowerCase() === PREFIX.toLowerCase()) return core.deviceStates.get(`${PREFIX}${name.slice(PREFIX.length)}`) ?? 'UNKNOWN';
  const ep = core.endpoints.get(name);
  if (!ep || !ep.listed) return 'INVALID';
  if (!ep.online) return 'UNAVAILABLE';
  const states = [...ep.channelIds].map((id) => core.channels.get(id)?.state);
  if (states.includes('Ringing')) return states.includes('Up') ? 'RINGINUSE' : 'RINGING';
  return states.length > 0 ? 'INUSE' : 'NOT_INUSE';
}

function publish(core: SimCore, name: string, state: string): void {
  core.emit('DeviceStateChanged', () => ({ device_state: { name, state } }), { device: name });
}

export function updateDeviceState(core: SimCore, rawName: string, value: string | undefined): void {
  const name = controlledName(rawName);
  const state = parseState(value);
  if (!state) throw new AriError(500, 'Unknown device');
  const before = core.deviceStates.get(name) ?? 'UNKNOWN';
  core.deviceStates.set(name, state);
  // the aggregate state is published only when it changes
  if (before !== state) publish(core, name, state);
}

export function deleteDeviceState(core: SimCore, rawName: string): void {
  const name = controlledName(rawName);
  const before = core.deviceStates.get(name);
  if (before === undefined) return;
  core.deviceStates.delete(name);
  if (before !== 'UNKNOWN') publish(core, name, 'UNKNOWN');
}

export function mailboxJson(name: string, box: { old: number; new: number }): Record<string, unknown> {
  return { name, old_messages: box.old, new_messages: box.new };
}

export function getMailbox(core: SimCore, name: string): Record<string, unknown> {
  const box = core.mailboxes.get(name);
  if (!box) throw new AriError(404, 'Mailbox not found');
  return mailboxJson(name, box);
}
