import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import {
  crashPoint,
  type HouseholdImport,
  HouseholdImportSchema,
  hashCnic,
  importDecoder,
} from '@madad/core';
import { registryKeys } from '../../keys.js';
import { batchGetAll } from '../../runtime/dynamodb-batch.js';
import type { S3ObjectStore } from '../../storage/object-store.js';
import type { Contest, DynamoDbImportContests } from './dynamodb-import-contests.js';
import type { ImportJob } from './dynamodb-import-jobs.js';
import { type ImportKind, type ImportTarget, registryKind } from './import-kinds.js';
import {
  type ClaimTag,
  earlierInFile,
  formatClaimTag,
  parseClaimTag,
  releaseClaim,
} from './member-claims.js';
import { memberHashes } from './person-index.js';
import { RecordBounds } from './record-bounds.js';

/** What the finisher changed: added to the chunks' counts in the summary. */
export interface Resolution {
  /** Contested households written, less the households evicted (may be negative). */
  readonly imported: number;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
}

export interface ResolveDeps {
  readonly target: ImportTarget;
  readonly files: S3ObjectStore;
  readonly contests: DynamoDbImportContests;
}

export class ContestUnsettledError extends Error {
  override readonly name = 'ContestUnsettledError';
}

/**
 * The parallel import's last step, once every chunk is counted: the households that met another
 * household's claim of the same file are decided one by one in file order, as the single-process
 * import decides every line. A contested household loses to a household earlier in the file
 * (DUPLICATE_MEMBER, the single-process message); otherwise the later households holding its members
 * are evicted (refused as DUPLICATE_MEMBER, their items removed) and it is written. Every step is a
 * conditional write or a put of a record keyed by line, so a finisher that stops converges when run
 * again (a redelivered last chunk runs it again).
 */
export async function resolveContests(deps: ResolveDeps, job: ImportJob): Promise<Resolution> {
  const contests = await deps.contests.contests(job.importId);
  // One kind for every contest: its write is what a chunk's would be, with the contest's own tag.
  const writing: { tag?: ClaimTag; lost: boolean } = { lost: false };
  const kind = registryKind(deps.target, {
    checkRegistry: true,
    claims: {
      importId: job.importId,
      tagOf: () => {
        if (!writing.tag) throw new ContestUnsettledError('a contest written without its tag');
        return writing.tag;
      },
      contest: async () => {
        writing.lost = true;
      },
    },
  });
  for (const contest of contests) await decide(deps, job, contest, kind, writing);
  crashPoint('import-resolve.after-decisions');
  const refusals = await deps.contests.refusals(job.importId);
  // An eviction a stopped finisher began is finished (a no-op when it was).
  for (const r of refusals) if (r.evicted) await completeEviction(deps, r.evicted);
  const refusedContests = refusals.filter((r) => !r.evicted).length;
  const evicted = refusals.length - refusedContests;
  const rejectedByReason: Record<string, number> = {};
  for (const r of refusals) rejectedByReason[r.reason] = (rejectedByReason[r.reason] ?? 0) + 1;
  return {
    imported: contests.length - refusedContests - evicted,
    rejected: refusals.length,
    rejectedByReason,
  };
}

async function decide(
  deps: ResolveDeps,
  job: ImportJob,
  contest: Contest,
  kind: ImportKind<HouseholdImport>,
  writing: { tag?: ClaimTag; lost: boolean },
): Promise<void> {
  const tag = parseClaimTag(contest.tag);
  if (!tag) throw new ContestUnsettledError(`contest of ${job.importId} with a bad tag ${contest.tag}`);
  const household = HouseholdImportSchema.parse(JSON.parse(contest.value));
  const hashes = household.members.map((m) => hashCnic(deps.target.pepper, m.cnic));
  const people = new Map(
    (await batchGetAll(deps.target.doc, deps.target.table, hashes.map(registryKeys.person))).map((item) => [
      String(item.cnicHash),
      item,
    ]),
  );
  // Owners of the members in this import, other than this household, with their place in the file.
  const owners = hashes.map((hash) => {
    const person = people.get(hash);
    const claim = parseClaimTag(person?.claim);
    return person && claim?.importId === job.importId && person.householdId !== household.householdId
      ? { householdId: String(person.householdId), claim }
      : undefined;
  });
  const earlier = owners.findIndex((o) => o !== undefined && earlierInFile(o.claim, tag));
  if (earlier >= 0) {
    await deps.contests.refuse(job.importId, {
      ...place(contest),
      reason: 'DUPLICATE_MEMBER',
      message: `members.${earlier}.cnic is a member of an earlier household in this file`,
      path: ['members', earlier, 'cnic'],
      input: contest.raw.slice(0, 2000),
      evicted: false,
    });
    return;
  }
  const later = new Map(owners.flatMap((o) => (o ? [[o.householdId, o] as const] : [])));
  for (const owner of later.values()) await evict(deps, job, owner, new Set(hashes));

  // Written as its chunk would have written it, now that no household of the file holds its members.
  const accepted = { line: contest.line, raw: contest.raw, value: household };
  writing.tag = tag;
  writing.lost = false;
  const result = await kind.write([accepted], { last: true });
  if (writing.lost)
    throw new ContestUnsettledError(`line ${contest.line} of chunk ${contest.chunk} is still claimed`);
  for (const r of result.rejected)
    await deps.contests.refuse(job.importId, {
      ...place(contest),
      reason: r.rejection.reason,
      message: r.rejection.message,
      ...(r.rejection.path ? { path: [...r.rejection.path] } : {}),
      input: contest.raw.slice(0, 2000),
      evicted: false,
    });
}

const place = (c: Pick<Contest, 'chunk' | 'line' | 'offset'>) => ({
  chunk: c.chunk,
  line: c.line,
  offset: c.offset,
});

/**
 * Refuses a household written earlier by a chunk that comes later in the file: its refusal first,
 * then its members' claims, then its item, so a finisher stopped halfway finds the rest to do.
 */
async function evict(
  deps: ResolveDeps,
  job: ImportJob,
  owner: { householdId: string; claim: ClaimTag },
  /** The CNIC hashes of the earlier household that takes its members. */
  taker: ReadonlySet<string>,
): Promise<void> {
  const [stored] = await batchGetAll(deps.target.doc, deps.target.table, [
    registryKeys.household(owner.householdId),
  ]);
  const members = Array.isArray(stored?.members) ? (stored.members as Record<string, unknown>[]) : [];
  const repeated = Math.max(
    0,
    members.findIndex((m) => taker.has(String(m.cnicHash))),
  );
  await deps.contests.refuse(job.importId, {
    chunk: owner.claim.chunk,
    line: owner.claim.line,
    offset: owner.claim.offset,
    reason: 'DUPLICATE_MEMBER',
    // As the single-process import says it (it would have refused this line when it came to it).
    message: `members.${repeated}.cnic is a member of an earlier household in this file`,
    path: ['members', repeated, 'cnic'],
    input: (await recordAt(deps.files, job, owner.claim.offset)).slice(0, 2000),
    evicted: { householdId: owner.householdId, claim: formatClaimTag(owner.claim) },
  });
  crashPoint('import-resolve.after-refusal');
  await completeEviction(deps, { householdId: owner.householdId, claim: formatClaimTag(owner.claim) });
}

/**
 * Removes an evicted household: its members' claims (only while they are its own), then its item, so
 * that a finisher stopped in between finds the item, and the members to release, when run again.
 */
async function completeEviction(
  deps: ResolveDeps,
  evicted: { readonly householdId: string; readonly claim: string },
): Promise<void> {
  const [stored] = await batchGetAll(deps.target.doc, deps.target.table, [
    registryKeys.household(evicted.householdId),
  ]);
  if (!stored) return;
  for (const cnicHash of memberHashes(stored))
    await releaseClaim(deps.target, cnicHash, evicted.householdId, evicted.claim);
  crashPoint('import-resolve.after-unindex');
  await deps.target.doc.send(
    new DeleteCommand({ TableName: deps.target.table, Key: registryKeys.household(evicted.householdId) }),
  );
}

/** The text of the record that starts at `offset` of the uploaded file (for the reject file). */
async function recordAt(files: S3ObjectStore, job: ImportJob, offset: number): Promise<string> {
  const source = {
    size: job.size,
    read: (start: number, end: number) => files.readRange(job.key, start, end),
  };
  const bounds = await RecordBounds.of(source, { quoted: false, window: 64 * 1024 });
  const headerEnd = job.format === 'csv' ? await bounds.endAtOrAfter(0) : 0;
  const header = (await files.readRange(job.key, 0, headerEnd)).toString('utf8').replace(/\r?\n$/, '');
  const decoder = importDecoder('registry', {
    format: job.format,
    maxLineLength: Number.MAX_SAFE_INTEGER,
    ...(header ? { header } : {}),
  });
  const text = (await files.readRange(job.key, offset, Math.min(job.size, offset + 1024 * 1024))).toString(
    'utf8',
  );
  let line = 0;
  for (const raw of text.split('\n')) {
    const trimmed = raw.replace(/\r$/, '');
    line++;
    if (trimmed.trim() === '') continue;
    const [record] = decoder.push(trimmed, line);
    if (record) return record.raw;
  }
  return decoder.end()[0]?.raw ?? '';
}
