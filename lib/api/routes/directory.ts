// The number library (号码库): search by name, number, short code, department or location.
import { z } from 'zod';
import { route, type Resource } from '../route.ts';
import { directoryEntrySchema } from '../schemas.ts';

export const directoryResource: Resource = {
  name: 'directory',
  description: 'The number library',
  routes: [
    route({
      method: 'get', path: '/api/directory', access: 'operator',
      summary: 'Search the directory; without q, the whole library by name (the console shows it before anything is typed)',
      query: z.object({
        q: z.string().trim().min(1, 'must not be empty').max(64).optional(),
        limit: z.string().regex(/^\d{1,3}$/, 'must be 1-200').transform(Number).pipe(z.number().int().min(1, 'must be 1-200').max(200, 'must be 1-200')).optional(),
      }).strict(),
      ok: { status: 200, description: 'matching entries (at most limit, 50 by default) and how many matched', schema: z.object({ entries: z.array(directoryEntrySchema), total: z.number() }) },
      handler({ query, deps }) {
        const all = query.q === undefined
          ? [...deps.config.directory.entries].sort((a, b) => a.name.localeCompare(b.name))
          : deps.operations.searchDirectory(query.q);
        return { entries: all.slice(0, query.limit ?? 50), total: all.length };
      },
    }),
  ],
};
