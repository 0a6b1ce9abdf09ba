// A small reader for Asterisk configuration files, written for the deployment tests:
// sections with templates ([name](!), [name](tpl), [name](+)), `key = value`, `key => value`,
// `;` comments (`\;` is a literal semicolon), `;-- --;` block comments, #include lines, and the
// dialplan on top of it (exten =>, same =>, include =>, hints, labels, Goto/Gosub targets).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ConfEntry { key: string; op: '=' | '=>'; value: string; line: number }
export interface ConfSection { name: string; template: boolean; append: boolean; inherits: string[]; entries: ConfEntry[]; line: number }
export interface ConfFile { path: string; preamble: ConfEntry[]; sections: ConfSection[]; includes: string[] }

/** Drop comments, keep `\;` as a literal `;`. */
function stripComment(line: string, state: { inBlock: boolean }): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (state.inBlock) {
      if (line.startsWith('--;', i)) { state.inBlock = false; i += 2; }
      continue;
    }
    const c = line[i];
    if (c === '\\' && line[i + 1] === ';') { out += ';'; i++; continue; }
    if (c === ';') {
      // `;--` opens a block comment, but `;---` (a third dash) is an ordinary comment, as in Asterisk
      if (line.startsWith(';--', i) && line[i + 3] !== '-') { state.inBlock = true; i += 2; continue; }
      break;
    }
    out += c;
  }
  return out;
}

export function parseConf(text: string, path = '(text)'): ConfFile {
  const file: ConfFile = { path, preamble: [], sections: [], includes: [] };
  const state = { inBlock: false };
  let current: ConfSection | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const line = stripComment(raw, state).trim();
    if (!line) return;
    const include = /^#include\s+"?([^"]+?)"?$/.exec(line);
    if (include) { file.includes.push(include[1]!); return; }
    if (line.startsWith('#')) return;
    const header = /^\[([^\]]+)\](?:\(([^)]*)\))?$/.exec(line);
    if (header) {
      const options = (header[2] ?? '').split(',').map((o) => o.trim()).filter(Boolean);
      current = {
        name: header[1]!.trim(), template: options.includes('!'), append: options.includes('+'),
        inherits: options.filter((o) => o !== '!' && o !== '+'), entries: [], line: lineNo,
      };
      file.sections.push(current);
      return;
    }
    const entry = /^([^=]+?)\s*(=>|=)\s*(.*)$/.exec(line);
    if (!entry) throw new Error(`${path}:${lineNo}: cannot read "${raw}"`);
    const e: ConfEntry = { key: entry[1]!.trim(), op: entry[2] as '=' | '=>', value: entry[3]!.trim(), line: lineNo };
    (current ? current.entries : file.preamble).push(e);
  });
  return file;
}

export function readConf(path: string): ConfFile {
  return parseConf(readFileSync(path, 'utf8'), path);
}

export function readConfDir(dir: string): ConfFile[] {
  return readdirSync(dir).filter((f) => f.endsWith('.conf')).sort().map((f) => readConf(join(dir, f)));
}

export function section(file: ConfFile, name: string): ConfSection | undefined {
  return file.sections.find((s) => s.name === name);
}

/** first value of a key in a section */
export function value(section: ConfSection | undefined, key: string): string | undefined {
  return section?.entries.find((e) => e.key.toLowerCase() === key.toLowerCase())?.value;
}

// ------------------------------------------------------------------ sorcery objects (pjsip.conf)

export interface ConfObject { name: string; type: string; props: Map<string, string[]>; file: string; line: number }

/**
 * Concrete objects of a sorcery-style file (pjsip): templates resolved (entries of each
 * inherited template first, then the section's own), typed by their `type=`.
 */
export function resolveObjects(files: ConfFile[]): ConfObject[] {
  const all = files.flatMap((f) => f.sections.map((s) => ({ s, file: f.path })));
  const templates = new Map(all.filter(({ s }) => s.template).map(({ s }) => [s.name, s]));
  const entriesOf = (s: ConfSection, seen: Set<string>): ConfEntry[] => {
    const inherited = s.inherits.flatMap((t) => {
      const tpl = templates.get(t);
      if (!tpl) throw new Error(`[${s.name}] inherits unknown template "${t}"`);
      if (seen.has(t)) throw new Error(`template loop at "${t}"`);
      return entriesOf(tpl, new Set([...seen, t]));
    });
    return [...inherited, ...s.entries];
  };
  return all.filter(({ s }) => !s.template).map(({ s, file }) => {
    const props = new Map<string, string[]>();
    for (const e of entriesOf(s, new Set())) props.set(e.key, [...(props.get(e.key) ?? []), e.value]);
    return { name: s.name, type: props.get('type')?.at(-1) ?? '', props, file, line: s.line };
  });
}

export function prop(o: ConfObject | undefined, key: string): string | undefined {
  return o?.props.get(key)?.at(-1);
}

// ------------------------------------------------------------------ dialplan

export interface Priority { context: string; exten: string; priority: string; label?: string; app: string; args: string; file: string; line: number }
export interface DialplanContext { name: string; priorities: Priority[]; includes: string[]; hints: Map<string, string> }

/** Split on top-level commas (not inside (), ${} or $[]). */
export function splitArgs(args: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    if (c === sep && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out.map((a) => a.trim());
}

export function parseDialplan(files: ConfFile[]): Map<string, DialplanContext> {
  const contexts = new Map<string, DialplanContext>();
  for (const f of files) {
    for (const s of f.sections) {
      if (s.name === 'general' || s.name === 'globals') continue;
      const ctx: DialplanContext = contexts.get(s.name) ?? { name: s.name, priorities: [], includes: [], hints: new Map() };
      contexts.set(s.name, ctx);
      let lastExten: string | undefined;
      for (const e of s.entries) {
        if (e.key === 'include') { ctx.includes.push(e.value); continue; }
        if (e.key !== 'exten' && e.key !== 'same') throw new Error(`${f.path}:${e.line}: unexpected "${e.key}" in [${s.name}]`);
        const parts = splitArgs(e.value);
        let exten: string;
        if (e.key === 'exten') {
          exten = parts.shift()!;
          lastExten = exten;
        } else {
          if (!lastExten) throw new Error(`${f.path}:${e.line}: same => without an exten before it`);
          exten = lastExten;
        }
        const prio = parts.shift() ?? '';
        const appPart = parts.join(',');
        if (prio === 'hint') { ctx.hints.set(exten, appPart); continue; }
        const p = /^([^(]+)(?:\(([^)]+)\))?$/.exec(prio);
        if (!p) throw new Error(`${f.path}:${e.line}: cannot read priority "${prio}"`);
        const app = /^(\w+)\((.*)\)$/.exec(appPart);
        if (!app) throw new Error(`${f.path}:${e.line}: cannot read application "${appPart}"`);
        ctx.priorities.push({
          context: s.name, exten, priority: p[1]!, ...(p[2] ? { label: p[2] } : {}),
          app: app[1]!, args: app[2]!, file: f.path, line: e.line,
        });
      }
    }
  }
  return contexts;
}

/** the priorities of one extension, in order */
export function extensionOf(ctx: DialplanContext, exten: string): Priority[] {
  return ctx.priorities.filter((p) => p.exten === exten);
}

/** Does an Asterisk extension pattern (`_X.`, `_[0-9*#+]!`, `0`, `s`) match a dialled string? */
export function extensionMatches(pattern: string, dialled: string): boolean {
  if (!pattern.startsWith('_')) return pattern === dialled;
  let re = '^';
  const p = pattern.slice(1);
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === 'X') re += '[0-9]';
    else if (c === 'Z') re += '[1-9]';
    else if (c === 'N') re += '[2-9]';
    else if (c === '.') re += '.+';
    else if (c === '!') re += '.*';
    else if (c === '[') {
      const end = p.indexOf(']', i);
      re += `[${p.slice(i + 1, end).replace(/[\\^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(dialled);
}

/** the extension of a context (its includes followed) that a dialled string reaches */
export function findExtension(contexts: Map<string, DialplanContext>, context: string, dialled: string, seen = new Set<string>()): Priority[] | undefined {
  const ctx = contexts.get(context);
  if (!ctx || seen.has(context)) return undefined;
  seen.add(context);
  const extens = [...new Set(ctx.priorities.map((p) => p.exten))];
  // an exact name beats a pattern
  const exact = extens.find((x) => x === dialled);
  const hit = exact ?? extens.find((x) => extensionMatches(x, dialled));
  if (hit) return extensionOf(ctx, hit);
  for (const inc of ctx.includes) {
    const found = findExtension(contexts, inc, dialled, seen);
    if (found) return found;
  }
  return undefined;
}

/** hint of an extension in a context, includes followed (as a subscription resolves it) */
export function findHint(contexts: Map<string, DialplanContext>, context: string, exten: string, seen = new Set<string>()): string | undefined {
  const ctx = contexts.get(context);
  if (!ctx || seen.has(context)) return undefined;
  seen.add(context);
  const direct = ctx.hints.get(exten);
  if (direct !== undefined) return direct;
  for (const inc of ctx.includes) {
    const found = findHint(contexts, inc, exten, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

export interface JumpTarget { context?: string; exten?: string; priority: string; args?: string[] }

/** `[[context,]exten,]priority[(args)]` of Goto/Gosub and of each GotoIf branch. */
export function parseTarget(spec: string): JumpTarget {
  const parts = splitArgs(spec);
  const last = parts.pop() ?? '';
  const withArgs = /^([^(]*)\((.*)\)$/.exec(last);
  const priority = withArgs ? withArgs[1]! : last;
  const args = withArgs ? splitArgs(withArgs[2]!) : undefined;
  const t: JumpTarget = { priority, ...(args ? { args } : {}) };
  if (parts.length === 2) { t.context = parts[0]!; t.exten = parts[1]!; }
  if (parts.length === 1) t.exten = parts[0]!;
  return t;
}

/** every jump a priority can make: Goto, Gosub, GotoIf branches, ExecIf-wrapped ones, Dial(Local/x@ctx) */
export function jumpsOf(p: Priority): JumpTarget[] {
  switch (p.app) {
    case 'Goto':
    case 'Gosub':
      return [parseTarget(p.args)];
    case 'GotoIf':
    case 'GosubIf': {
      const q = splitArgs(p.args, '?');
      const branches = splitArgs(q.slice(1).join('?'), ':').filter(Boolean);
      return branches.map(parseTarget);
    }
    case 'Dial': {
      const devices = (splitArgs(p.args)[0] ?? '').split('&');
      return devices.flatMap((d) => {
        const m = /^Local\/([^@]+)@([^/]+)/.exec(d);
        return m ? [{ context: m[2]!, exten: m[1]!, priority: '1' }] : [];
      });
    }
    default:
      return [];
  }
}

export function isDynamic(s: string | undefined): boolean {
  return s !== undefined && s.includes('${');
}
