import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  downloadInstructionsFile,
  exportInstructions,
  exportInstructionsFile,
  NotFoundError,
  type PaymentFileDeps,
  type PaymentLine,
  type PaymentLinePages,
  paymentFileKey,
  renderInstructionsCsv,
  streamInstructionsCsv,
  verifyInstructionsCsv,
} from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3PaymentFiles } from '../../packages/adapters/src/payments/s3-payment-files.js';
import { createStorageClient } from '../../packages/adapters/src/storage/s3-client.js';
import { type RunningEmulator, startS3Emulator } from '../../packages/local/src/emulators.js';
import { bootstrapBuckets } from '../../packages/local/src/storage-bootstrap.js';
import { createTempDataDir } from '../local/temp-dir.js';
import { approvedBatch, MAKER } from '../support/payment-world.js';

/** The store's lines in key order, in pages of at most 64 (several pages even for a small batch). */
function pagesOf(lines: () => readonly PaymentLine[]): PaymentLinePages {
  return {
    async *linePages(_batchId, pageSize) {
      const sorted = [...lines()].sort((a, b) => (a.paymentReference < b.paymentReference ? -1 : 1));
      const size = Math.min(pageSize, 64);
      for (let i = 0; i < sorted.length; i += size) yield sorted.slice(i, i + size);
    },
  };
}

/** The S3 commands the client sends, by name. */
function recordCommands(s3: S3Client): string[] {
  const names: string[] = [];
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      names.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  return names;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('payment files in the file store (S3)', () => {
  let dataDir: Awaited<ReturnType<typeof createTempDataDir>>;
  let emulator: RunningEmulator;
  let s3: S3Client;
  let bucket: string;
  let commands: string[];

  beforeAll(async () => {
    dataDir = await createTempDataDir();
    emulator = await startS3Emulator({ dataDir: dataDir.path });
    bucket = (await bootstrapBuckets({ endpoint: emulator.endpoint, region: 'us-east-1' })).names.files;
    s3 = createStorageClient({ stage: 'local', region: 'us-east-1', endpoint: emulator.endpoint, bucket });
    commands = recordCommands(s3);
  });

  afterAll(async () => {
    s3?.destroy();
    await emulator?.stop();
    await dataDir?.remove();
  });

  async function exported(households: number) {
    const { w, batchId } = await approvedBatch(households);
    // A payee name a spreadsheet or a line reader would trip on.
    const [first] = w.lines.get(batchId)?.values() ?? [];
    if (first)
      w.lines
        .get(batchId)
        ?.set(first.paymentReference, { ...first, payeeName: '=HYPERLINK("x"), زینب\nبی بی' });
    const lines = () => [...(w.lines.get(batchId)?.values() ?? [])];
    const files = new S3PaymentFiles(s3, bucket);
    const deps: PaymentFileDeps = { ...w.deps, files, lines: pagesOf(lines) };
    return { w, batchId, deps, lines, files };
  }

  const read = async (url: string) => {
    const response = await fetch(url);
    return {
      status: response.status,
      text: await response.text(),
      disposition: response.headers.get('content-disposition'),
    };
  };

  it('writes the same bytes as the in-memory export, page by page, and moves the households to sent', async () => {
    // Arrange
    const { w, batchId, deps, lines } = await exported(70);

    // Act
    const result = await exportInstructionsFile(deps, batchId, MAKER);

    // Assert
    const { url } = await downloadInstructionsFile(deps, batchId, MAKER);
    const stored = (await read(url)).text;
    expect(stored).toBe(renderInstructionsCsv(lines()));
    expect(stored).toBe(await exportInstructions(w.deps, batchId, 'csv', MAKER));
    expect(verifyInstructionsCsv(stored)).toMatchObject({ ok: true, lines: 70 });
    expect(result).toMatchObject({ lines: 70, bytes: Buffer.byteLength(stored), sha256: sha256(stored) });
    expect(result.key).toBe(paymentFileKey({ campaignId: 'C-FLOOD1', batchId }));
    expect([...w.enrollments.values()].filter((e) => e.paymentState === 'sent')).toHaveLength(70);
    const exports = w.audit.filter((e) => e.action === 'payment-batch.export');
    expect(exports[0]?.after).toMatchObject({
      format: 'csv',
      file: result.key,
      lines: 70,
      sha256: sha256(stored),
    });
  });

  it('streams a file larger than a part as a multipart upload, byte for byte what the in-memory renderer makes', async () => {
    // Arrange: 140,000 lines, about 8.5 MiB, more than one 8 MiB part.
    const lines: PaymentLine[] = Array.from({ length: 140_000 }, (_, i) => ({
      batchId: 'B-0000BIG0',
      paymentReference: `P-${String(i).padStart(16, '0')}`,
      campaignId: 'C-BIG',
      householdId: `HH-${i}`,
      attempt: 1,
      category: 'TOP_UP',
      amount: 10_000 + (i % 7),
      district: i % 2 ? 'Dadu' : 'Sanghar',
      payeeCnic: `41303-${String(1_000_000 + i)}-2`,
      payeeCnicMasked: 'x',
      payeeName: `Zainab Bibi ${i}`,
      payeeCnicHash: `h${i}`,
    }));
    const files = new S3PaymentFiles(s3, bucket);
    commands.length = 0;

    // Act
    let figures: { lines: number; bytes: number } | undefined;
    await files.write(
      'payments/C-BIG/B-0000BIG0/instructions.csv',
      streamInstructionsCsv(pagesOf(() => lines).linePages('B-0000BIG0', 1000), (f) => {
        figures = f;
      }),
      'text/csv',
    );

    // Assert
    const url = await files.presign('payments/C-BIG/B-0000BIG0/instructions.csv', {
      filename: 'big.csv',
      seconds: 60,
    });
    const stored = (await read(url)).text;
    expect(stored).toBe(renderInstructionsCsv(lines));
    expect(figures).toMatchObject({ lines: 140_000, bytes: Buffer.byteLength(stored) });
    expect(Buffer.byteLength(stored)).toBeGreaterThan(8 * 1024 * 1024);
    expect(commands.filter((c) => c === 'UploadPartCommand').length).toBeGreaterThanOrEqual(2);
    expect(commands).toContain('CompleteMultipartUploadCommand');
  }, 120_000);

  it('hands out a short-lived link per request, each one in the ledger, and a link past its time is refused', async () => {
    // Arrange
    const { w, batchId, deps } = await exported(20);
    await expect(downloadInstructionsFile(deps, batchId, MAKER)).rejects.toBeInstanceOf(NotFoundError);
    await exportInstructionsFile(deps, batchId, MAKER);

    // Act: two downloads by two people, and a link signed 301 seconds ago.
    const first = await downloadInstructionsFile(deps, batchId, MAKER);
    const second = await downloadInstructionsFile(deps, batchId, { user: 'checker-bilal', role: 'approver' });
    const old = await downloadInstructionsFile(
      { ...deps, files: new S3PaymentFiles(s3, bucket, () => new Date(Date.now() - 301_000)) },
      batchId,
      MAKER,
    );

    // Assert
    const downloads = w.audit.filter((e) => e.action === 'payment-batch.download');
    expect(downloads.map((e) => e.actor)).toEqual(['maker-ayesha', 'checker-bilal', 'maker-ayesha']);
    expect(downloads[0]?.after).toMatchObject({ file: paymentFileKey({ campaignId: 'C-FLOOD1', batchId }) });
    const fresh = await read(first.url);
    expect(fresh.status).toBe(200);
    expect(verifyInstructionsCsv(fresh.text)).toMatchObject({ ok: true, lines: 20 });
    expect(fresh.disposition).toBe(`attachment; filename="${batchId}-instructions.csv"`);
    expect((await read(second.url)).status).toBe(200);
    const expired = await read(old.url);
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('Request has expired');
  });
});
