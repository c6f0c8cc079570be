import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Three tiers, each runnable alone (`docs/testing.md`):
 * - `unit` and `isolated`: the pure core, the tools and the in-process web tests (sharing modules), then adapters with mocked
 *   clients, handlers with captured events, the API and console in-process, the CLI's own parts (each
 *   file with fresh modules). No emulator, no synthesis: `npm run test:unit` runs both.
 * - `stack`: everything that starts the embedded stack (dynalite, fauxqs, ...) over loopback.
 *   `npm run test:stack`.
 * - `infra`: CDK synthesis, assertions and cdk-nag. Workers without isolation, so a stage synthesized
 *   by one file (`test/infra/synthesize-stage.ts` keeps them) serves every later file of its worker: each
 *   stage is synthesized at most once per worker (two), not once per file. `npm run test:infra`.
 * A file belongs to the stack tier when it starts an emulator: it imports the embedded stack
 * (`@madad/local` or its sources) or dynalite, or a test module that does (directly or through another); the tier follows what the file does, so a new test lands
 * in the right tier without a list to keep.
 */
const ALL = 'test/**/*.test.ts';
const BROWSER = 'test/browser/**';
const INFRA = 'test/infra/**/*.test.ts';
const SHARED_MODULES = ['test/core/**/*.test.ts', 'test/tools/**/*.test.ts', 'test/web/**/*.test.ts'];

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
const relativeImports = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)].map(([, spec]) =>
    normalize(join(dirname(file), spec ?? '')).replace(/\.js$/, '.ts'),
  );
const startsStack = new Map<string, boolean>();
function usesStack(file: string, seen = new Set<string>()): boolean {
  const known = startsStack.get(file);
  if (known !== undefined) return known;
  if (seen.has(file)) return false;
  seen.add(file);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const answer =
    file === 'test/support/child-stack.ts' ||
    text.includes("'@madad/local'") ||
    text.includes("from 'dynalite'") ||
    relativeImports(file).some(
      (dep) => dep.startsWith('packages/local/') || (dep.startsWith('test/') && usesStack(dep, seen)),
    );
  startsStack.set(file, answer);
  return answer;
}
const stackFiles = filesUnder('test')
  .filter(
    (file) =>
      file.endsWith('.test.ts') && !file.startsWith('test/browser/') && !file.startsWith('test/infra/'),
  )
  .filter((file) => usesStack(file));

export default defineConfig({
  test: {
    // Two cores: keep the pool small; the stack tier's files each start emulators.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: SHARED_MODULES,
          exclude: stackFiles,
          // The pure core, the tools and the web pages on fakes: one module graph per worker, shared by
          // its files (most of their time went into loading the same modules again for every file).
          isolate: false,
        },
      },
      {
        extends: true,
        // Handlers bind their configuration when loaded, and mocked AWS clients patch shared classes:
        // each of these files gets fresh modules.
        test: {
          name: 'isolated',
          include: [ALL],
          exclude: [BROWSER, INFRA, ...SHARED_MODULES, ...stackFiles, 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: { name: 'stack', include: stackFiles.length > 0 ? stackFiles : ['test/no-stack-files'] },
      },
      {
        extends: true,
        test: { name: 'infra', include: [INFRA], isolate: false },
      },
    ],
  },
});
