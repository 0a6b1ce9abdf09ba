// The deployment kit read the way Asterisk would read it: every name the controller and the
// configuration use must exist in the dialplan and the PJSIP objects, and no secret is written down.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { applyEnv, FEATURE_NAMES, loadConfigFile, parseConfig, type Config } from '../../lib/config.ts';
import { featureContext } from '../../lib/calls/phone/dialplan.ts';
import { DND_CLASS, dndDevice } from '../../lib/calls/services/dnd.ts';
import { mailboxOf } from '../../lib/calls/services/messages.ts';
import { WAKEUP_ALERT_CONTEXT, WAKEUP_FAILED_CLASS } from '../../lib/calls/services/wakeup.ts';
import { FEATURE_ARG } from '../../lib/calls/services/wakeup-phone.ts';
import {
  extensionOf, findExtension, findHint, isDynamic, jumpsOf, parseConf, parseDialplan, prop, readConf, readConfDir,
  resolveObjects, section, splitArgs, value, type ConfFile, type DialplanContext, type Priority,
} from './conf-reader.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const at = (...p: string[]) => join(root, ...p);

const example = loadConfigFile(at('config/example.yaml'), {});
// the compose stack's configuration takes its secrets from the environment
const dockerConfig = parseConfig(applyEnv(parseYaml(readFileSync(at('docker/attendant.yaml'), 'utf8')), {
  ATTENDANT_ARI_PASSWORD: 'x', ATTENDANT_AMI_HOST: 'asterisk', ATTENDANT_AMI_USER: 'attendant', ATTENDANT_AMI_PASSWORD: 'x',
}));
const configs: Array<[string, Config]> = [['config/example.yaml', example], ['docker/attendant.yaml', dockerConfig]];

const dialplanFiles = readConfDir(at('dialplan'));
const confFiles = readConfDir(at('asterisk-conf'));
const contexts = parseDialplan(dialplanFiles.filter((f) => !f.path.endsWith('attendant_globals.conf')));
const globals = new Map(readConf(at('dialplan/attendant_globals.conf')).preamble.map((e) => [e.key, e.value]));
const pjsipFiles = confFiles.filter((f) => /\/pjsip(_[a-z]+)?\.conf$/.test(f.path) && !f.path.endsWith('pjsip_notify.conf'));
const pjsip = resolveObjects(pjsipFiles);
const conf = (name: string): ConfFile => {
  const f = confFiles.find((c) => c.path.endsWith(`/${name}`));
  assert.ok(f, `asterisk-conf/${name} exists`);
  return f;
};
const endpoint = (name: string) => pjsip.find((o) => o.type === 'endpoint' && o.name === name);
const objectOf = (type: string, name: string) => pjsip.find((o) => o.type === type && o.name === name);
const resource = (device: string) => device.replace(/^PJSIP\//i, '');

const allPriorities: Priority[] = [...contexts.values()].flatMap((c) => c.priorities);
/** a priority that hands a feature to the controller, Stasis(<app>,feature,<name>[,<argument>]): [name, argument?] */
function featureOf(p: Priority): string[] | undefined {
  if (p.app !== 'Stasis') return undefined;
  const [, verb, ...rest] = splitArgs(p.args);
  return verb === FEATURE_ARG ? rest : undefined;
}
/** contexts some Gosub enters */
const contextsGosubbedInto = new Set(allPriorities.filter((p) => p.app === 'Gosub' || p.app === 'GosubIf').flatMap(jumpsOf).map((j) => j.context));
const stasisCalls = allPriorities.filter((p) => p.app === 'Stasis');

const PLACEHOLDER = /^\$\{[A-Z][A-Z0-9_]*\}$/;

describe('deployment kit: dialplan', () => {
  it('given the contexts the controller continues calls to, then each exists and takes the numbers of the configuration', () => {
    for (const [name, cfg] of configs) {
      assert.ok(contexts.has(cfg.asterisk.context), `${name}: asterisk.context "${cfg.asterisk.context}" is a dialplan context`);
      for (const g of cfg.groups) {
        for (const dest of [...Object.values(g.table), g.fallback]) {
          if (dest?.type === 'extension') {
            const ctx = dest.context ?? cfg.asterisk.context;
            assert.ok(findExtension(contexts, ctx, dest.number), `${name}: ${dest.number}@${ctx} (group ${g.id}) is reachable`);
          }
          if (dest?.type === 'voicemail') assert.ok(findExtension(contexts, 'attendant-voicemail', dest.mailbox), `${name}: mailbox ${dest.mailbox}@attendant-voicemail`);
        }
      }
    }
    assert.equal(example.asterisk.context, 'attendant-out', 'the configuration default is attendant-out');
    assert.ok(findExtension(contexts, 'attendant-announcement', 's'), 'announcements start at s@attendant-announcement');
  });

  it('given every Goto, Gosub, Local/ dial and include, then the context it names exists and a label it names is in its extension', () => {
    for (const ctx of contexts.values()) {
      for (const inc of ctx.includes) assert.ok(contexts.has(inc), `[${ctx.name}] includes unknown context "${inc}"`);
    }
    let checked = 0;
    for (const p of allPriorities) {
      for (const j of jumpsOf(p)) {
        const where = `${p.file}:${p.line}`;
        const ctxName = j.context ?? p.context;
        if (isDynamic(ctxName)) continue;
        const ctx = contexts.get(ctxName);
        assert.ok(ctx, `${where}: ${p.app} to unknown context "${ctxName}"`);
        checked++;
        if (!j.context && !j.exten && !/^\d+$/.test(j.priority)) {
          const labels = extensionOf(contexts.get(p.context)!, p.exten).map((q) => q.label);
          assert.ok(labels.includes(j.priority), `${where}: label "${j.priority}" is not in ${p.exten}@${p.context}`);
        }
        if (j.exten && !isDynamic(j.exten)) assert.ok(findExtension(contexts, ctxName, j.exten), `${where}: ${j.exten}@${ctxName} does not exist`);
      }
    }
    assert.ok(checked > 20, `the jumps were read (${checked})`);
  });

  it('given every Stasis() in the dialplan, then its app name is asterisk.ari.app and a literal class or group is one the configuration knows', () => {
    assert.ok(stasisCalls.length >= 2, 'stasisCalls.length >= 2');
    const classes = new Set([...example.classes.map((c) => c.id), 'feature']);
    const groups = new Set(example.groups.map((g) => g.id));
    for (const p of stasisCalls) {
      const [app, cls, group] = splitArgs(p.args);
      assert.equal(app, example.asterisk.ari.app, `${p.file}:${p.line}`);
      if (cls && !isDynamic(cls)) assert.ok(classes.has(cls), `${p.file}:${p.line}: class "${cls}"`);
      if (cls && !isDynamic(cls) && cls !== 'feature' && group && !isDynamic(group)) assert.ok(groups.has(group), `${p.file}:${p.line}: group "${group}"`);
    }
    // the calls: Gosub(attendant-enter,s,1(<class>,<group>))
    const entries = allPriorities.flatMap((p) => jumpsOf(p).filter((j) => j.context === 'attendant-enter').map((j) => ({ p, args: j.args ?? [] })));
    assert.ok(entries.length >= 5, 'entries.length >= 5');
    const seenClasses = new Set<string>();
    for (const { p, args } of entries) {
      const [cls, group] = args;
      assert.ok(cls && classes.has(cls), `${p.file}:${p.line}: class "${cls}"`);
      seenClasses.add(cls);
      if (group && !isDynamic(group)) assert.ok(groups.has(group), `${p.file}:${p.line}: group "${group}"`);
    }
    assert.deepEqual([...seenClasses].sort(), ['dnd', 'external', 'internal', 'recall']);
  });

  it('given a trunk call, an internal 0 and a diverted call, then each reaches Stasis with its class', () => {
    const classOf = (context: string, dialled: string) => {
      const ext = findExtension(contexts, context, dialled);
      assert.ok(ext, `${dialled}@${context}`);
      const j = ext.flatMap(jumpsOf).find((t) => t.context === 'attendant-enter');
      return j?.args?.[0];
    };
    assert.equal(classOf('attendant-incoming', '0155512000'), 'external');
    assert.equal(classOf('attendant-incoming', '+33155512000'), 'external');
    assert.equal(classOf('attendant-incoming', 's'), 'external');
    assert.equal(classOf('attendant-incoming', '0155512099'), 'external');
    assert.equal(classOf('attendant-internal', '0'), 'internal');
    assert.equal(classOf('default', '0'), 'internal');
    assert.equal(classOf('attendant-out', '201'), 'recall');
    assert.equal(classOf('attendant-recall', 'operators'), 'recall');
  });

  it('given Stasis() returns (controller down: STASISSTATUS=FAILED), then the next priority checks STASISSTATUS and the call still rings sets then voicemail', () => {
    for (const p of stasisCalls) {
      const ext = extensionOf(contexts.get(p.context)!, p.exten);
      const next = ext[ext.indexOf(p) + 1];
      // a feature code has nothing to fall back to: whatever the outcome, the set hears congestion
      if (featureOf(p)) {
        assert.equal(next?.app, 'Congestion', `${p.file}:${p.line}: congestion after a feature code's Stasis()`);
        continue;
      }
      assert.ok(next && /^(GotoIf|ExecIf|GosubIf)$/.test(next.app) && next.args.includes('${STASISSTATUS}'), `${p.file}:${p.line}: no STASISSTATUS check after Stasis()`);
      assert.ok(next.args.includes('FAILED'), 'next.args.includes(\'FAILED\')');
    }
    // the call entry: both outcomes lead to the fallback
    const enter = extensionOf(contexts.get('attendant-enter')!, 's');
    const toFallback = enter.filter((p) => jumpsOf(p).some((j) => j.context === 'attendant-fallback'));
    assert.equal(toFallback.length, 2, 'released and controller-down both go to [attendant-fallback]');
    const fallback = extensionOf(contexts.get('attendant-fallback')!, 's');
    const apps = fallback.map((p) => p.app);
    assert.ok(apps.indexOf('Dial') >= 0 && apps.indexOf('Dial') < apps.indexOf('VoiceMail'), 'Dial before VoiceMail');
    // app_voicemail may be absent (the message lamps exclude it): every VoiceMail() is guarded, so no caller is dropped
    for (const ctx of ['attendant-fallback', 'attendant-voicemail']) {
      const steps = contexts.get(ctx)!.priorities;
      const vm = steps.findIndex((p) => p.app === 'VoiceMail');
      assert.ok(vm > 0 && steps.slice(0, vm).some((p) => p.app === 'GotoIf' && p.args.includes('IFMODULE(app_voicemail.so)')), `${ctx}: VoiceMail() guarded by IFMODULE`);
    }
    assert.ok(fallback.some((p) => p.app === 'Dial' && p.args.includes('${ATT_FB_DIAL}')), 'fallback.some((p) => p.app === \'Dial\' && p.args.includes(\'${ATT_FB_DIAL}\'))');
  });

  it('given the fallback globals, then they ring attendant sets of the configuration and a mailbox voicemail.conf has', () => {
    const devices = new Set(example.attendants.map((a) => a.device));
    const dials = [...globals].filter(([k]) => k.startsWith('ATT_FALLBACK_DIAL'));
    assert.ok(dials.length >= 1, 'dials.length >= 1');
    for (const [k, v] of dials) {
      for (const d of v.split('&')) {
        assert.ok(devices.has(d), `${k}: ${d} is an attendant device`);
        assert.ok(endpoint(resource(d)), `${k}: ${d} is a PJSIP endpoint`);
      }
    }
    for (const [k] of globals) {
      const group = /^ATT_FALLBACK_(?:DIAL|MAILBOX)_(.+)$/.exec(k)?.[1];
      if (group) assert.ok(example.groups.some((g) => g.id === group), `${k}: group "${group}"`);
    }
    assert.ok(example.groups.some((g) => g.id === globals.get('ATT_DEFAULT_GROUP')), 'ATT_DEFAULT_GROUP is a group');
    const vm = conf('voicemail.conf');
    for (const [k, v] of globals) {
      if (!k.startsWith('ATT_FALLBACK_MAILBOX') || !v) continue;
      const [box, ctx = 'default'] = v.split('@');
      assert.ok(value(section(vm, ctx), box!), `${k}: mailbox ${v} in voicemail.conf`);
    }
    // every ${ATT_*} the dialplan reads is set globally, or on the channel by the dialplan or the controller
    const setOnChannel = new Set(['ATT_CLASS', 'ATT_GROUP', 'ATT_FALLBACK_REASON', 'ATT_FB_DIAL', 'ATT_FB_MAILBOX', 'ATT_SOUND', 'ATT_PAST_DND']);
    const text = readFileSync(at('dialplan/extensions_attendant.conf'), 'utf8');
    for (const m of text.matchAll(/\$\{(ATT_[A-Z_]+)\}/g)) {
      assert.ok(globals.has(m[1]!) || setOnChannel.has(m[1]!), `\${${m[1]}} is defined`);
    }
  });

  it('given every attendant of the configuration, then there is a Stasis:<id> hint where its set subscribes, and queue/night hints for every group', () => {
    for (const [name, cfg] of configs) {
      for (const a of cfg.attendants) {
        const ep = endpoint(resource(a.device));
        assert.ok(ep, `${name}: ${a.device} has a PJSIP endpoint`);
        const subscribeContext = prop(ep, 'subscribe_context');
        assert.ok(subscribeContext && contexts.has(subscribeContext), `${name}: subscribe_context of ${a.device}`);
        assert.equal(findHint(contexts, subscribeContext, a.id), `Stasis:${a.id}`, `${name}: hint ${a.id}@${subscribeContext}`);
        for (const other of cfg.attendants) assert.equal(findHint(contexts, subscribeContext, other.id), `Stasis:${other.id}`);
      }
      const hintsContext = prop(endpoint(resource(cfg.attendants[0]!.device)), 'subscribe_context')!;
      for (const g of cfg.groups) {
        assert.equal(findHint(contexts, hintsContext, `queue-${g.id}`), `Stasis:queue-${g.id}`);
        assert.equal(findHint(contexts, hintsContext, `night-${g.id}`), `Stasis:night-${g.id}`);
      }
      assert.ok(findHint(contexts, hintsContext, 'park-1')?.startsWith('Stasis:park-'), 'findHint(contexts, hintsContext, \'park-1\')?.startsWith(\'Stasis:park-\')');
    }
  });

  it('given the supervised extensions of the compose configuration, then the demo site has their hints in their context', () => {
    for (const e of dockerConfig.supervision.extensions) {
      assert.ok(findHint(contexts, e.context, e.number), `hint ${e.number}@${e.context}`);
      // and the sets see the same lamp through attendant-hints
      assert.ok(findHint(contexts, 'attendant-hints', e.number), `${e.number} via attendant-hints`);
    }
  });

  it('given the default feature codes, then [attendant-features] is exactly what `attendant feature-codes` prints for them', () => {
    const text = readFileSync(at('dialplan/extensions_attendant.conf'), 'utf8');
    assert.ok(text.includes(featureContext(example.phone.featureCodes)), 'the shipped context matches phone.featureCodes defaults');
  });

  it('given the attendant sets\' keys and codes, then every feature they hand over is one the controller handles', () => {
    const handled = new Set<string>([...FEATURE_NAMES, 'night-toggle']);
    // room phones' features (wake-up booking) are handled apart
    const roomPhones = new Set(['wakeup-set', 'wakeup-cancel']);
    let seen = 0;
    for (const name of ['attendant-features', 'attendant-hints']) {
      for (const p of contexts.get(name)!.priorities) {
        for (const feature of featureOf(p)?.slice(0, 1) ?? []) {
          if (roomPhones.has(feature)) continue;
          assert.ok(handled.has(feature), `${p.file}:${p.line}: feature "${feature}"`);
          seen++;
        }
      }
    }
    assert.ok(seen >= 15, `the features were read (${seen})`);
  });

  it('given the hotel DND Gosub, then it tests the device state the controller publishes and sends a DND\'d call to Stasis as class dnd with the extension', () => {
    const dnd = extensionOf(contexts.get('attendant-dnd')!, 's');
    // what the controller dials (attendant-dial) goes past the check
    assert.ok(dnd[0]!.app === 'GotoIf' && dnd[0]!.args.includes('${ATT_PAST_DND}') && dnd[0]!.args.endsWith('?free'), `${dnd[0]!.file}:${dnd[0]!.line}: skips the check past DND`);
    const test = dnd[1]!;
    assert.equal(test.app, 'GotoIf');
    assert.ok(test.args.includes(`\${DEVICE_STATE(${dndDevice('${ARG1}')})}`) && test.args.includes('"BUSY"'), `${test.file}:${test.line}: tests ${dndDevice('<ext>')}`);
    assert.equal(dnd[2]!.app, 'Return', 'a free extension returns at once');
    const enter = dnd.flatMap(jumpsOf).find((j) => j.context === 'attendant-enter');
    assert.deepEqual([enter?.args?.[0], enter?.args?.[2]], [DND_CLASS, '${ARG1}']);
    assert.ok(example.classes.some((c) => c.id === DND_CLASS), 'config/example.yaml has the dnd class');
    // attendant-enter hands the extension on as the third Stasis argument
    const stasis = extensionOf(contexts.get('attendant-enter')!, 's').find((p) => p.app === 'Stasis')!;
    assert.deepEqual(splitArgs(stasis.args).slice(1), ['${ARG1}', '${ARG2}', '${ARG3}']);
    // the demo site checks before it rings a room
    for (const room of ['200', '201', '202']) {
      const ext = findExtension(contexts, 'default', room)!;
      const gosub = ext.findIndex((p) => jumpsOf(p).some((j) => j.context === 'attendant-dnd'));
      assert.ok(gosub >= 0 && gosub < ext.findIndex((p) => p.app === 'Dial'), `${room}@default: attendant-dnd before Dial`);
    }
  });

  it('given the wake-up codes of a room phone and the alert of an unanswered wake-up, then the names agree with the controller', () => {
    const set = findExtension(contexts, 'attendant-internal', '*560730')!.map(featureOf).find(Boolean);
    assert.deepEqual(set, ['wakeup-set', '${EXTEN:3}']);
    const cancel = findExtension(contexts, 'attendant-internal', '*57')!.map(featureOf).find(Boolean);
    assert.deepEqual(cancel, ['wakeup-cancel']);
    const alert = findExtension(contexts, WAKEUP_ALERT_CONTEXT, '201');
    assert.ok(alert, `201@${WAKEUP_ALERT_CONTEXT}: the controller originates Local/<room>@${WAKEUP_ALERT_CONTEXT}`);
    assert.equal(alert[0]!.app, 'Answer', 'the ;1 half enters Stasis once the ;2 half answers');
    assert.ok(!alert.some((p) => p.app === 'Stasis' || p.app === 'Hangup'), 'the alert plays until the operator hangs up');
    assert.ok(example.classes.some((c) => c.id === WAKEUP_FAILED_CLASS), 'config/example.yaml has the wakeup-failed class');
  });

  it('given the demo rooms, then each phone shows the message lamp of the ARI mailbox the desk sets, and the modules for it are loaded but not required', () => {
    for (const room of ['200', '201', '202']) {
      const ep = endpoint(`ext${room}`);
      assert.equal(prop(ep, 'mailboxes'), mailboxOf(room), `ext${room}: mailboxes=${mailboxOf(room)}`);
    }
    const entries = section(conf('modules.conf'), 'modules')!.entries;
    const mods = (key: string) => entries.filter((e) => e.key === key).map((e) => e.value);
    assert.ok(mods('require').includes('res_stasis_playback.so'), 'res_stasis_playback.so is required');
    // loaded, not required: they are off in a default build, and a voicemail site noloads them; Asterisk must start either way
    for (const m of ['res_mwi_external.so', 'res_stasis_mailbox.so', 'res_ari_mailboxes.so']) {
      assert.ok(mods('load').includes(m), `${m} is loaded`);
      assert.ok(!mods('require').includes(m), `${m} is not required`);
    }
  });

  it('given the feature codes, then each hands a named feature to the controller', () => {
    const features = contexts.get('attendant-features')!;
    const codes = [...new Set(features.priorities.map((p) => p.exten))];
    assert.ok(codes.includes('*50'), '*50 logs in');
    for (const code of codes) {
      const first = extensionOf(features, code)[0]!;
      assert.ok(featureOf(first)?.[0], `${code} names a feature`);
      assert.equal(extensionOf(features, code)[1]?.app, 'Congestion', `${code}: no controller, congestion`);
    }
  });

  it('given every feature code and key, then Stasis runs in the code\'s own extension (never in a Gosub), so the channel keeps the dialling phone\'s context', () => {
    let seen = 0;
    for (const ctx of contexts.values()) {
      for (const p of ctx.priorities) {
        if (!featureOf(p)) continue;
        seen++;
        assert.ok(!/^s$/.test(p.exten) && !contextsGosubbedInto.has(ctx.name), `${p.file}:${p.line}: ${ctx.name} is not a Gosub target`);
      }
    }
    assert.ok(seen >= 20, `the feature entries were read (${seen})`);
  });
});

describe('deployment kit: Asterisk configuration', () => {
  it('given ari.conf, then its user is asterisk.ari.user with a placeholder password, and http.conf serves the port of asterisk.ari.url', () => {
    const ari = conf('ari.conf');
    assert.equal(value(section(ari, 'general'), 'enabled'), 'yes');
    for (const [name, cfg] of configs) {
      const user = section(ari, cfg.asterisk.ari.user);
      assert.ok(user, `${name}: [${cfg.asterisk.ari.user}] in ari.conf`);
      assert.equal(value(user, 'type'), 'user');
      assert.match(value(user, 'password') ?? '', PLACEHOLDER);
      const http = section(conf('http.conf'), 'general');
      assert.equal(value(http, 'enabled'), 'yes');
      assert.equal(value(http, 'bindport'), new URL(cfg.asterisk.ari.url).port || '80', `${name}: ARI port`);
    }
  });

  it('given manager.conf, then the AMI user has a placeholder secret, an ACL, and only the classes supervision needs', () => {
    const manager = conf('manager.conf');
    assert.equal(value(section(manager, 'general'), 'enabled'), 'yes');
    assert.equal(value(section(manager, 'general'), 'port'), '5038');
    const user = section(manager, dockerConfig.asterisk.ami!.user);
    assert.ok(user, `[${dockerConfig.asterisk.ami!.user}] in manager.conf`);
    assert.match(value(user, 'secret') ?? '', PLACEHOLDER);
    const classes = (k: string) => (value(user, k) ?? '').split(',').map((c) => c.trim()).filter(Boolean);
    assert.deepEqual(classes('read').sort(), ['call', 'system'], 'read: call (ExtensionStatus, DeviceStateChange) and system (ContactStatus, PeerStatus)');
    for (const c of classes('write')) assert.ok(['system', 'call', 'reporting'].includes(c), `write class "${c}" is more than supervision needs`);
    assert.ok(classes('write').includes('call'), 'classes(\'write\').includes(\'call\')');
    assert.equal(user.entries.find((e) => e.key === 'deny' || e.key === 'permit')?.key, 'deny', 'deny everything first, then permit');
    const filters = user.entries.filter((e) => e.key.startsWith('eventfilter')).map((e) => /name\((\w+)\)/.exec(e.key)?.[1]);
    // exactly what supervision reads (lib/asterisk/ami.ts): every other event would be sent, read and dropped
    assert.deepEqual(filters.sort(), ['ContactStatus', 'DeviceStateChange', 'ExtensionStatus', 'FullyBooted', 'PeerStatus'], 'the events that pass the filter');
  });

  it('given modules.conf, then only listed modules load (autoload=no), the Stasis, ARI and PJSIP modules the controller needs are required and none is noloaded', () => {
    const mods = section(conf('modules.conf'), 'modules')!;
    assert.equal(value(mods, 'autoload'), 'no', 'nothing loads that the site does not list');
    // every dialplan function and application of the shipped dialplan has its module listed
    const listed = mods.entries.filter((e) => e.key === 'require' || e.key === 'load').map((e) => e.value);
    for (const m of ['func_devstate.so', 'func_module.so', 'func_dialplan.so', 'func_callerid.so', 'app_stack.so', 'app_exec.so', 'app_playback.so', 'app_dial.so',
      'res_pjsip_refer.so', 'res_rtp_asterisk.so', 'chan_bridge_media.so', 'res_timing_timerfd.so', 'res_pjsip_sdp_rtp.so', 'format_wav.so']) {
      assert.ok(listed.includes(m), `${m} is listed`);
    }
    const required = mods.entries.filter((e) => e.key === 'require' || e.key === 'load').map((e) => e.value);
    const noload = mods.entries.filter((e) => e.key === 'noload').map((e) => e.value);
    for (const m of ['res_ari.so', 'res_stasis.so', 'res_stasis_snoop.so', 'res_stasis_device_state.so', 'app_stasis.so', 'chan_pjsip.so',
      'res_ari_channels.so', 'res_ari_bridges.so', 'res_ari_device_states.so', 'res_pjsip.so', 'res_pjsip_session.so',
      'res_pjsip_exten_state.so', 'res_pjsip_header_funcs.so', 'res_pjsip_notify.so', 'res_manager_devicestate.so', 'res_http_websocket.so']) {
      assert.ok(required.includes(m), `${m} is required`);
    }
    assert.ok(required.filter((m) => m.startsWith('res_ari_')).length >= 8, 'the res_ari_* resources');
    for (const m of required) assert.ok(!noload.includes(m), `${m} is both required and noloaded`);
    assert.ok(!required.includes('chan_local.so'), 'Local channels are in the core: requiring chan_local.so would stop Asterisk');
    // res_pjsip_notify declines to load without its file
    assert.ok(conf('pjsip_notify.conf').sections.length > 0, 'conf(\'pjsip_notify.conf\').sections.length > 0');
  });

  it('given the shipped files, then they are safe by default: ARI and AMI on loopback unless told, a hashed ARI password, AMI without system, the trunk only by its address', () => {
    const entry = readFileSync(at('docker/asterisk-entrypoint.sh'), 'utf8');
    const defaultOf = (name: string) => new RegExp(`: "\\$\\{${name}:=([^}]*)\\}"`).exec(entry)?.[1];
    assert.equal(value(section(conf('http.conf'), 'general'), 'bindaddr'), '${ATTENDANT_ARI_BIND}');
    assert.equal(defaultOf('ATTENDANT_ARI_BIND'), '127.0.0.1', 'ARI on loopback by default');
    const ami = conf('manager.conf');
    assert.equal(value(section(ami, 'general'), 'bindaddr'), '${ATTENDANT_AMI_BIND}');
    assert.equal(defaultOf('ATTENDANT_AMI_BIND'), '127.0.0.1', 'AMI on loopback by default');
    const user = section(ami, 'attendant')!;
    const write = (value(user, 'write') ?? '').split(',');
    for (const cls of ['system', 'command', 'originate', 'config', 'all']) assert.ok(!write.includes(cls), `AMI write has no ${cls}`);
    assert.deepEqual(user.entries.filter((e) => e.key === 'permit').map((e) => e.value), ['127.0.0.1/255.255.255.255', '${ATTENDANT_AMI_PERMIT}']);
    const ariUser = section(conf('ari.conf'), 'attendant')!;
    assert.equal(value(ariUser, 'password_format'), 'crypt');
    assert.equal(value(ariUser, 'password'), '${ATTENDANT_ARI_PASSWORD_CRYPT}');
    const trunk = endpoint('pstn')!;
    assert.equal(prop(trunk, 'identify_by'), 'ip', 'the trunk is never taken by a From user name');
    assert.equal(prop(objectOf('identify', 'pstn-identify')!, 'match'), '${ATTENDANT_TRUNK_HOST}');
    assert.equal(prop(objectOf('identify', 'pstn-identify')!, 'endpoint'), 'pstn');
  });

  it('given pjsip_attendant.conf, then each attendant set is an endpoint with auth and aor, subscribing to hints, entering attendant-sets', () => {
    const tplNames = pjsipFiles.flatMap((f) => f.sections.filter((s) => s.template).map((s) => s.name));
    assert.ok(tplNames.includes('attendant-set'), 'an [attendant-set](!) template');
    for (const [name, cfg] of configs) {
      for (const a of cfg.attendants) {
        const ep = endpoint(resource(a.device))!;
        assert.equal(prop(ep, 'allow_subscribe'), 'yes', `${name}: ${a.id} may subscribe`);
        assert.ok(contexts.has(prop(ep, 'context')!), `${name}: context of ${a.id}`);
        const auth = objectOf('auth', prop(ep, 'auth') ?? '');
        assert.ok(auth, `${name}: auth of ${a.id}`);
        assert.match(prop(auth, 'password') ?? '', PLACEHOLDER);
        assert.ok(objectOf('aor', prop(ep, 'aors') ?? ''), `${name}: aor of ${a.id}`);
      }
      for (const g of cfg.groups) if (g.nightBell) assert.ok(endpoint(resource(g.nightBell.device)), `${name}: night bell ${g.nightBell.device}`);
      for (const t of cfg.supervision.trunks) {
        const ep = endpoint(resource(t.endpoint));
        assert.ok(ep, `${name}: trunk ${t.endpoint}`);
        assert.equal(prop(ep, 'context'), 'attendant-incoming');
        assert.ok(prop(objectOf('aor', prop(ep, 'aors') ?? ''), 'qualify_frequency'), 'the trunk is qualified (its lamp needs it)');
      }
    }
    for (const ep of pjsip.filter((o) => o.type === 'endpoint')) {
      assert.ok(contexts.has(prop(ep, 'context') ?? ''), `endpoint ${ep.name}: context "${prop(ep, 'context')}" exists`);
      const sub = prop(ep, 'subscribe_context');
      if (sub) assert.ok(contexts.has(sub), `endpoint ${ep.name}: subscribe_context`);
      for (const k of ['auth', 'outbound_auth']) {
        const ref = prop(ep, k);
        if (ref) assert.ok(objectOf('auth', ref), `endpoint ${ep.name}: ${k}=${ref}`);
      }
    }
    const text = readFileSync(at('asterisk-conf/pjsip_attendant.conf'), 'utf8');
    assert.ok(text.includes('PJSIP_HEADER(add,Call-Info)') && text.includes('answer-after=0'), 'the auto-answer header is documented');
  });

  it('given musiconhold.conf, then every music class a group waits with exists', () => {
    const moh = conf('musiconhold.conf');
    for (const [, cfg] of configs) {
      for (const g of cfg.groups) {
        if (typeof g.waiting === 'object') assert.ok(section(moh, g.waiting.music), `[${g.waiting.music}] for group ${g.id}`);
      }
    }
  });

  it('given every file of asterisk-conf and dialplan, then no password, secret or PIN is written in clear', () => {
    const secretKey = /^(password|secret|md5_cred|password_digest|oauth_secret|refresh_token)$/i;
    let secrets = 0;
    for (const f of [...confFiles, ...dialplanFiles]) {
      for (const e of [...f.preamble, ...f.sections.flatMap((s) => s.entries)]) {
        if (secretKey.test(e.key)) {
          secrets++;
          assert.match(e.value, PLACEHOLDER, `${f.path}:${e.line}: ${e.key} must be a placeholder`);
        }
      }
    }
    assert.ok(secrets >= 8, `passwords found and checked (${secrets})`);
    for (const s of conf('voicemail.conf').sections.filter((x) => x.name !== 'general')) {
      for (const e of s.entries) assert.match(e.value.split(',')[0]!, PLACEHOLDER, `voicemail ${e.key}: PIN placeholder`);
    }
    // the dialplan asks for no secret at all
    for (const f of dialplanFiles) assert.doesNotMatch(readFileSync(f.path, 'utf8'), /\$\{ATTENDANT_/, `${f.path} reads no secret`);
  });

  it('given the conf reader, then it reads templates, => entries, escaped semicolons and block comments', () => {
    const f = parseConf('[a](!)\nx = 1 ; c\n;-- block\n y = 2 --;\n;--- not a block\n[b](a,c)\nEvent=>check\\;r=1\n[c](+)\n');
    assert.deepEqual(f.sections.map((s) => [s.name, s.template, s.inherits, s.append]), [['a', true, [], false], ['b', false, ['a', 'c'], false], ['c', false, [], true]]);
    assert.deepEqual(f.sections[0]!.entries.map((e) => [e.key, e.value]), [['x', '1']]);
    assert.deepEqual(f.sections[1]!.entries.map((e) => [e.key, e.op, e.value]), [['Event', '=>', 'check;r=1']]);
    const dp = parseDialplan([parseConf('[x]\nexten => _X.,1,GotoIf($["${A}" = "1"]?l:x,2,1)\n same => n(l),Gosub(y,s,1(a,${B:1}))\n')]) as Map<string, DialplanContext>;
    const [p1, p2] = dp.get('x')!.priorities;
    assert.deepEqual(jumpsOf(p1!).map((j) => [j.context, j.exten, j.priority]), [[undefined, undefined, 'l'], ['x', '2', '1']]);
    assert.deepEqual(jumpsOf(p2!)[0], { context: 'y', exten: 's', priority: '1', args: ['a', '${B:1}'] });
  });
});
