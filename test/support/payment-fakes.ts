import {
  type AuditEntry,
  type BatchSettlement,
  type BudgetState,
  type Campaign,
  chainAuditEntry,
  checkBudget,
  EMPTY_BUDGET,
  enrollmentKey,
  type LastPayment,
  type PayableEnrollment,
  type PayeeCandidate,
  type PaymentBatch,
  type PaymentLine,
  type PaymentResult,
  type PaymentServiceDeps,
  type ResultImport,
} from '@madad/core';
import { TEST_AUDIT_KEY } from './audit-fakes.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * In-memory payment ports with the same conditional semantics as the DynamoDB adapters: each check
 * and write happens in one synchronous step, so concurrent calls interleave like conditional writes.
 */
export function memoryPayments(campaigns: readonly Campaign[], now = new Date('2026-03-01T10:00:00Z')) {
  type FakeEnrollment = Mutable<PayableEnrollment> & {
    failureConfirmedBy?: string;
    retryAfter?: string;
    paymentHold?: { reason: string; at: string; until: string };
  };
  const enrollments = new Map<string, FakeEnrollment>();
  const households = new Map<string, PayeeCandidate[]>();
  const batches = new Map<string, PaymentBatch>();
  const lines = new Map<string, Map<string, PaymentLine>>();
  const budgets = new Map<string, BudgetState>();
  // What the budget item holds besides the counters: reserved batch ids and versioned settlements.
  const reservedBatches = new Set<string>();
  const settlements = new Map<string, { v: number; totals: BatchSettlement }>();
  const imports = new Map<string, { header: ResultImport; results: PaymentResult[] }>();
  const history = new Map<string, LastPayment>();
  const retryable = (e: FakeEnrollment, now: string) =>
    e.paymentState === 'failed' &&
    (e.failureConfirmedBy !== undefined || (e.retryAfter !== undefined && e.retryAfter <= now));
  const audit: AuditEntry[] = [];
  const key = (campaignId: string, householdId: string) => enrollmentKey(campaignId, householdId);
  const linesOf = (batchId: string) => lines.get(batchId) ?? new Map<string, PaymentLine>();

  const deps: PaymentServiceDeps = {
    clock: { now: () => now },
    campaigns: { get: async (id) => campaigns.find((c) => c.campaignId === id) },
    payees: {
      members: async (ids) =>
        new Map(ids.flatMap((id) => (households.has(id) ? [[id, households.get(id) ?? []]] : []))),
    },
    enrollments: {
      unbatched: async (q) =>
        [...enrollments.values()]
          .filter(
            (e) =>
              e.campaignId === q.campaignId &&
              e.district.toUpperCase() === q.district.toUpperCase() &&
              (!e.batchId || retryable(e, q.now)) &&
              (!e.paymentHold || e.paymentHold.until <= q.now) &&
              !e.paidReference &&
              (!q.category || e.category === q.category),
          )
          .slice(0, q.limit)
          .map((e) => ({ ...e })),
      claimedBy: async (q) =>
        [...enrollments.values()]
          .filter(
            (e) =>
              e.campaignId === q.campaignId &&
              e.district.toUpperCase() === q.district.toUpperCase() &&
              e.batchId === q.batchId,
          )
          .map((e) => ({ ...e })),
      load: async (pairs) =>
        new Map(
          pairs.flatMap((p) => {
            const e = enrollments.get(key(p.campaignId, p.householdId));
            return e ? [[key(p.campaignId, p.householdId), { ...e }]] : [];
          }),
        ),
      claim: async (campaignId, householdId, batchId, now) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (!e || e.paidReference || (e.capState && e.capState !== 'enrolled')) return { claimed: false };
        if (e.batchId && !retryable(e, now)) return { claimed: false };
        delete e.failureConfirmedBy;
        delete e.retryAfter;
        delete e.paymentHold;
        e.batchId = batchId;
        e.paymentState = 'batched';
        e.paymentAttempt = (e.paymentAttempt ?? 0) + 1;
        return { claimed: true, attempt: e.paymentAttempt };
      },
      release: async (campaignId, householdId, batchId) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (e?.batchId !== batchId || e.paymentState !== 'batched') return;
        delete e.batchId;
        delete e.paymentState;
      },
      advance: async (campaignId, householdId, batchId, from, to) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (e?.batchId !== batchId || !e.paymentState || !from.includes(e.paymentState)) return false;
        e.paymentState = to;
        return true;
      },
      markPaid: async (campaignId, householdId, paid) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (!e) throw new Error('no enrollment');
        if (e.paidReference)
          return e.paidReference === paid.reference ? 'already' : { paidUnder: e.paidReference };
        Object.assign(e, {
          paymentState: 'paid',
          paidReference: paid.reference,
          paidBatchId: paid.batchId,
          paidAt: paid.at,
        });
        return 'marked';
      },
      markFailed: async (campaignId, householdId, batchId, retryAfter) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (e?.batchId !== batchId || e.paidReference) return false;
        e.paymentState = 'failed';
        if (retryAfter && !e.retryAfter) e.retryAfter = retryAfter;
        return true;
      },
      hold: async (campaignId, householdId, hold) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (e && !e.paidReference) e.paymentHold = hold;
      },
      confirmFailure: async (campaignId, householdId, batchId, by) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (e?.batchId !== batchId || e.paymentState !== 'failed' || e.paidReference) return false;
        e.failureConfirmedBy = by;
        return true;
      },
    },
    batches: {
      create: async (batch) => {
        if (batches.has(batch.batchId)) throw new Error('exists');
        batches.set(batch.batchId, batch);
      },
      putLines: async (put) => {
        for (const line of put)
          lines.set(line.batchId, linesOf(line.batchId).set(line.paymentReference, line));
      },
      get: async (id) => batches.get(id),
      lines: async (id) => [...linesOf(id).values()],
      linesByReference: async (id, refs) =>
        new Map(refs.flatMap((r) => (linesOf(id).has(r) ? [[r, linesOf(id).get(r) as PaymentLine]] : []))),
      transition: async (id, from, to) => {
        if (batches.get(id)?.status !== from) return false;
        batches.set(id, to);
        return true;
      },
      listByCampaign: async (id) => [...batches.values()].filter((b) => b.campaignId === id),
      recordOutcome: async (line, expected, next) => {
        const current = linesOf(line.batchId).get(line.paymentReference);
        if (!current || current.outcome !== expected) return false;
        const { outcomeReason: _dropped, ...rest } = current;
        linesOf(line.batchId).set(line.paymentReference, {
          ...rest,
          outcome: next.outcome,
          ...(next.reason ? { outcomeReason: next.reason } : {}),
          ...(next.paidAt ? { paidAt: next.paidAt } : {}),
          outcomeImportId: next.importId,
          outcomeUploadedBy: next.uploadedBy,
        });
        return true;
      },
      settleLine: async (line, outcome, duplicateOf) => {
        const current = linesOf(line.batchId).get(line.paymentReference);
        if (current?.outcome !== outcome) return false;
        const { duplicateOf: _was, ...rest } = current;
        linesOf(line.batchId).set(line.paymentReference, {
          ...rest,
          settledOutcome: outcome,
          ...(duplicateOf ? { duplicateOf } : {}),
        });
        return true;
      },
      confirmFailure: async (line, confirmation) => {
        const current = linesOf(line.batchId).get(line.paymentReference);
        if (current?.outcome !== 'FAILED' || current.failureConfirmedBy) return false;
        linesOf(line.batchId).set(line.paymentReference, {
          ...current,
          failureConfirmedBy: confirmation.by,
          failureConfirmedAt: confirmation.at,
          failureConfirmationId: confirmation.id,
        });
        return true;
      },
      completeFailureConfirmation: async (line) => {
        const current = linesOf(line.batchId).get(line.paymentReference);
        if (current)
          linesOf(line.batchId).set(line.paymentReference, { ...current, failureConfirmationDone: true });
      },
    },
    imports: {
      stage: async (header, results) => {
        const id = `${header.batchId}|${header.importId}`;
        if (imports.has(id)) return 'exists';
        imports.set(id, { header, results: [...results] });
        return 'created';
      },
      get: async (batchId, importId) => imports.get(`${batchId}|${importId}`)?.header,
      results: async (batchId, importId) => [...(imports.get(`${batchId}|${importId}`)?.results ?? [])],
      transition: async (batchId, importId, from, to) => {
        const found = imports.get(`${batchId}|${importId}`);
        if (found?.header.status !== from) return false;
        found.header = to;
        return true;
      },
      list: async (batchId) =>
        [...imports.values()].filter((i) => i.header.batchId === batchId).map((i) => i.header),
    },
    history: {
      lastPaid: async (ids) =>
        new Map(ids.flatMap((id) => (history.has(id) ? [[id, history.get(id) as LastPayment]] : []))),
      recordPaid: async (householdId, payment) => {
        const seen = history.get(householdId);
        if (!seen || seen.paidAt <= payment.paidAt) history.set(householdId, payment);
      },
    },
    budget: {
      reserveBatch: async (campaignId, batchId, limits, amount, n) => {
        const state = budgets.get(campaignId) ?? EMPTY_BUDGET;
        if (reservedBatches.has(batchId)) return { ok: true };
        if (!checkBudget(limits, state, { amount, households: n }).ok) return { ok: false, state };
        reservedBatches.add(batchId);
        budgets.set(campaignId, {
          ...state,
          reserved: state.reserved + amount,
          households: state.households + n,
        });
        return { ok: true };
      },
      settlement: async (_campaignId, batchId) => {
        const found = settlements.get(batchId);
        return found ? { version: found.v, totals: found.totals } : { version: 0 };
      },
      settle: async (campaignId, batchId, version, totals) => {
        const found = settlements.get(batchId);
        if ((found?.v ?? 0) !== version) return false;
        const old = found?.totals ?? {
          paid: 0,
          paidHouseholds: 0,
          released: 0,
          releasedHouseholds: 0,
          duplicates: 0,
          duplicateAmount: 0,
        };
        const s = budgets.get(campaignId) ?? EMPTY_BUDGET;
        budgets.set(campaignId, {
          reserved: s.reserved - (totals.released - old.released),
          households: s.households - (totals.releasedHouseholds - old.releasedHouseholds),
          paid: s.paid + totals.paid - old.paid,
          paidHouseholds: s.paidHouseholds + totals.paidHouseholds - old.paidHouseholds,
          duplicates: s.duplicates + totals.duplicates - old.duplicates,
          duplicateAmount: s.duplicateAmount + totals.duplicateAmount - old.duplicateAmount,
        });
        settlements.set(batchId, { v: version + 1, totals });
        return true;
      },
      read: async (campaignId) => budgets.get(campaignId) ?? EMPTY_BUDGET,
    },
    audit: {
      append: async (input) => {
        // Idempotent by actionId, as the real ledger is: a re-run records nothing new.
        const first = input.actionId ? audit.find((e) => e.actionId === input.actionId) : undefined;
        if (first) return first;
        const entry = chainAuditEntry(audit.at(-1), input, now.toISOString(), TEST_AUDIT_KEY);
        audit.push(entry);
        return entry;
      },
      list: async (from, limit) => audit.filter((e) => e.seq >= from).slice(0, limit),
      head: async () => audit.at(-1),
    },
  };
  return { deps, enrollments, households, batches, lines, budgets, audit, imports, history };
}
