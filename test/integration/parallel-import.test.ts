import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbRegistryLookup,
  getRuntime,
  type ImportSummaryDocument,
  importIdFor,
  importSplitterDeps,
  issueStaffToken,
  planChunks,
  registryKeys,
} from '@madad/adapters';
import { type HouseholdImport, hashCnic } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POPULATION_FILES, writePopulation } from '../../packages/cli/src/generate/write-population.js';
import { main } from '../../packages/cli/src/main.js';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

let t: TestStack;
let dir: string;
let households: HouseholdImport[];
let registryFile: string;
let sqs: SQSClient;

beforeAll(async () => {
  // Chunks of 16 KiB: the 300 households make several, written by the pollers' workers at once.
  process.env.MADAD_IMPORT_CHUNK_BYTES = String(16 * 1024);
  t = await startTestStack({ seed: false });
  dir = await mkdtemp(join(tmpdir(), 'madad-parallel-it-'));
  await writePopulation({ households: 300, seed: 'parallel-it', outDir: dir });
  const text = await readFile(join(dir, POPULATION_FILES.households), 'utf8');
  households = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as HouseholdImport);
  // Two bad lines among the good ones: line 101 is cut short, line 202 has no members.
  const lines = text.trimEnd().split('\n');
  lines.splice(100, 0, '{"householdId":"HH-CUT-SHORT","province":"Punjab"');
  lines.splice(201, 0, JSON.stringify({ ...households[0], householdId: 'HH-NO-MEMBERS', members: [] }));
  registryFile = join(dir, 'registry.ndjson');
  await writeFile(registryFile, `${lines.join('\n')}\n`);
  sqs = new SQSClient({ region: t.stack.region, endpoint: t.stack.sqsEndpoint });
}, 120_000);

afterAll(async () => {
  delete process.env.MADAD_IMPORT_CHUNK_BYTES;
  sqs?.destroy();
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const inFlight = async (url: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
};

describe('madad import --parallel on the embedded stack', () => {
  let summary: ImportSummaryDocument & { rejectsPath?: string };

  it('uploads the file to the S3 emulator, the import workers write every chunk, and the summary and rejects come back', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const failed = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const code = await main(['import', 'registry', registryFile, '--parallel', '--json']);

    const printed = out.mock.calls.map((c) => String(c[0]));
    const progress = err.mock.calls.map((c) => String(c[0])).join('');
    const errors = failed.mock.calls.map((c) => String(c[0])).join('\n');
    vi.restoreAllMocks();
    expect(errors).toBe('');
    expect(code).toBe(0);
    // Progress lines as the workers go: chunks done of the total, lines, rejects.
    expect(progress).toMatch(/imp-[0-9a-f]{16} registry done: (\d+)\/\1 chunks, 302 lines/);
    summary = JSON.parse(printed.at(-1) ?? '');
    expect(summary.chunks).toBeGreaterThan(3);
    expect(summary).toMatchObject({
      kind: 'registry',
      format: 'ndjson',
      lines: households.length + 2,
      imported: households.length,
      rejected: 2,
      rejectedByReason: { INVALID_JSON: 1, SCHEMA: 1 },
      rejectsPath: `${registryFile}.rejects.ndjson`,
    });
    const rejects = (await readFile(`${registryFile}.rejects.ndjson`, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects.map((r) => r.line)).toEqual([101, 202]);
    // The summary is in the bucket too, beside the uploaded file.
    const stored = await importSplitterDeps().files.readText(`imports/${summary.importId}/summary.json`);
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ imported: households.length, rejected: 2 });
    const { config, doc } = getRuntime();
    const lookup = new DynamoDbRegistryLookup(doc, config.tables.registry);
    const pepper = t.stack.env.MADAD_CNIC_PEPPER ?? '';
    const last = households.at(-1);
    const match = (await lookup.resolve([hashCnic(pepper, last?.members[0]?.cnic ?? '')]))
      .values()
      .next().value;
    expect(match?.household?.householdId).toBe(last?.householdId);
  }, 180_000);

  it('counts a chunk delivered again once: the totals stay as they were', async () => {
    const deps = importSplitterDeps();
    const job = await deps.jobs.get(summary.importId);
    const queueUrl = t.stack.env.MADAD_QUEUE_IMPORTS_URL ?? '';
    const size = summary.size;
    const [chunk] = await planChunks(
      { size, read: (start, end) => deps.files.readRange(summary.key, start, end) },
      { chunkBytes: 16 * 1024 },
    );
    const first = {
      importId: summary.importId,
      kind: 'registry',
      format: 'ndjson',
      key: summary.key,
      chunk: 0,
      start: chunk?.start,
      end: chunk?.end,
    };

    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(first) }));
    await waitFor(
      async () => ((await inFlight(queueUrl)) === 0 ? true : undefined),
      60_000,
      'the redelivered chunk',
    );

    const after = await deps.jobs.get(summary.importId);
    expect(job?.chunks).toBeGreaterThan(0);
    expect(after).toMatchObject({
      chunksDone: job?.chunksDone,
      lines: job?.lines,
      imported: job?.imported,
      rejected: job?.rejected,
    });
  }, 120_000);

  it('shows the import to the staff who read the registry, on the API and the console page, and to nobody else', async () => {
    const one = await t.staff(`/api/v1/imports/${summary.importId}`, ['program-officer']);
    const list = await t.staff('/api/v1/imports', ['auditor']);
    const token = await issueStaffToken(t.stack.env.MADAD_JWT_SECRET ?? '', {
      user: 'pat',
      roles: ['program-officer'],
    });
    // The embedded test stack's console also takes a pasted token, as a cookie.
    const page = await fetch(`${t.stack.httpUrl}/console/imports`, {
      headers: { cookie: `madad_staff=${token}` },
    });
    const cell = await t.staff('/api/v1/imports', ['emergency-cell']);
    const unknown = await t.staff('/api/v1/imports/imp-0000000000000000', ['program-officer']);

    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      importId: summary.importId,
      chunksDone: summary.chunks,
      chunks: summary.chunks,
      imported: households.length,
      rejected: 2,
      finishedAt: summary.finishedAt,
    });
    const listed = (await list.json()) as { items: { importId: string }[] };
    expect(listed.items.map((i) => i.importId)).toContain(summary.importId);
    const html = await page.text();
    expect(html).toContain(`data-import="${summary.importId}" data-state="done"`);
    expect(html).toContain(`${summary.chunks} / ${summary.chunks} chunks`);
    expect(cell.status).toBe(403);
    expect(unknown.status).toBe(404);
  });

  it('starts an import when a file is put under uploads/ directly, as the bucket event does in the cloud', async () => {
    const deps = importSplitterDeps();
    const identities = (await readFile(join(dir, POPULATION_FILES.identities), 'utf8')).trim().split('\n');
    const key = 'uploads/identity/dropped-in.ndjson';

    await deps.files.writeText(key, `${identities.slice(0, 50).join('\n')}\n`);

    const head = await deps.files.head(key);
    const importId = importIdFor(deps.files.bucket, key, head?.etag ?? '');
    const done = await waitFor(
      async () => {
        const job = await deps.jobs.get(importId);
        return job?.finishedAt ? job : undefined;
      },
      60_000,
      'the dropped-in import to finish',
    );
    expect(done).toMatchObject({ kind: 'identity', lines: 50, imported: 50, rejected: 0 });
  }, 90_000);
  it('decodes a coded registry CSV as one process would: --codes and --max-line-length go to the workers, a quoted newline on a chunk boundary stays in its record, a person in two households stays with the earlier', async () => {
    const csvDir = join(dir, 'csv');
    await writePopulation({ households: 140, seed: 'parallel-it-csv', outDir: csvDir });
    const pool = (await readFile(join(csvDir, POPULATION_FILES.households), 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as HouseholdImport);
    const header =
      'HH_ID,Province,District,Tehsil,PMT_Score,Survey_Date,Programme,Mobile,CNIC_No,Member_Name,Sex,Year_of_Birth,Relation_to_Head,Marital_Status,Disability,Remarks';
    const rowsOf = (h: HouseholdImport, remarks: (i: number) => string = () => '') =>
      h.members.map(
        (m, i) =>
          `${[h.householdId, h.province, h.district, h.tehsil, h.pmtScore, h.surveyedAt, h.programmes.join(';'), h.phones.join(';'), m.cnic, `"${m.name}"`, m.gender === 'male' ? 1 : 2, m.birthYear, m.relation, m.maritalStatus, m.disabled ? 'Yes' : 'No', remarks(i)].join(',')}\n`,
      );
    const [first, special, long, ...rest] = pool as [
      HouseholdImport,
      HouseholdImport,
      HouseholdImport,
      ...HouseholdImport[],
    ];
    const shortLong = { ...long, members: long.members.slice(0, 1) };
    const later = rest[rest.length - 1] as HouseholdImport;
    const stealing = {
      ...later,
      members: [...later.members, first.members[0] as HouseholdImport['members'][0]],
    };
    // The special household's remark holds a newline that must fall exactly on the first chunk's aimed-at end.
    const specialRows = rowsOf(special, (i) => (i === 0 ? '"moved after the flood\nback since 2023"' : ''));
    const newlineAt = (specialRows[0] ?? '').indexOf('\n');
    const headerEnd = header.length + 1;
    const target = headerEnd + 16 * 1024 - 1;
    let text = `${header}\n${rowsOf(first).join('')}`;
    let placed = false;
    let blank = 0;
    const lineOf = new Map<string, number>();
    const add = (h: HouseholdImport, rows: string[]) => {
      lineOf.set(h.householdId, text.split('\n').length);
      text += rows.join('');
    };
    lineOf.set(first.householdId, 2);
    for (const h of rest.slice(0, -1)) {
      const rows = rowsOf(h);
      if (!placed && Buffer.byteLength(text) + newlineAt + rows.join('').length > target) {
        blank = target - Buffer.byteLength(text) - newlineAt;
        text += '\n'.repeat(blank);
        add(special, specialRows);
        placed = true;
      }
      add(h, rows);
    }
    add(
      shortLong,
      rowsOf(shortLong, () => 'x'.repeat(2_500)),
    );
    add(stealing, rowsOf(stealing));
    const file = join(csvDir, 'nser-extract.csv');
    await writeFile(file, text);
    const codes = join(csvDir, 'nser-codes.json');
    await writeFile(codes, JSON.stringify({ gender: { '1': 'male', '2': 'female' } }));
    expect(placed).toBe(true);
    expect(
      Buffer.from(text)
        .subarray(target, target + 1)
        .toString(),
    ).toBe('\n');
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const code = await main([
      'import',
      'registry',
      file,
      '--parallel',
      '--codes',
      codes,
      '--max-line-length',
      '2000',
      '--json',
    ]);

    const printed = out.mock.calls.map((c) => String(c[0]));
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const done = JSON.parse(printed.at(-1) ?? '{}') as ImportSummaryDocument & { rejectsPath: string };
    // first, special, the rest but the last, the short one and the stealing one
    const households = rest.length + 3;
    expect(done.chunks).toBeGreaterThan(3);
    expect(done).toMatchObject({ format: 'csv', blank, imported: households - 2, rejected: 2 });
    const rejects = (await readFile(done.rejectsPath, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reason: string });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [lineOf.get(shortLong.householdId), 'LINE_TOO_LONG'],
      [lineOf.get(stealing.householdId), 'DUPLICATE_MEMBER'],
    ]);
    const { config, doc } = getRuntime();
    const stored = async (id: string) =>
      (await doc.send(new GetCommand({ TableName: config.tables.registry, Key: registryKeys.household(id) })))
        .Item;
    expect((await stored(special.householdId))?.members).toHaveLength(special.members.length);
    expect((await stored(first.householdId))?.members).toHaveLength(first.members.length);
    expect(await stored(stealing.householdId)).toBeUndefined();
    // The Sex column's 1 and 2, read through --codes.
    const genders = (((await stored(first.householdId))?.members ?? []) as { gender: string }[]).map(
      (m) => m.gender,
    );
    expect(genders).toEqual(first.members.map((m) => m.gender));
  }, 240_000);
});
