/** @jsxImportSource hono/jsx */
import { type BudgetState, type Campaign, formatPakistanTime, type PaymentBatch } from '@madad/core';
import { formatCount } from '../i18n.js';

const when = (iso: string | undefined) => (iso ? formatPakistanTime(iso) : '');

/** A campaign's batches with their maker and checker, the budget, and (for makers) the create form. */
export function BatchList(props: {
  campaign: Campaign;
  batches: readonly PaymentBatch[];
  budget: BudgetState;
  canMake: boolean;
}) {
  const { campaign, batches, budget, canMake } = props;
  const sorted = [...batches].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <div class="card">
        <p>
          Budget cap PKR {formatCount(campaign.budgetCap)} for at most {formatCount(campaign.maxHouseholds)}{' '}
          households. Reserved by approved batches: PKR {formatCount(budget.reserved)} (
          {formatCount(budget.households)} households); paid PKR {formatCount(budget.paid)}.
        </p>
        {budget.duplicates > 0 ? (
          <p class="warn" id="duplicate-payments">
            {formatCount(budget.duplicates)} duplicate payments (PKR {formatCount(budget.duplicateAmount)}) to
            households already paid: recover the money.
          </p>
        ) : null}
      </div>
      {sorted.length === 0 ? (
        <p id="no-batches">No payment batches yet.</p>
      ) : (
        <div class="scroll">
          <table id="batches">
            <thead>
              <tr>
                <th>Batch</th>
                <th>Status</th>
                <th class="n">Lines</th>
                <th class="n">Total (PKR)</th>
                <th>Made by</th>
                <th>Decided by</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((b) => (
                <tr data-batch={b.batchId}>
                  <td>
                    <a href={`/console/payment-batches/${b.batchId}`}>{b.batchId}</a>
                  </td>
                  <td>
                    <span class="tag">{b.status}</span>
                  </td>
                  <td class="n">{formatCount(b.lineCount)}</td>
                  <td class="n">{formatCount(b.total)}</td>
                  <td>{b.maker}</td>
                  <td>{b.approvedBy ?? b.rejectedBy ?? ''}</td>
                  <td>{when(b.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canMake ? (
        <form
          method="post"
          action={`/console/campaigns/${campaign.campaignId}/payments`}
          class="card"
          id="create-batch"
        >
          <h2>Make a batch</h2>
          <p class="muted">
            Gathers enrolled households not yet in a batch. Another staff member with the approver role must
            approve it before any file goes to the bank.
          </p>
          <div class="pair">
            <div class="field">
              <label for="batch-district">District</label>
              <select id="batch-district" name="district">
                <option value="">All districts of the campaign</option>
                {campaign.areas.map((a) => (
                  <option>{a.district}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="batch-category">Category</label>
              <select id="batch-category" name="category">
                <option value="">Both</option>
                <option value="TOP_UP">Top-ups</option>
                <option value="NEW_BENEFICIARY">New beneficiaries</option>
              </select>
            </div>
          </div>
          <div class="field">
            <label for="batch-max">Most lines</label>
            <input id="batch-max" name="maxLines" inputmode="numeric" value="1000" />
          </div>
          <button type="submit">Create batch</button>
        </form>
      ) : null}
    </>
  );
}
