/** @jsxImportSource hono/jsx */
import { type Campaign, formatPakistanTime, type summariseBatchJob } from '@madad/core';
import { formatCount } from '../i18n.js';

type JobView = ReturnType<typeof summariseBatchJob>;

/**
 * A campaign's batch jobs with their progress (districts done of all, batches, lines, amount), and for
 * makers the form that starts one: every district's batches made by the batch worker, in parallel.
 */
export function BatchJobs(props: { campaign: Campaign; jobs: readonly JobView[]; canMake: boolean }) {
  const { campaign, jobs, canMake } = props;
  return (
    <>
      {jobs.length === 0 ? null : (
        <div class="scroll">
          <table id="batch-jobs">
            <thead>
              <tr>
                <th>Job</th>
                <th>Status</th>
                <th class="n">Districts done</th>
                <th class="n">Batches</th>
                <th class="n">Lines</th>
                <th class="n">Total (PKR)</th>
                <th>Asked by</th>
                <th>Asked</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr data-job={j.jobId}>
                  <td>{j.jobId}</td>
                  <td>
                    <span class="tag">{j.status}</span>
                  </td>
                  <td class="n">
                    {formatCount(j.areas.done)} / {formatCount(j.areas.total)}
                  </td>
                  <td class="n">{formatCount(j.batches)}</td>
                  <td class="n">{formatCount(j.lines)}</td>
                  <td class="n">{formatCount(j.total)}</td>
                  <td>{j.requestedBy}</td>
                  <td>{formatPakistanTime(j.requestedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canMake ? (
        <form
          method="post"
          action={`/console/campaigns/${campaign.campaignId}/payments/jobs`}
          class="card"
          id="start-batch-job"
        >
          <h2>Make every district's batches</h2>
          <p class="muted">
            A job: each district's enrolled households not yet in a batch go into batches of at most the lines
            below, several districts at once. Follow it here; each batch still waits for another staff member
            to approve it.
          </p>
          <div class="field">
            <label for="job-max">Most lines a batch</label>
            <input id="job-max" name="maxLines" inputmode="numeric" value="5000" />
          </div>
          <button type="submit">Start batch job</button>
        </form>
      ) : null}
    </>
  );
}
