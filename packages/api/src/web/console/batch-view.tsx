/** @jsxImportSource hono/jsx */
import { type PaymentBatch, type PaymentLine, publicLine, type ResultReport } from '@madad/core';
import { formatCount } from '../i18n.js';

const when = (iso: string | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

interface BatchViewProps {
  readonly batch: PaymentBatch;
  readonly lines: readonly PaymentLine[];
  readonly user: string;
  readonly canCheck: boolean;
  readonly canDownload: boolean;
  readonly canUpload: boolean;
  readonly report?: ResultReport | undefined;
}

/** One batch: who made it, what it pays, and the actions the signed-in user may take. */
export function BatchView({ batch, lines, user, canCheck, canDownload, canUpload, report }: BatchViewProps) {
  const base = `/console/payment-batches/${batch.batchId}`;
  const mine = batch.maker === user;
  const shown = lines.slice(0, 200).map(publicLine);
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
          {formatCount(batch.lineCount)} payments, PKR <strong>{formatCount(batch.total)}</strong>
          {batch.district ? ` in ${batch.district}` : ''}
          {batch.category ? ` (${batch.category})` : ''}.
        </p>
        <p>
          Made by <strong id="batch-maker">{batch.maker}</strong> on {when(batch.createdAt)} UTC.
          {batch.approvedBy ? ` Approved by ${batch.approvedBy} on ${when(batch.approvedAt)} UTC.` : ''}
          {batch.rejectedBy ? ` Rejected by ${batch.rejectedBy}: ${batch.rejectReason ?? ''}` : ''}
        </p>
      </div>
      {report ? (
        <div class="notice" role="status" id="results-report">
          Results: {report.received} received, {report.applied} applied, {report.alreadyApplied} already
          recorded, {report.unknownReferences.length} unknown references. The batch now has {report.paid} paid
          and {report.failed} failed.
          {report.duplicatePayments.length > 0
            ? ` ${report.duplicatePayments.length} households were paid twice: recover the money.`
            : ''}
        </div>
      ) : null}
      {batch.status === 'pending' && mine ? (
        <p class="warn" id="maker-note">
          You made this batch, so you cannot approve or reject it: another approver must (maker-checker).
        </p>
      ) : null}
      {batch.status === 'pending' && canCheck && !mine ? (
        <div class="card" id="decide">
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
      {batch.status === 'approved' && canDownload ? (
        <p>
          <a class="button" id="download" href={`${base}/instructions.csv`}>
            Download payment instructions (CSV)
          </a>
        </p>
      ) : null}
      {batch.status === 'approved' && canUpload ? (
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
                <td>{l.outcome ?? ''}</td>
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
