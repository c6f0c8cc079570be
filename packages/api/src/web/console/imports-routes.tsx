/** @jsxImportSource hono/jsx */
import { formatPakistanTime } from '@madad/core';
import { Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import type { ImportProgress } from '../../routes/imports.js';
import { renderPage } from '../render.js';
import { ConsolePage } from './layout.js';
import { staffOnly } from './session.js';

const n = (x: number) => x.toLocaleString('en-US');

function ImportRow({ job }: { job: ImportProgress }) {
  const percent = job.chunks > 0 ? Math.floor((job.chunksDone / job.chunks) * 100) : 100;
  return (
    <tr data-import={job.importId} data-state={job.finishedAt ? 'done' : 'running'}>
      <td>
        <code>{job.importId}</code>
        <br />
        <span class="muted">{job.key}</span>
      </td>
      <td>{job.kind}</td>
      <td>
        <progress max={job.chunks} value={job.chunksDone} /> {n(job.chunksDone)} / {n(job.chunks)} chunks (
        {percent}%)
      </td>
      <td>{n(job.lines)}</td>
      <td>{n(job.imported)}</td>
      <td>
        {n(job.rejected)}
        {Object.entries(job.rejectedByReason).map(([reason, count]) => (
          <div class="muted">
            {reason} {n(count)}
          </div>
        ))}
      </td>
      <td>
        {formatPakistanTime(job.startedAt)}
        {job.finishedAt ? ` – ${formatPakistanTime(job.finishedAt)}` : ' – running'}
      </td>
    </tr>
  );
}

/**
 * The parallel imports in the console (as `GET /api/v1/imports`): each upload's chunks done of all,
 * lines, imported and rejected, by reason. One Query of the listing and a read by key per import.
 */
export function consoleImportRoutes(deps: ApiDeps): Hono<AppEnv> {
  const readers = staffOnly(deps, ...rolesOf('households.profile'));
  return new Hono<AppEnv>().get('/console/imports', readers, async (c) => {
    const jobs = deps.imports ? await deps.imports.recent(20) : [];
    const running = jobs.some((job) => !job.finishedAt);
    return renderPage(
      c,
      <ConsolePage title="Imports" principal={c.get('principal')}>
        {running ? <meta http-equiv="refresh" content="5" /> : null}
        <h1>Imports</h1>
        <p class="muted">
          Files uploaded to the stack's files bucket (<code>npx madad import KIND FILE --parallel</code>),
          split into chunks the import workers write in parallel. The reject file of a finished import is in
          the bucket under <code>rejects/</code>.
        </p>
        {jobs.length === 0 ? (
          <p>No parallel import yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Import</th>
                <th>Kind</th>
                <th>Progress</th>
                <th>Lines</th>
                <th>Imported</th>
                <th>Rejected</th>
                <th>Started – finished</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <ImportRow job={job} />
              ))}
            </tbody>
          </table>
        )}
      </ConsolePage>,
    );
  });
}
