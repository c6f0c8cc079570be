/** @jsxImportSource hono/jsx */
import type { BatchReview, BreakdownRow, LineFlag, PaymentLine } from '@madad/core';
import { formatCount } from '../i18n.js';

const FLAG_TEXT: Record<LineFlag, string> = {
  PAYEE_CHANGED: 'payee changed since the last payment',
  RETRY: 'retries a failed payment',
  OPEN_APPEAL: 'household has an open appeal',
};

const CATEGORY_TEXT: Record<BreakdownRow['category'], string> = {
  TOP_UP: 'Top-up',
  NEW_BENEFICIARY: 'New beneficiary',
};

/** What the batch pays, by district and category; the rows add up to the batch. */
export function BatchBreakdownTable({ rows, total }: { rows: readonly BreakdownRow[]; total: number }) {
  return (
    <div class="card" id="breakdown">
      <h2>By district and category</h2>
      <table>
        <thead>
          <tr>
            <th>District</th>
            <th>Category</th>
            <th class="n">Payments</th>
            <th class="n">PKR</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-row={`${r.district}/${r.category}`}>
              <td>{r.district}</td>
              <td>{CATEGORY_TEXT[r.category]}</td>
              <td class="n">{formatCount(r.lines)}</td>
              <td class="n">{formatCount(r.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colspan={2}>Total</th>
            <th class="n">{formatCount(rows.reduce((n, r) => n + r.lines, 0))}</th>
            <th class="n" id="breakdown-total">
              {formatCount(total)}
            </th>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The lines a checker must look at before approving, listed above the approve button. */
export function FlaggedLines({ lines, review }: { lines: readonly PaymentLine[]; review: BatchReview }) {
  const flagged = lines.filter((l) => review.flags.has(l.paymentReference));
  if (flagged.length === 0)
    return <p id="flagged-none">No line is flagged: no changed payee, retry or open appeal.</p>;
  return (
    <div id="flagged-lines">
      <p class="warn">
        Check these {flagged.length} flagged lines before approving (they are also listed first below):
      </p>
      <ul>
        {flagged.slice(0, 50).map((l) => (
          <li data-reference={l.paymentReference}>
            {l.paymentReference} ({l.householdId}, {l.district}, PKR {formatCount(l.amount)}):{' '}
            {(review.flags.get(l.paymentReference) ?? []).map((f) => FLAG_TEXT[f]).join('; ')}
          </li>
        ))}
      </ul>
    </div>
  );
}
