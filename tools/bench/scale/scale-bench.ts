import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatScaleTable, resultsBaseName, type ScaleRun } from './scale-report.js';

const child = fileURLToPath(new URL('./scale-run.ts', import.meta.url));

/** One size in a fresh process on a fresh data folder; its stderr goes through as progress. */
function runOne(size: number, dataDir: string): Promise<ScaleRun> {
  return new Promise((done, fail) => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('MADAD_')),
    );
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, String(size), dataDir], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on('error', fail);
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) done(JSON.parse(last) as ScaleRun);
      else fail(new Error(`scale run of ${size} exited with ${code}`));
    });
  });
}

/** `npm run bench -- --scale`: every size in turn, the table printed and written to `outDir`. */
export async function benchScale(sizes: readonly number[], outDir = 'bench-results'): Promise<ScaleRun[]> {
  const runs: ScaleRun[] = [];
  for (const size of sizes) {
    const dataDir = await mkdtemp(join(tmpdir(), `madad-scale-${size}-`));
    try {
      const started = performance.now();
      runs.push(await runOne(size, dataDir));
      console.error(`  size ${size} done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const base = join(dir, resultsBaseName(new Date()));
  await writeFile(`${base}.json`, `${JSON.stringify(runs, null, 2)}\n`);
  // In the repository's JSON style, so that `npm run lint` passes on committed figures.
  spawnSync(
    process.execPath,
    [resolve('node_modules/@biomejs/biome/bin/biome'), 'format', '--write', `${base}.json`],
    {
      stdio: 'ignore',
    },
  );
  await writeFile(`${base}.md`, `${formatScaleTable(runs, true)}\n`);
  console.log(formatScaleTable(runs));
  console.error(`Wrote ${base}.json and ${base}.md`);
  return runs;
}
