import type { CallTally } from '../bench/sdk-call-counter.js';

/** S3 requests of one operation by one function, with the bytes sent or received. */
export interface S3Tally {
  readonly fn: string;
  readonly operation: string;
  readonly calls: number;
  readonly bytes: number;
}

/** Lambda invocations of one function: how many, the records they carried, their summed duration. */
export interface InvocationTally {
  readonly fn: string;
  readonly invocations: number;
  readonly records: number;
  readonly totalMs: number;
}

/** What one stage of the chain called, counted on the embedded stack (bench/national-calls.json). */
export interface CountedStage {
  readonly stage: string;
  /** The households the stage handled: the registry's size for imports and activation, payment lines after. */
  readonly households: number;
  readonly seconds: number;
  readonly calls: readonly CallTally[];
  readonly s3: readonly S3Tally[];
  readonly lambda: readonly InvocationTally[];
}

/** The file tools/bench/scale/counted-calls.ts writes: one run per registry size. */
export interface NationalCalls {
  readonly measuredAt: string;
  readonly commit: string;
  readonly chunkBytes: number;
  readonly consumersPerQueue: number;
  readonly runs: readonly CountedRun[];
}

/** One registry size counted through the chain, in a fresh stack. */
export interface CountedRun {
  readonly households: number;
  readonly members: number;
  readonly batches: number;
  readonly loadAverage: readonly number[];
  readonly stages: readonly CountedStage[];
}

/** Capacity and requests of one table, per household. */
export interface TableLoad {
  readonly readRequests: number;
  readonly writeRequests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

/** What one household costs a stage, from the counts (the marginal cost when two sizes were counted). */
export interface StageProfile {
  readonly stage: string;
  readonly tables: Readonly<Record<string, TableLoad>>;
  /** Write units per household by table and kind of item (`operations CAP/CAP`), index writes included. */
  readonly writeUnitsByKind: Readonly<Record<string, number>>;
  /** The part of those that global secondary indexes take (partitioned by the index's key, not the item's). */
  readonly indexUnitsByKind: Readonly<Record<string, number>>;
  /** Billed SQS requests: the functions' own, plus a receive and a delete per consumer invocation. */
  readonly sqsRequests: number;
  /** S3 requests priced as PUT (PutObject, parts, multipart start and end, copies, lists) and as GET. */
  readonly s3PutRequests: number;
  readonly s3GetRequests: number;
  readonly s3Bytes: number;
  readonly invocations: Readonly<Record<string, number>>;
  readonly lambdaMs: Readonly<Record<string, number>>;
  /** DynamoDB, SQS and S3 requests the stage's functions make, one round trip each. */
  readonly requests: number;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const S3_GET = new Set(['GetObject', 'HeadObject']);
/** Bookkeeping of the bench itself, not part of the chain. */
const DRIVER = 'driver';

type Totals = {
  tables: Record<
    string,
    { readRequests: number; writeRequests: number; readUnits: number; writeUnits: number }
  >;
  kinds: Record<string, number>;
  indexKinds: Record<string, number>;
  numbers: Record<string, number>;
};

/**
 * Sums a stage's counts. An UpdateItem on a kind of item that is indexed when put (its puts carried
 * index write units) is charged the same index units per item: the counter sizes puts' index writes
 * only, and an update of an item with projection ALL rewrites its index entry too.
 */
export function stageTotals(stage: CountedStage): Totals {
  const totals: Totals = { tables: {}, kinds: {}, indexKinds: {}, numbers: {} };
  const add = (key: string, value: number) => {
    totals.numbers[key] = (totals.numbers[key] ?? 0) + value;
  };
  const indexPerItem = new Map<string, number>();
  for (const c of stage.calls)
    if (c.indexWriteUnits > 0 && c.items > 0)
      indexPerItem.set(`${c.target} ${c.kind}`, c.indexWriteUnits / c.items);
  for (const c of stage.calls) {
    if (c.fn === DRIVER) continue;
    if (c.service === 'sqs') {
      if (c.fn !== 'event-source') add('sqsRequests', c.billedRequests);
      if (c.fn !== 'event-source') add('requests', c.calls);
      continue;
    }
    add('requests', c.calls);
    const table = totals.tables[c.target] ?? {
      readRequests: 0,
      writeRequests: 0,
      readUnits: 0,
      writeUnits: 0,
    };
    totals.tables[c.target] = table;
    if (READS.has(c.operation)) {
      table.readRequests += c.calls;
      table.readUnits += c.consumedUnits;
      continue;
    }
    const updateIndex =
      c.operation === 'UpdateItem' ? (indexPerItem.get(`${c.target} ${c.kind}`) ?? 0) * c.items : 0;
    const units = c.consumedUnits + c.indexWriteUnits + c.failedWriteUnits + updateIndex;
    table.writeRequests += c.calls;
    table.writeUnits += units;
    const kind = `${c.target} ${c.kind}`;
    totals.kinds[kind] = (totals.kinds[kind] ?? 0) + units;
    const indexUnits = c.indexWriteUnits + updateIndex;
    if (indexUnits > 0) totals.indexKinds[kind] = (totals.indexKinds[kind] ?? 0) + indexUnits;
  }
  for (const s of stage.s3) {
    if (s.fn === DRIVER) continue;
    add(S3_GET.has(s.operation) ? 's3GetRequests' : 's3PutRequests', s.calls);
    add('s3Bytes', s.bytes);
    add('requests', s.calls);
  }
  for (const l of stage.lambda) {
    add(`invocations ${l.fn}`, l.invocations);
    add(`lambdaMs ${l.fn}`, l.totalMs);
    // Lambda's event source receives each batch and deletes it: two billed SQS requests an invocation.
    if (l.fn !== 'api' && l.fn !== 'import-splitter') add('sqsRequests', 2 * l.invocations);
  }
  return totals;
}

/**
 * Per-household cost of each stage. With two sizes counted, the marginal cost (the difference over
 * the difference in households): what stays fixed (a campaign's work items per district, a batch's
 * records) does not grow with the registry and is left out; with one size, the plain average.
 */
export function stageProfiles(runs: readonly CountedRun[]): StageProfile[] {
  const ordered = [...runs].sort((a, b) => a.households - b.households);
  const large = ordered.at(-1);
  if (!large) return [];
  const small = ordered.length > 1 ? ordered[0] : undefined;
  return large.stages.map((stage) => {
    const before = small?.stages.find((s) => s.stage === stage.stage);
    const a = stageTotals(stage);
    const b = before ? stageTotals(before) : undefined;
    const span = stage.households - (before?.households ?? 0);
    if (span <= 0) throw new Error(`stage ${stage.stage}: the larger run handled no more households`);
    const per = (x: number, y = 0) => Math.max(0, (x - y) / span);
    const num = (key: string) => per(a.numbers[key] ?? 0, b?.numbers[key] ?? 0);
    const tables: Record<string, TableLoad> = {};
    for (const [name, load] of Object.entries(a.tables)) {
      const was = b?.tables[name];
      tables[name] = {
        readRequests: per(load.readRequests, was?.readRequests),
        writeRequests: per(load.writeRequests, was?.writeRequests),
        readUnits: per(load.readUnits, was?.readUnits),
        writeUnits: per(load.writeUnits, was?.writeUnits),
      };
    }
    const byPrefix = (prefix: string) =>
      Object.fromEntries(
        Object.keys(a.numbers)
          .filter((key) => key.startsWith(prefix))
          .map((key) => [key.slice(prefix.length), num(key)]),
      );
    return {
      stage: stage.stage,
      tables,
      writeUnitsByKind: Object.fromEntries(
        Object.entries(a.kinds).map(([kind, units]) => [kind, per(units, b?.kinds[kind])]),
      ),
      indexUnitsByKind: Object.fromEntries(
        Object.entries(a.indexKinds).map(([kind, units]) => [kind, per(units, b?.indexKinds[kind])]),
      ),
      sqsRequests: num('sqsRequests'),
      s3PutRequests: num('s3PutRequests'),
      s3GetRequests: num('s3GetRequests'),
      s3Bytes: num('s3Bytes'),
      invocations: byPrefix('invocations '),
      lambdaMs: byPrefix('lambdaMs '),
      requests: num('requests'),
    };
  });
}
