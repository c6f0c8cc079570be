/** @jsxImportSource hono/jsx */
import {
  type BackCheckReport,
  formatPakistanTime,
  OUTLIER_RULE,
  type RateEstimate,
  type RegistryHealthReport,
} from '@madad/core';
import type { SampleSummary } from '../../routes/quality.js';

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const interval = (r: RateEstimate) => `${pct(r.rate)} (${pct(r.lower)} to ${pct(r.upper)})`;

/** The registry health report `npx madad quality` stored, as one page (read by key, never scanned). */
export function HealthSection({ report }: { report: RegistryHealthReport | undefined }) {
  if (!report) {
    return (
      <section id="health">
        <h2>Registry health</h2>
        <p class="muted">
          No report yet: an operator runs <code>npx madad quality</code>.
        </p>
      </section>
    );
  }
  return (
    <section id="health">
      <h2>Registry health</h2>
      <p>
        Measured {formatPakistanTime(report.generatedAt)} over {report.households.toLocaleString('en-US')}{' '}
        households and {report.members.toLocaleString('en-US')} members.
      </p>
      <ul id="health-findings">
        <li data-finding="stale">
          Surveyed before {report.staleSurveys.cutoff} (over {report.staleSurveys.olderThanYears} years):{' '}
          <strong>{report.staleSurveys.households}</strong> households due for an update
        </li>
        <li data-finding="shared-phones">
          Phones on {report.sharedPhones.threshold} or more households:{' '}
          <strong>{report.sharedPhones.phones}</strong> ({report.sharedPhones.households} households)
        </li>
        <li data-finding="repeated-people">
          People listed in several households: <strong>{report.membersInSeveralHouseholds.people}</strong> (
          {report.membersInSeveralHouseholds.households} households)
        </li>
        <li data-finding="deceased-heads">
          Heads the ID authority records as deceased: <strong>{report.deceasedHeads.households}</strong>
          {report.deceasedHeads.examples.length > 0 ? `: ${report.deceasedHeads.examples.join(', ')}` : ''}
        </li>
      </ul>
      <div class="scroll">
        <table id="completeness">
          <thead>
            <tr>
              <th>Field</th>
              <th>Of</th>
              <th>Filled</th>
            </tr>
          </thead>
          <tbody>
            {report.completeness.map((c) => (
              <tr data-field={`${c.level}.${c.field}`}>
                <td>{c.field}</td>
                <td>{c.level === 'member' ? 'members' : 'households'}</td>
                <td>{pct(c.total > 0 ? c.filled / c.total : 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function SamplesSection({ samples }: { samples: readonly SampleSummary[] }) {
  return (
    <section id="samples">
      <h2>Back-check samples</h2>
      {samples.length === 0 ? (
        <p class="muted">
          None drawn yet: <code>npx madad sample draw --seed S</code>.
        </p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>Sample</th>
                <th>Drawn</th>
                <th>Seed</th>
                <th>By</th>
                <th>Households</th>
              </tr>
            </thead>
            <tbody>
              {samples.map((s) => (
                <tr>
                  <td>
                    <a href={`/console/quality/samples/${s.sampleId}`}>{s.sampleId}</a>
                  </td>
                  <td>{formatPakistanTime(s.drawnAt)}</td>
                  <td>{s.seed}</td>
                  <td>{s.by}</td>
                  <td>
                    {s.size} of {s.population}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A back-check's report: error rates per field (registry-wide and per stratum) and who is out of line. */
export function BackCheckSection({ report }: { report: BackCheckReport }) {
  return (
    <section id="back-check">
      <p>
        Seed <code>{report.seed}</code>, by {report.by}: {report.visited} of {report.sampled} households
        visited; {Math.round(report.confidence * 100)}% intervals (Clopper-Pearson per stratum, stratified
        Korn-Graubard registry-wide). Imported {formatPakistanTime(report.generatedAt)}.
      </p>
      <div class="scroll">
        <table id="field-rates">
          <thead>
            <tr>
              <th>Field</th>
              <th>Errors</th>
              <th>Error rate (interval)</th>
              {report.fields[0]?.strata.map((s) => (
                <th>{s.stratum}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...report.fields, { field: 'all fields', overall: report.allFields, strata: [] }].map((f) => (
              <tr data-field={f.field}>
                <td>{f.field}</td>
                <td>
                  {f.overall.errors}/{f.overall.checked}
                </td>
                <td>{interval(f.overall)}</td>
                {f.strata.map((s) => (
                  <td>{s.checked > 0 ? interval(s) : '-'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Out of line</h2>
      <p class="muted">Rule: {OUTLIER_RULE}.</p>
      {report.outliers.length === 0 ? (
        <p id="outliers">No enumerator or tehsil is out of line.</p>
      ) : (
        <ul id="outliers">
          {report.outliers.map((o) => (
            <li data-outlier={`${o.kind}:${o.unit}`}>
              {o.kind} {o.unit}: {interval(o)}, {o.errors} of {o.checked} field checks
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
