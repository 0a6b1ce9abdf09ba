// /deviceStates and /mailboxes operations.
import { deleteDeviceState, deviceState, getMailbox, mailboxJson, updateDeviceState, DEVICE_STATES } from '../core/devices.ts';
import { AriError } from '../core/errors.ts';
import { pathParam, queryParam } from './params.ts';
import { noContent, ok, type RouteSpec } from './route.ts';

const deviceName = pathParam('deviceName', 'Name of the device');
const mailboxName = pathParam('mailboxName', 'Name of the mailbox');

export const deviceStateRoutes: RouteSpec[] = [
  {
    resource: 'deviceStates', path: '/deviceStates', method: 'GET', nickname: 'list', summary: 'List all ARI controlled device states.', responseClass: 'List[DeviceState]', params: [],
    handle: (core) => ok([...core.deviceStates.entries()].map(([name, state]) => ({ name, state }))),
  },
  {
    resource: 'deviceStates', path: '/deviceStates/{deviceName}', method: 'GET', nickname: 'get', summary: 'Retrieve the current state of a device.', responseClass: 'DeviceState', params: [deviceName],
    handle: (core, a) => {
      const name = a.str('deviceName') ?? '';
      return ok({ name, state: deviceState(core, name) });
    },
  },
  {
    resource: 'deviceStates', path: '/deviceStates/{deviceName}', method: 'PUT', nickname: 'update', summary: 'Change the state of a device controlled by ARI.', responseClass: 'void',
    params: [deviceName, queryParam('deviceState', 'string', 'Device state value', { required: true, allowableValues: [...DEVICE_STATES] })],
    errors: [{ code: 404, reason: 'Device name is missing' }, { code: 409, reason: 'Uncontrolled device specified' }],
    handle: (core, a) => { updateDeviceState(core, a.str('deviceName') ?? '', a.str('deviceState')); return noContent(); },
  },
  {
    resource: 'deviceStates', path: '/deviceStates/{deviceName}', method: 'DELETE', nickname: 'delete', summary: 'Destroy a device-state controlled by ARI.', responseClass: 'void', params: [deviceName],
    errors: [{ code: 404, reason: 'Device name is missing' }, { code: 409, reason: 'Uncontrolled device specified' }],
    handle: (core, a) => { deleteDeviceState(core, a.str('deviceName') ?? ''); return noContent(); },
  },
];

export const mailboxRoutes: RouteSpec[] = [
  {
    resource: 'mailboxes', path: '/mailboxes', method: 'GET', nickname: 'list', summary: 'List all mailboxes.', responseClass: 'List[Mailbox]', params: [],
    handle: (core) => ok([...core.mailboxes.entries()].map(([name, box]) => mailboxJson(name, box))),
  },
  {
    resource: 'mailboxes', path: '/mailboxes/{mailboxName}', method: 'GET', nickname: 'get', summary: "Retrieve the current state of a mailbox.", responseClass: 'Mailbox', params: [mailboxName],
    errors: [{ code: 404, reason: 'Mailbox not found' }],
    handle: (core, a) => ok(getMailbox(core, a.str('mailboxName') ?? '')),
  },
  {
    resource: 'mailboxes', path: '/mailboxes/{mailboxName}', method: 'PUT', nickname: 'update', summary: 'Change the state of a mailbox. (Note - implicitly creates the mailbox).', responseClass: 'void',
    params: [mailboxName, queryParam('oldMessages', 'int', 'Count of old messages in the mailbox', { required: true }), queryParam('newMessages', 'int', 'Count of new messages in the mailbox', { required: true })],
    errors: [{ code: 404, reason: 'Mailbox not found' }],
    handle: (core, a) => {
      core.mailboxes.set(a.str('mailboxName') ?? '', { old: a.int('oldMessages') ?? 0, new: a.int('newMessages') ?? 0 });
      return noContent();
    },
  },
  {
    resource: 'mailboxes', path: '/mailboxes/{mailboxName}', method: 'DELETE', nickname: 'delete', summary: 'Destroy a mailbox.', responseClass: 'void', params: [mailboxName],
    errors: [{ code: 404, reason: 'Mailbox not found' }],
    handle: (core, a) => {
      if (!core.mailboxes.delete(a.str('mailboxName') ?? '')) throw new AriError(404, 'Mailbox not found');
      return noContent();
    },
  },
];
