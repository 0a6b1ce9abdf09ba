// Reading the recorded ARI sessions (../shared/ari-fixtures/*.jsonl) and cutting them into scenarios.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Json = Record<string, unknown>;

export interface RestRecord { kind: 'rest'; t: number; method: string; path: string; requestBody: unknown; status: number; response: unknown }
export interface EventRecord { kind: 'event'; t: number; event: Json & { type: string } }
export interface NoteRecord { kind: 'note'; t: number; text: string }
export type FixtureRecord = RestRecord | EventRecord | NoteRecord;

export interface Scenario {
  /** the note text, e.g. `scenario 3: snoop (spy=both, whisper=none) on the caller channel` */
  name: string;
  /** indexes into the session's records [start, end) */
  start: number;
  end: number;
}

export interface Session {
  records: FixtureRecord[];
  scenarios: Scenario[];
  /** for each record, the scenario index it belongs to (-1 before the first) */
  scenarioOf: number[];
}

export const FIXTURE_DIR = new URL('../../../shared/ari-fixtures/', import.meta.url);

export function fixtureAvailable(file: string): boolean {
  return existsSync(fileURLToPath(new URL(file, FIXTURE_DIR)));
}

function parseLine(line: string): FixtureRecord {
  const r = JSON.parse(line) as Json;
  const t = typeof r.t === 'number' ? r.t : 0;
  if (r.kind === 'rest') {
    return { kind: 'rest', t, method: String(r.method), path: String(r.path), requestBody: r.requestBody ?? null, status: Number(r.status), response: r.response ?? null };
  }
  if (r.kind === 'event') return { kind: 'event', t, event: r.event as Json & { type: string } };
  return { kind: 'note', t, text: String(r.text ?? '') };
}

/**
 * A session file: notes starting with "scenario" open a scenario; a file without such notes is one
 * scenario named after `fallbackName`.
 */
export function loadSession(file: string, fallbackName: string): Session {
  const text = readFileSync(fileURLToPath(new URL(file, FIXTURE_DIR)), 'utf8');
  const records = text.split('\n').filter((l) => l.trim() !== '').map(parseLine);
  const scenarios: Scenario[] = [];
  records.forEach((r, i) => {
    if (r.kind !== 'note' || !/^scenario\b/i.test(r.text)) return;
    const last = scenarios[scenarios.length - 1];
    if (last) last.end = i;
    scenarios.push({ name: r.text, start: i, end: records.length });
  });
  if (scenarios.length === 0) scenarios.push({ name: fallbackName, start: 0, end: records.length });
  const scenarioOf = records.map((_, i) => scenarios.findIndex((s) => i >= s.start && i < s.end));
  return { records, scenarios, scenarioOf };
}
