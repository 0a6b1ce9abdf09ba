// Output helpers for statistics: CSV (RFC 4180) and JSON.

export type CsvValue = string | number | null;

/**
 * RFC 4180 CSV: a header line with the union of the rows' keys (first-seen
 * order), then one record per row; records end with CRLF. Fields holding a
 * comma, a double quote, CR or LF are enclosed in double quotes with inner
 * quotes doubled. A key missing from a row, null, and non-finite numbers
 * (NaN, ±Infinity: not data a spreadsheet can read) are written as empty fields.
 * No rows gives the empty string (there is no header to write).
 */
export function toCsv(rows: ReadonlyArray<Readonly<Record<string, CsvValue>>>): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  if (columns.length === 0) return '';
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) {
    lines.push(columns.map((c) => csvField(Object.hasOwn(row, c) ? row[c] : null)).join(','));
  }
  return lines.map((l) => `${l}\r\n`).join('');
}

function csvField(value: CsvValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** JSON, two-space indented, with a final newline. NaN and ±Infinity become null (as JSON.stringify does). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
