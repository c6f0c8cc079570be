/**
 * Peak memory of writing a payment file of N lines to the embedded S3 (s3rver), streamed in parts
 * (`exportInstructionsFile`'s path: `streamInstructionsCsv` into `S3PaymentFiles`) against rendered
 * whole in memory first (`renderInstructionsCsv`, what the download routes do). Each size runs in a
 * fresh child process so one run's heap never counts in another's; s3rver runs in this process.
 *
 *   npx tsx tools/bench/scale/payment-file-memory.ts [--sizes 25000,50000,100000] [--modes stream,memory]
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createStorageClient, S3PaymentFiles } from '@madad/adapters';
import { type PaymentLine, renderInstructionsCsv, streamInstructionsCsv } from '@madad/core';
import { startS3Emulator } from '@madad/local/emulators';
import { bootstrapBuckets } from '@madad/local/storage-bootstrap';

export interface FileMemoryResult {
  readonly mode: 'stream' | 'memory';
  readonly lines: number;
  readonly bytes: number;
  readonly seconds: number;
  /** Peak resident set of the writing process (its own figure, `maxRSS`). */
  readonly peakRssMb: number;
  /** Highest V8 heap in use, sampled every 20 ms. */
  readonly peakHeapMb: number;
}

/** Line `i` of a generated batch (references in order, so pages come sorted as the store reads them). */
function lineAt(i: number): PaymentLine {
  return {
    batchId: 'B-5CA1E000',
    paymentReference: `P-${String(i).padStart(16, '0')}`,
    campaignId: 'C-SCALE',
    householdId: `HH-${i}`,
    attempt: 1,
    category: 'TOP_UP',
    amount: 10_000 + (i % 7) * 500,
    district: ['Dadu', 'Sanghar', 'Jacobabad', 'Rajanpur'][i % 4] ?? 'Dadu',
    payeeCnic: `41303-${String(1_000_000 + (i % 9_000_000)).padStart(7, '0')}-2`,
    payeeCnicMasked: '41303-*****00-2',
    payeeName: `Zainab Bibi ${i}`,
    payeeCnicHash: `hash-${i}`,
  };
}

async function* pagesOf(lines: number, pageSize = 1000): AsyncGenerator<PaymentLine[]> {
  for (let start = 0; start < lines; start += pageSize)
    yield Array.from({ length: Math.min(pageSize, lines - start) }, (_, k) => lineAt(start + k));
}

/** The child: writes one file and prints its figures as JSON. */
async function child(mode: 'stream' | 'memory', lines: number, endpoint: string, bucket: string) {
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  const s3 = createStorageClient({ stage: 'local', region: 'us-east-1', endpoint, bucket });
  const key = `payments/C-SCALE/${mode}-${lines}.csv`;
  const started = Date.now();
  let bytes = 0;
  if (mode === 'stream') {
    await new S3PaymentFiles(s3, bucket).write(
      key,
      streamInstructionsCsv(pagesOf(lines), (f) => {
        bytes = f.bytes;
      }),
      'text/csv',
    );
  } else {
    const all: PaymentLine[] = [];
    for await (const page of pagesOf(lines)) all.push(...page);
    const file = renderInstructionsCsv(all);
    bytes = Buffer.byteLength(file);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: file, ContentType: 'text/csv' }));
  }
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  s3.destroy();
  const result: FileMemoryResult = {
    mode,
    lines,
    bytes,
    seconds: (Date.now() - started) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 2 ** 20,
  };
  console.log(JSON.stringify(result));
}

/** Runs every size and mode, each in its own process, against one s3rver; returns the figures. */
export async function measurePaymentFileMemory(
  sizes: readonly number[],
  modes: readonly ('stream' | 'memory')[],
  log: (line: string) => void = () => undefined,
): Promise<FileMemoryResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'madad-file-memory-'));
  const emulator = await startS3Emulator({ dataDir: dir });
  try {
    const { names } = await bootstrapBuckets({ endpoint: emulator.endpoint, region: 'us-east-1' });
    const results: FileMemoryResult[] = [];
    for (const lines of sizes) {
      for (const mode of modes) {
        // execFileSync would block this process's s3rver: the child runs through an async spawn.
        const out = await runChild([mode, String(lines), emulator.endpoint, names.files]);
        const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as FileMemoryResult;
        log(
          `${mode.padEnd(6)} ${String(lines).padStart(9)} lines ${(result.bytes / 2 ** 20).toFixed(1).padStart(6)} MiB: ` +
            `peak RSS ${result.peakRssMb.toFixed(0)} MB, peak heap ${result.peakHeapMb.toFixed(0)} MB, ${result.seconds.toFixed(1)} s`,
        );
        results.push(result);
      }
    }
    return results;
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    import('node:child_process').then(({ execFile }) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...args],
        { maxBuffer: 1 << 20 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    }, reject);
  });
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      child: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '25000,50000,100000' },
      modes: { type: 'string', default: 'stream,memory' },
    },
  });
  if (values.child) {
    const [mode, lines, endpoint, bucket] = positionals;
    await child(mode === 'memory' ? 'memory' : 'stream', Number(lines), endpoint ?? '', bucket ?? '');
  } else {
    const sizes = values.sizes.split(',').map(Number);
    const modes = values.modes
      .split(',')
      .filter((m): m is 'stream' | 'memory' => m === 'stream' || m === 'memory');
    const results = await measurePaymentFileMemory(sizes, modes, (line) => console.log(line));
    console.log(JSON.stringify(results));
  }
}
