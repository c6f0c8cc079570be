// Builds the `madad` CLI once into dist/ with esbuild (our TypeScript: the cli, core and adapters
// workspaces), instead of compiling it with tsx at every call. npm packages stay external: Node loads
// them from node_modules as usual. bin/madad.js calls ensureBuilt() at each start; it rebuilds only
// when a source the last build read has changed (or is gone), so a fresh clone builds on its first run.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(packageDir, '../..');
const distDir = join(packageDir, 'dist');
const currentFile = join(distDir, 'current.json');
// A process may still load chunks of an older build (commands are loaded lazily): keep it a while.
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

/** Our workspaces and relative imports are bundled; every other bare import stays a node_modules import. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@madad/') ? undefined : { path: args.path, external: true },
    );
  },
};

async function readCurrent() {
  try {
    return JSON.parse(await readFile(currentFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when every source of the build is still there and none changed after the build started. */
async function isFresh(current) {
  if (!current) return false;
  try {
    const stats = await Promise.all(current.inputs.map((input) => stat(join(repoRoot, input))));
    return stats.every((s) => s.mtimeMs <= current.startedAt);
  } catch {
    return false;
  }
}

/** Builds into a new folder of dist/, then points dist/current.json at it (an atomic rename). */
export async function buildCli() {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const name = `build-${startedAt}-${randomUUID().slice(0, 8)}`;
  const result = await build({
    entryPoints: [join(packageDir, 'src/main.ts')],
    outdir: join(distDir, name),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    metafile: true,
    logLevel: 'silent',
    plugins: [externalPackages],
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => relative(repoRoot, resolve(input)));
  const pointer = join(distDir, `current-${name}.json`);
  await writeFile(pointer, JSON.stringify({ dir: name, startedAt, inputs }));
  await rename(pointer, currentFile);
  await removeOldBuilds(name);
  return name;
}

async function removeOldBuilds(keep) {
  const now = Date.now();
  for (const entry of await readdir(distDir)) {
    const builtAt = Number(/^build-(\d+)-/.exec(entry)?.[1]);
    if (entry !== keep && builtAt && now - builtAt > KEEP_OLD_BUILDS_MS) {
      await rm(join(distDir, entry), { recursive: true, force: true });
    }
  }
}

/** The built `main` of the CLI, rebuilding first when the sources changed since the last build. */
export async function ensureBuilt() {
  let current = await readCurrent();
  if (!(await isFresh(current))) {
    await mkdir(distDir, { recursive: true });
    await buildCli();
    current = await readCurrent();
  }
  const { main } = await import(pathToFileURL(join(distDir, current.dir, 'main.js')).href);
  return main;
}

// `node packages/cli/build.mjs`: build now (the workspace's prepare script).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const name = await buildCli();
  console.log(`Built the madad CLI into ${relative(process.cwd(), join(distDir, name))}`);
}
