import { functionPlans } from '@madad/infra/function-plans';
import type { ChildCounters } from './intake-bench.js';

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

/** Where one kind of call went, per registration. */
export interface CostLine {
  readonly fn: string;
  readonly service: string;
  readonly operation: string;
  readonly target: string;
  readonly kind: string;
  readonly calls: number;
  readonly items: number;
  /** Write or read units (DynamoDB) or billed requests (SQS). */
  readonly units: number;
}

/** What one registration cost, measured: every number is a total over the phase divided by the registrations. */
export interface UnitCosts {
  readonly registrations: number;
  /** Items written (a put, update or delete each; batch writes per item). */
  readonly writes: number;
  readonly writeUnits: number;
  /** Of which: base table as the emulator reported, index writes and failed conditional writes (computed). */
  readonly writeUnitsBase: number;
  readonly writeUnitsIndexes: number;
  readonly writeUnitsFailed: number;
  readonly readRequests: number;
  readonly readItems: number;
  readonly readUnits: number;
  /** SQS requests as billed (the functions' sends and the event source's receives and deletes). */
  readonly sqsRequests: number;
  /** Per function: invocations and GB-seconds per registration (memory from infra/function-plans.ts). */
  readonly lambda: Record<string, { invocations: number; gbSeconds: number; msPerInvocation: number }>;
  readonly lines: CostLine[];
}

const memoryOf = (fn: string) =>
  (functionPlans as Record<string, { memorySize: number }>)[fn]?.memorySize ?? 0;

/** Per-registration costs from a phase's counters. */
export function unitCosts(counters: ChildCounters, registrations: number): UnitCosts {
  const per = (x: number) => x / Math.max(1, registrations);
  let writes = 0;
  let base = 0;
  let indexes = 0;
  let failed = 0;
  let readRequests = 0;
  let readItems = 0;
  let readUnits = 0;
  let sqs = 0;
  const lines: CostLine[] = [];
  for (const t of counters.tallies) {
    let units = 0;
    if (t.service === 'sqs') {
      sqs += t.billedRequests;
      units = t.billedRequests;
    } else if (WRITES.has(t.operation)) {
      writes += t.items;
      base += t.consumedUnits;
      indexes += t.indexWriteUnits;
      failed += t.failedWriteUnits;
      units = t.consumedUnits + t.indexWriteUnits + t.failedWriteUnits;
    } else if (READS.has(t.operation)) {
      readRequests += t.calls;
      readItems += t.items;
      readUnits += t.consumedUnits;
      units = t.consumedUnits;
    }
    lines.push({ ...t, calls: per(t.calls), items: per(t.items), units: per(units) });
  }
  const lambda = Object.fromEntries(
    Object.entries(counters.invocations).map(([fn, i]) => [
      fn,
      {
        invocations: per(i.count),
        gbSeconds: per((memoryOf(fn) / 1024) * (i.billedMs / 1000)),
        msPerInvocation: i.count ? i.billedMs / i.count : 0,
      },
    ]),
  );
  return {
    registrations,
    writes: per(writes),
    writeUnits: per(base + indexes + failed),
    writeUnitsBase: per(base),
    writeUnitsIndexes: per(indexes),
    writeUnitsFailed: per(failed),
    readRequests: per(readRequests),
    readItems: per(readItems),
    readUnits: per(readUnits),
    sqsRequests: per(sqs),
    lambda,
    lines: lines.sort((a, b) => b.units - a.units),
  };
}
