import {
  type AuditEntry,
  type BudgetState,
  type Campaign,
  chainAuditEntry,
  checkBudget,
  EMPTY_BUDGET,
  enrollmentKey,
  type PayableEnrollment,
  type PayeeCandidate,
  type PaymentBatch,
  type PaymentLine,
  type PaymentServiceDeps,
} from '@madad/core';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * In-memory payment ports with the same conditional semantics as the DynamoDB adapters: each check
 * and write happens in one synchronous step, so concurrent calls interleave like conditional writes.
 */
export function memoryPayments(campaigns: readonly Campaign[], now = new Date('2026-03-01T10:00:00Z')) {
  const enrollments = new Map<string, Mutable<PayableEnrollment>>();
  const households = new Map<string, PayeeCandidate[]>();
  const batches = new Map<string, PaymentBatch>();
  const lines = new Map<string, Map<string, PaymentLine>>();
  const budgets = new Map<string, BudgetState>();
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
              (!e.batchId || e.paymentState === 'failed') &&
              !e.paidReference &&
              (!q.category || e.category === q.category),
          )
          .slice(0, q.limit)
          .map((e) => ({ ...e })),
      load: async (pairs) =>
        new Map(
          pairs.flatMap((p) => {
            const e = enrollments.get(key(p.campaignId, p.householdId));
            return e ? [[key(p.campaignId, p.householdId), { ...e }]] : [];
          }),
        ),
      claim: async (campaignId, householdId, batchId) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (!e || e.paidReference || (e.batchId && e.paymentState !== 'failed')) return { claimed: false };
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
      markFailed: async (campaignId, householdId, batchId) => {
        const e = enrollments.get(key(campaignId, householdId));
        if (e?.batchId !== batchId || e.paidReference) return false;
        e.paymentState = 'failed';
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
        });
        return true;
      },
    },
    budget: {
      reserve: async (campaignId, limits, amount, n) => {
        const state = budgets.get(campaignId) ?? EMPTY_BUDGET;
        if (!checkBudget(limits, state, { amount, households: n }).ok) return { ok: false, state };
        budgets.set(campaignId, {
          ...state,
          reserved: state.reserved + amount,
          households: state.households + n,
        });
        return { ok: true };
      },
      adjust: async (campaignId, delta) => {
        const s = budgets.get(campaignId) ?? EMPTY_BUDGET;
        budgets.set(campaignId, {
          reserved: s.reserved + (delta.reserved ?? 0),
          households: s.households + (delta.households ?? 0),
          paid: s.paid + (delta.paid ?? 0),
          paidHouseholds: s.paidHouseholds + (delta.paidHouseholds ?? 0),
        });
      },
      read: async (campaignId) => budgets.get(campaignId) ?? EMPTY_BUDGET,
    },
    audit: {
      append: async (input) => {
        const entry = chainAuditEntry(audit.at(-1), input, now.toISOString());
        audit.push(entry);
        return entry;
      },
      list: async (from, limit) => audit.filter((e) => e.seq >= from).slice(0, limit),
      head: async () => audit.at(-1),
    },
  };
  return { deps, enrollments, households, batches, lines, budgets, audit };
}
