// The number library from a file (config `directory.file`): CSV with a header line
// `name,number,shortCode,department,location`, or a YAML list of the same fields. Read once at
// start; every bad row is reported with the file, its row and the field, and nothing starts.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const directoryEntrySchema = z.object({
  name: z.string({ error: 'is missing' }).trim().min(1, 'is empty'),
  number: z.string({ error: 'is missing' }).regex(/^[0-9*#+]{1,32}$/, 'must be 1-32 digits, "*", "#" or "+"'),
  shortCode: z.string().regex(/^[0-9]{1,8}$/, 'must be 1-8 digits').optional(),
  department: z.string().optional(),
  location: z.string().optional(),
}).strict();
export type DirectoryEntryConfig = z.infer<typeof directoryEntrySchema>;

const COLUMNS = ['name', 'number', 'shortCode', 'department', 'location'] as const;

/** One CSV line into cells: commas separate, double quotes enclose, "" is a quote inside quotes. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
  }
  cells.push(cell);
  return cells.map((s) => s.trim());
}

/** rows as objects, numbered as a spreadsheet shows them (the header is row 1) */
function csvRows(text: string, file: string, problems: string[]): Array<{ row: number; raw: Record<string, string> }> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  const missing = ['name', 'number'].filter((h) => !header.includes(h));
  if (unknown.length || missing.length) {
    problems.push(`directory.file: ${file} row 1 (header): ${[...unknown.map((h) => `unknown column "${h}"`), ...missing.map((h) => `missing column "${h}"`)].join(', ')}; expected ${COLUMNS.join(',')}`);
    return [];
  }
  const rows: Array<{ row: number; raw: Record<string, string> }> = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = splitCsvLine(line);
    if (cells.length > header.length) problems.push(`directory.file: ${file} row ${i + 2}: ${cells.length} cells for ${header.length} columns`);
    const raw: Record<string, string> = {};
    header.forEach((h, j) => { if (cells[j]) raw[h] = cells[j]!; });
    rows.push({ row: i + 2, raw });
  });
  return rows;
}

/** Read and check a directory file; `shown` is how errors name it. Problems are config error lines. */
/** `rows[i]` is the row entries[i] came from. */
export function readDirectoryFile(path: string, shown = basename(path)): { entries: DirectoryEntryConfig[]; rows: number[]; problems: string[] } {
  const problems: string[] = [];
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (err) {
    return { entries: [], rows: [], problems: [`directory.file: cannot read ${shown}: ${(err as Error).message}`] };
  }
  let rows: Array<{ row: number; raw: unknown }>;
  if (['.yaml', '.yml'].includes(extname(path).toLowerCase())) {
    let doc: unknown;
    try { doc = parseYaml(text); } catch (err) {
      return { entries: [], rows: [], problems: [`directory.file: ${shown} is not valid YAML: ${(err as Error).message}`] };
    }
    if (!Array.isArray(doc)) return { entries: [], rows: [], problems: [`directory.file: ${shown} must be a YAML list of entries`] };
    rows = doc.map((raw, i) => ({ row: i + 1, raw }));
  } else {
    rows = csvRows(text, shown, problems);
  }
  const entries: DirectoryEntryConfig[] = [];
  const rowOf: number[] = [];
  for (const { row, raw } of rows) {
    const r = directoryEntrySchema.safeParse(raw);
    if (r.success) { entries.push(r.data); rowOf.push(row); }
    else for (const i of r.error.issues) problems.push(`directory.file: ${shown} row ${row}, ${i.path.length ? i.path.map(String).join('.') : '(row)'}: ${i.message}`);
  }
  return { entries, rows: rowOf, problems };
}
