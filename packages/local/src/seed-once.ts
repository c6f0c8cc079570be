import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Seeds the demo registry the first time a data folder is used (a marker file remembers it). */
export async function seedOnce(
  dataDir: string,
  log: (line: string) => void,
): Promise<{ households: number } | undefined> {
  const marker = join(dataDir, 'seeded.json');
  const previous = await readFile(marker, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (previous !== undefined) return undefined;
  // Imported late, once the stack has set the environment the seed's clients read.
  const { seedDemo } = await import('./seed.js');
  const result = await seedDemo();
  await writeFile(marker, `${JSON.stringify({ ...result, seededAt: new Date().toISOString() })}\n`);
  log(`Seeded the demo registry: ${result.households} households`);
  return result;
}
