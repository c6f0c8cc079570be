import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditAnchorKey, DynamoDbAppealStore, FileAuditAnchors, S3AuditAnchors } from '@madad/adapters';
import { type Appeal, type AppealClaim, ConflictError, signAuditAnchor } from '@madad/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUDIT_KEY } from '../support/audit-fakes.js';
import { type OperationsTable, startOperationsTable } from '../support/operations-table.js';

let operations: OperationsTable | undefined;
let doc: DynamoDBDocumentClient;
let table = '';
let dir = '';

beforeAll(async () => {
  operations = await startOperationsTable('madad-audit-adapters-');
  ({ doc, table, dir } = operations);
});

afterAll(async () => {
  await operations?.stop();
});

const appeal = (appealId: string): Appeal => ({
  appealId,
  messageId: `m-${appealId}`,
  cnicHash: 'h1',
  phone: '+923001234567',
  lang: 'en',
  note: 'I sold the car',
  status: 'OPEN',
  openedAt: '2026-08-20T10:00:00Z',
});
const claim = (by: string, outcome: AppealClaim['outcome']): AppealClaim => ({
  by,
  role: 'program-officer',
  outcome,
  reason: 'reviewed the excise record',
  at: '2026-08-21T09:00:00Z',
});

describe('DynamoDbAppealStore on the embedded DynamoDB', () => {
  it('lets exactly one of many concurrent claims take an open appeal, and lists it as RESOLVING', async () => {
    const store = new DynamoDbAppealStore(doc, table);
    await store.open(appeal('A0000001'));
    const claims = Array.from({ length: 10 }, (_, i) =>
      claim(`officer-${i}`, i % 2 ? 'UPHELD' : 'OVERTURNED'),
    );
    const won = await Promise.all(claims.map((c) => store.claim('A0000001', c)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const stored = await store.get('A0000001');
    expect(stored?.status).toBe('RESOLVING');
    expect(stored?.claim).toEqual(claims[won.indexOf(true)]);
    expect((await store.list('RESOLVING', 10)).map((a) => a.appealId)).toContain('A0000001');
    expect((await store.list('OPEN', 10)).map((a) => a.appealId)).not.toContain('A0000001');
  });

  it('completes only the claimed outcome, once; completing again is harmless', async () => {
    const store = new DynamoDbAppealStore(doc, table);
    await store.open(appeal('A0000002'));
    await store.claim('A0000002', claim('olivia', 'OVERTURNED'));
    const resolution = { by: 'olivia', at: '2026-08-21T09:00:00Z', reason: 'sold', enrolled: true };
    await expect(store.complete('A0000002', 'UPHELD', resolution)).rejects.toBeInstanceOf(ConflictError);
    await store.complete('A0000002', 'OVERTURNED', resolution);
    await store.complete('A0000002', 'OVERTURNED', resolution);
    expect(await store.get('A0000002')).toMatchObject({ status: 'OVERTURNED', resolution });
    expect(await store.claim('A0000002', claim('umar', 'UPHELD'))).toBe(false);
  });
});

describe('FileAuditAnchors', () => {
  it('returns the highest seq, and refuses a file with a line that is not an anchor', async () => {
    const path = join(dir, 'anchors.ndjson');
    const anchors = new FileAuditAnchors(path);
    expect(await anchors.latest()).toBeUndefined();
    const at = '2026-08-21T09:00:00Z';
    await Promise.all(
      [3, 1, 2].map((seq) =>
        anchors.record(signAuditAnchor({ seq, hash: String(seq).repeat(64) }, at, TEST_AUDIT_KEY)),
      ),
    );
    expect(await anchors.latest()).toMatchObject({ seq: 3 });
    await writeFile(path, '{"seq": 9}\n', { flag: 'a' });
    await expect(anchors.latest()).rejects.toThrow(/line 4 is not an audit anchor/);
  });
});

describe('S3AuditAnchors', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());
  const anchor = signAuditAnchor({ seq: 42, hash: 'a'.repeat(64) }, '2026-08-21T09:00:00Z', TEST_AUDIT_KEY);
  // The SDK's streaming body, as far as the adapter reads it.
  const body = (text: string) => ({ transformToString: async () => text });

  it('puts each anchor under a key that sorts the newest first, with a checksum (Object Lock needs one)', async () => {
    s3.on(PutObjectCommand).resolves({});
    await new S3AuditAnchors(new S3Client({ region: 'us-east-1' }), 'anchors-bucket').record(anchor);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'anchors-bucket',
      Key: auditAnchorKey(42),
      ChecksumAlgorithm: 'SHA256',
      Body: JSON.stringify(anchor),
    });
    expect(auditAnchorKey(43) < auditAnchorKey(42)).toBe(true);
  });

  it('reads the latest anchor with one list of one key, and refuses one that is not what its key names', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: auditAnchorKey(42) }] });
    s3.on(GetObjectCommand)
      .resolvesOnce({ Body: body(JSON.stringify(anchor)) } as never)
      .resolvesOnce({ Body: body(JSON.stringify({ ...anchor, seq: 7 })) } as never);
    const anchors = new S3AuditAnchors(new S3Client({ region: 'us-east-1' }), 'anchors-bucket');
    expect(await anchors.latest()).toEqual(anchor);
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({
      Prefix: 'anchors/',
      MaxKeys: 1,
    });
    // An older anchor written again under the newest key (a version on top) does not pass for it.
    await expect(anchors.latest()).rejects.toThrow(/not the audit anchor its key names/);
  });

  it('lists every anchor for the deep check, page after page', async () => {
    const older = signAuditAnchor({ seq: 41, hash: 'b'.repeat(64) }, '2026-08-21T08:00:00Z', TEST_AUDIT_KEY);
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: auditAnchorKey(42) }],
        IsTruncated: true,
        NextContinuationToken: 'next',
      })
      .resolvesOnce({ Contents: [{ Key: auditAnchorKey(41) }], IsTruncated: false });
    s3.on(GetObjectCommand, { Key: auditAnchorKey(42) }).resolves({
      Body: body(JSON.stringify(anchor)),
    } as never);
    s3.on(GetObjectCommand, { Key: auditAnchorKey(41) }).resolves({
      Body: body(JSON.stringify(older)),
    } as never);
    const anchors = new S3AuditAnchors(new S3Client({ region: 'us-east-1' }), 'anchors-bucket');
    expect(await anchors.all()).toEqual([anchor, older]);
  });
});
