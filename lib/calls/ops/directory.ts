// Directory search: a name prefix (of the name or any of its words), a number prefix, an exact short
// code, or a department/location prefix (the API documents those too).
import type { DirectoryEntry } from '../operations-port.ts';

export function searchDirectory(entries: readonly DirectoryEntry[], query: string): DirectoryEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return entries.filter((e) => {
    const name = e.name.toLowerCase();
    return name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q)) || e.number.startsWith(q) || e.shortCode === q
      || [e.department, e.location].some((v) => v?.toLowerCase().startsWith(q));
  }).map((e) => ({ ...e }));
}
