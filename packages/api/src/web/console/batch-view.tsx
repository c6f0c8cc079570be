/** @jsxImportSource hono/jsx */
import {
  type BatchReview,
  formatPakistanTime,
  isApprovedStatus,
  type PaymentBatch,
  type PaymentLine,
  publicLine,
  type ResultImport,
  type ResultReport,
  sameStaffUserId,
} from '@madad/core';
import { formatCount } from '../i18n.js';
import { BatchBreakdownTable, FlaggedLines } from './batch-review-view.js';

const when = (iso: string | undefined) => (iso ? formatPakistanTime(iso) : '');

interface BatchViewProps {
  readonly batch: PaymentBatch;
  readonly lines: readonly PaymentLine[];
  readonly imports: readonly ResultImport[];
  readonly user: string;
  readonly canCheck: boolean;
  readonly canDownload: boolean;
  /** The stack keeps payment files in storage (written in parts, downloaded by a short-lived link). */
  readonly storedFiles?: boolean;
  readonly canUpload: boolean;
  readonly canConfirm: boolean;
  readonly report?: ResultReport | undefined;
  /** Breakdown and line flags (payee changed, retry, open appeal) for the checker. */
  readonly review?: BatchReview | undefined;
}

/** One batch: who made it, what it pays, and the actions the signed-in user may take. */
export function BatchView(props: BatchViewProps) {
  const { batch, lines, imports, user, canCheck, canDownload, canUpload, canConfirm, report, review } = props;
  const base = `/console/payment-batches/${batch.batchId}`;
  const mine = sameStaffUserId(batch.maker, user);
  // What the checker must look at first: retries and changed payees, then the rest.
  const flagged = (l: PaymentLine) =>
    l.attempt > 1 || l.payeeChangedSince || l.duplicateOf || review?.flags.has(l.paymentReference) ? 0 : 1;
  const shown = [...lines]
    .sort((a, b) => flagged(a) - flagged(b))
    .slice(0, 200)
    .map(publicLine);
  const retries = lines.filter((l) => l.attempt > 1).length;
  const payeeChanges = lines.filter((l) => l.payeeChangedSince).length;
  const openAppeals = lines.filter((l) => review?.openAppeals.has(l.householdId)).length;
  const toConfirm = lines.filter((l) => l.outcome === 'FAILED' && !l.failureConfirmedBy);
  const duplicates = lines.filter((l) => l.duplicateOf);
  return (
    <>
      <p class="muted">
        <a href={`/console/campaigns/${batch.campaignId}/payments`}>Batches of {batch.campaignId}</a> /{' '}
        {batch.batchId}
      </p>
      <h1>
        Batch {batch.batchId}{' '}
        <span class="tag" id="batch-status">
          {batch.status}
        </span>
      </h1>
      <div class="card">
        <p>
          {formatCount(batch.lineCount)} {batch.lineCount === 1 ? 'payment' : 'payments'}, PKR{' '}
          <strong>{formatCount(batch.total)}</strong>
          {batch.district ? ` in ${batch.district}` : ''}
          {batch.category ? ` (${batch.category})` : ''}.
        </p>
        <p>
          Made by <strong id="batch-maker">{batch.maker}</strong> on {when(batch.createdAt)}.
          {batch.approvedBy ? ` Approved by ${batch.approvedBy} on ${when(batch.approvedAt)}.` : ''}
          {batch.rejectedBy ? ` Rejected by ${batch.rejectedBy}: ${batch.rejectReason ?? ''}` : ''}
        </p>
      </div>
      {report && report.status !== 'applied' ? (
        <div class="notice" role="status" id="results-report">
          Results staged as import {report.importId} ({report.received} lines,{' '}
          {report.unknownReferences.length} unknown references). They take effect when another staff member
          confirms them.
        </div>
      ) : null}
      {report && report.status === 'applied' ? (
        <div class="notice" role="status" id="results-report">
          Results of import {report.importId} applied: {report.received} received, {report.applied} applied,{' '}
          {report.alreadyApplied} already recorded, {report.unknownReferences.length} unknown references. The
          batch now has {report.paid} paid and {report.failed} failed.
          {report.duplicatePayments.length > 0
            ? ` ${report.duplicatePayments.length} households were paid twice: recover the money.`
            : ''}
        </div>
      ) : null}
      {retries > 0 || payeeChanges > 0 || openAppeals > 0 ? (
        <p class="warn" id="review-flags">
          Check before approving: {retries} lines retry a failed payment; {payeeChanges} payees changed since
          the household's last payment; {openAppeals} households have an open appeal (listed first below).
        </p>
      ) : null}
      {review ? <BatchBreakdownTable rows={review.breakdown} total={batch.total} /> : null}
      {batch.heldCount ? (
        <div class="card" id="held">
          <p>
            {formatCount(batch.heldCount)} households were held, not paid: none of their members is a living,
            unblocked person known to the ID authority.
          </p>
          <ul>
            {(batch.held ?? []).slice(0, 20).map((h) => (
              <li>
                {h.householdId}: {h.reason}{' '}
                {Object.entries(h.refused)
                  .map(([why, n]) => `${why} ${n}`)
                  .join(', ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {duplicates.length > 0 ? (
        <p class="warn" id="duplicates">
          {duplicates.length} payments went to households already paid under another reference: recover the
          money.
        </p>
      ) : null}
      {batch.status === 'pending' && mine ? (
        <p class="warn" id="maker-note">
          You made this batch, so you cannot approve or reject it: another approver must (maker-checker).
        </p>
      ) : null}
      {batch.status === 'pending' && canCheck && !mine ? (
        <div class="card" id="decide">
          {review ? <FlaggedLines lines={lines} review={review} /> : null}
          <form method="post" action={`${base}/approve`}>
            <p>Approving reserves PKR {formatCount(batch.total)} of the campaign budget.</p>
            <button type="submit" id="approve">
              Approve batch
            </button>
          </form>
          <form method="post" action={`${base}/reject`}>
            <div class="field">
              <label for="reject-reason">Reason for rejecting</label>
              <textarea id="reject-reason" name="reason" rows={2} />
            </div>
            <button type="submit" class="danger">
              Reject batch
            </button>
          </form>
        </div>
      ) : null}
      {isApprovedStatus(batch.status) && canDownload ? (
        <p>
          <a class="button" id="download" href={`${base}/instructions.csv`}>
            Download payment instructions (CSV)
          </a>{' '}
          <a class="button" id="download-xml" href={`${base}/instructions.xml`}>
            ISO 20022 pain.001 (XML)
          </a>
        </p>
      ) : null}
      {isApprovedStatus(batch.status) && canDownload && props.storedFiles ? (
        <form method="post" action={`${base}/file`} class="inline">
          <button type="submit" id="write-file">
            Write the payment file to storage (any size)
          </button>{' '}
          <a class="button" id="download-stored" href={`${base}/file`}>
            Download it (a link valid for 5 minutes, recorded in the ledger)
          </a>
        </form>
      ) : null}
      {imports.length > 0 ? (
        <div class="card" id="imports">
          <h2>Result imports</h2>
          <ul>
            {imports.map((i) => (
              <li data-import={i.importId}>
                {i.importId}: {i.status}, uploaded by {i.uploadedBy} ({i.filePaid} paid, {i.fileFailed}{' '}
                failed)
                {i.confirmedBy ? `, confirmed by ${i.confirmedBy}` : ''}
                {i.status === 'staged' && canConfirm && !sameStaffUserId(i.uploadedBy, user) ? (
                  <form method="post" action={`${base}/results/${i.importId}/confirm`}>
                    <button type="submit">Confirm and apply these results</button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {toConfirm.length > 0 && canConfirm ? (
        <form method="post" action={`${base}/failures/confirm`} class="card" id="confirm-failures">
          <p>
            {toConfirm.length} failed payments wait for confirmation that they failed for good (by someone
            other than who uploaded the result) before their households can go into another batch.
          </p>
          <button type="submit">Confirm these failures</button>
        </form>
      ) : null}
      {isApprovedStatus(batch.status) && canUpload ? (
        <form
          method="post"
          action={`${base}/results`}
          enctype="multipart/form-data"
          class="card"
          id="upload-results"
        >
          <h2>Upload the bank's results</h2>
          <div class="field">
            <label for="results-file">Result file (CSV or JSON)</label>
            <input id="results-file" name="file" type="file" accept=".csv,.json,text/csv,application/json" />
          </div>
          <div class="field">
            <label for="results-text">Or paste CSV</label>
            <p class="hint" id="results-text-hint">
              paymentReference,status,reason,paidAt (status PAID or FAILED)
            </p>
            <textarea
              id="results-text"
              name="csv"
              rows={4}
              class="ltr"
              aria-describedby="results-text-hint"
            />
          </div>
          <button type="submit">Import results</button>
        </form>
      ) : null}
      <h2>Payments</h2>
      <div class="scroll">
        <table id="lines">
          <thead>
            <tr>
              <th>Reference</th>
              <th>Payee</th>
              <th>CNIC</th>
              <th>District</th>
              <th>Category</th>
              <th class="n">Amount</th>
              <th>Check</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <tr>
                <td>{l.paymentReference}</td>
                <td>{l.payeeName}</td>
                <td>{l.payeeCnicMasked}</td>
                <td>{l.district}</td>
                <td>{l.category}</td>
                <td class="n">{formatCount(l.amount)}</td>
                <td>
                  {[
                    l.attempt > 1 ? `retry ${l.attempt}` : '',
                    l.payeeChangedSince ? 'payee changed' : '',
                    l.duplicateOf ? `duplicate of ${l.duplicateOf}` : '',
                    review?.openAppeals.has(l.householdId) ? 'open appeal' : '',
                  ]
                    .filter(Boolean)
                    .join('; ')}
                </td>
                <td>
                  {l.outcome ?? ''}
                  {l.outcome === 'FAILED' && l.outcomeReason ? `: ${l.outcomeReason}` : ''}
                  {l.outcome === 'FAILED' && l.failureConfirmedBy ? ' (confirmed)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {lines.length > shown.length ? (
        <p class="muted">
          The first {shown.length} of {lines.length} lines.
        </p>
      ) : null}
    </>
  );
}
