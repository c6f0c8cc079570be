import type { Appeal, AppealStatus, AppealStore } from '../appeals/appeals.js';
import type { PaymentLine } from './model.js';
import type { PayeeDirectory } from './ports.js';

/**
 * What a checker must look at before approving a line: its payee differs from the one the household
 * was last paid to, it retries a failed payment, or the household has an appeal still open.
 */
export type LineFlag = 'PAYEE_CHANGED' | 'RETRY' | 'OPEN_APPEAL';

export interface BreakdownRow {
  readonly district: string;
  readonly category: PaymentLine['category'];
  readonly lines: number;
  readonly amount: number;
}

export interface BatchReview {
  /** Lines and PKR by district and category (top-up or new beneficiary), sorted; sums to the batch. */
  readonly breakdown: readonly BreakdownRow[];
  /** The flags of each flagged line, by payment reference (unflagged lines are absent). */
  readonly flags: ReadonlyMap<string, readonly LineFlag[]>;
  /** Households with an appeal open, of those in the batch. */
  readonly openAppeals: ReadonlySet<string>;
}

export interface BatchReviewDeps {
  readonly appeals: Pick<AppealStore, 'list'>;
  readonly payees: PayeeDirectory;
}

/** An appeal in any of these is not resolved yet: open, an overturn proposed to a second officer, being resolved. */
const UNRESOLVED = ['OPEN', 'PROPOSED', 'RESOLVING'] as const satisfies readonly AppealStatus[];

/** How many open (and being resolved) appeals are read per status; the batch page says when it is reached. */
export const OPEN_APPEALS_READ = 1000;

/** Lines and amounts by district and category: every line counted once, so the rows sum to the batch. */
export function batchBreakdown(lines: readonly PaymentLine[]): BreakdownRow[] {
  const rows = new Map<
    string,
    { district: string; category: PaymentLine['category']; lines: number; amount: number }
  >();
  for (const line of lines) {
    const key = `${line.district}|${line.category}`;
    const row = rows.get(key) ?? { district: line.district, category: line.category, lines: 0, amount: 0 };
    row.lines++;
    row.amount += line.amount;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) =>
    a.district === b.district ? a.category.localeCompare(b.category) : a.district.localeCompare(b.district),
  );
}

/** A line's flags, given the households of the batch with an open appeal. */
export function lineFlags(line: PaymentLine, openAppeals: ReadonlySet<string>): LineFlag[] {
  const flags: LineFlag[] = [];
  if (line.payeeChangedSince) flags.push('PAYEE_CHANGED');
  if (line.attempt > 1) flags.push('RETRY');
  if (openAppeals.has(line.householdId)) flags.push('OPEN_APPEAL');
  return flags;
}

/**
 * Which of the batch's households have an appeal not yet resolved (open, proposed or being resolved): the appeal names the
 * household through the decision appealed against, or was sent with the CNIC of one of its members.
 */
export function householdsWithOpenAppeals(
  appeals: readonly Appeal[],
  householdIds: readonly string[],
  members: ReadonlyMap<string, readonly { cnicHash: string }[]>,
): Set<string> {
  const wanted = new Set(householdIds);
  const byMember = new Map<string, string>();
  for (const id of householdIds) for (const m of members.get(id) ?? []) byMember.set(m.cnicHash, id);
  const found = new Set<string>();
  for (const appeal of appeals) {
    if (appeal.status === 'UPHELD' || appeal.status === 'OVERTURNED') continue;
    const named = appeal.decision?.decision.householdId;
    if (named && wanted.has(named)) found.add(named);
    const member = byMember.get(appeal.cnicHash);
    if (member) found.add(member);
  }
  return found;
}

/**
 * The checker's view of a batch: its breakdown and the flags of its lines. Reads the open appeals
 * (by status, `OPEN_APPEALS_READ` of each) and the members of the batch's households (in batches).
 */
export async function reviewBatch(
  deps: BatchReviewDeps,
  lines: readonly PaymentLine[],
): Promise<BatchReview> {
  const householdIds = [...new Set(lines.map((l) => l.householdId))];
  const [appeals, members] = await Promise.all([
    Promise.all(UNRESOLVED.map((status) => deps.appeals.list(status, OPEN_APPEALS_READ))),
    householdIds.length > 0 ? deps.payees.members(householdIds) : Promise.resolve(new Map()),
  ]);
  const openAppeals = householdsWithOpenAppeals(appeals.flat(), householdIds, members);
  const flags = new Map<string, LineFlag[]>();
  for (const line of lines) {
    const found = lineFlags(line, openAppeals);
    if (found.length > 0) flags.set(line.paymentReference, found);
  }
  return { breakdown: batchBreakdown(lines), flags, openAppeals };
}
