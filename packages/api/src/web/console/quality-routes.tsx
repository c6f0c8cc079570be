/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { SAMPLE_ID } from '../../routes/quality.js';
import { renderPage } from '../render.js';
import { ConsolePage } from './layout.js';
import { BackCheckSection, HealthSection, SamplesSection } from './quality-page.js';
import { staffOnly } from './session.js';

/**
 * The registry's quality in the console, for whoever reads household profiles (as
 * `GET /api/v1/quality/...`): the stored health report and the back-check samples, each page a
 * few reads by key.
 */
export function consoleQualityRoutes(deps: ApiDeps): Hono<AppEnv> {
  const readers = staffOnly(deps, ...rolesOf('households.profile'));
  return new Hono<AppEnv>()
    .get('/console/quality', readers, async (c) => {
      const [report, samples] = await Promise.all([
        deps.quality?.healthReport(),
        deps.quality ? deps.quality.listSamples(20) : [],
      ]);
      return renderPage(
        c,
        <ConsolePage title="Registry quality" principal={c.get('principal')}>
          <h1>Registry quality</h1>
          <HealthSection report={report} />
          <SamplesSection samples={samples} />
        </ConsolePage>,
      );
    })
    .get('/console/quality/samples/:id', readers, async (c) => {
      const sampleId = c.req.param('id');
      const report = SAMPLE_ID.test(sampleId) ? await deps.quality?.sampleReport(sampleId) : undefined;
      return renderPage(
        c,
        <ConsolePage title={`Back-check ${sampleId}`} principal={c.get('principal')}>
          <h1>Back-check {sampleId}</h1>
          {report ? (
            <BackCheckSection report={report} />
          ) : (
            <p class="muted">
              No results imported for this sample yet: <code>npx madad sample results {sampleId} FILE</code>.
            </p>
          )}
          <p>
            <a href="/console/quality">All of the registry's quality</a>
          </p>
        </ConsolePage>,
        report ? 200 : 404,
      );
    });
}
