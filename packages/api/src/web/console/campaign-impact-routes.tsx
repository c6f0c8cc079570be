/** @jsxImportSource hono/jsx */
import {
  type Campaign,
  ConflictError,
  changeRules,
  formatPakistanTime,
  type ImpactPreview,
  type ReplayProgress,
  type ReplayReport,
  RuleChangeSchema,
  replayProgressOf,
  type StaffRole,
  startReplay,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { previewReplay } from '../../replay-service.js';
import { campaignToPreview, previewCampaignImpact } from '../../routes/campaign-preview.js';
import { formatCount } from '../i18n.js';
import { formText, renderPage } from '../render.js';
import { CampaignHeader } from './dashboard.js';
import { ImpactPreviewCard } from './impact-preview-card.js';
import { ConsolePage, Flash } from './layout.js';
import { staffOnly } from './session.js';

// The same role as the rules and replay API (`routes/campaigns.ts`).
const CELL: StaffRole[] = rolesOf('campaigns.run');
const REPLAY_PREVIEW_LIMIT = 20_000;

type RuleFields = { pmtThreshold: string; topUp: string; newBeneficiary: string };

function fieldsOf(campaign: Campaign): RuleFields {
  return {
    pmtThreshold: String(campaign.rules.pmtThreshold),
    topUp: String(campaign.rules.amounts.topUp),
    newBeneficiary: String(campaign.rules.amounts.newBeneficiary),
  };
}

/** The proposed rules from the form: the same schema as `PATCH /api/v1/campaigns/{id}/rules`. */
function parseRules(campaign: Campaign, fields: RuleFields) {
  return RuleChangeSchema.safeParse({
    pmtThreshold: Number(fields.pmtThreshold),
    amounts: { topUp: Number(fields.topUp), newBeneficiary: Number(fields.newBeneficiary) },
    regularProgramme: campaign.rules.regularProgramme,
  });
}

function RulesForm(props: {
  base: string;
  fields: RuleFields;
  method: 'get' | 'post';
  id: string;
  label: string;
}) {
  const { base, fields, method, id, label } = props;
  const hidden = method === 'post';
  return (
    <form method={method} action={`${base}/rules`} class="card" id={id}>
      {hidden ? null : <h2>Proposed rules</h2>}
      {(
        [
          ['pmtThreshold', 'PMT threshold (at or below)'],
          ['topUp', 'Top-up amount (PKR)'],
          ['newBeneficiary', 'New beneficiary amount (PKR)'],
        ] as const
      ).map(([name, text]) =>
        hidden ? (
          <input type="hidden" name={name} value={fields[name]} />
        ) : (
          <div class="field">
            <label for={`rules-${name}`}>{text}</label>
            <input id={`rules-${name}`} name={name} inputmode="numeric" value={fields[name]} />
          </div>
        ),
      )}
      <button type="submit" id={`${id}-submit`}>
        {label}
      </button>
    </form>
  );
}

function ReplayFigures({ report }: { report: ReplayReport | ReplayProgress }) {
  const changes = Object.entries(report.changes).sort();
  return (
    <>
      <p>
        <span id="replay-examined">{formatCount(report.examined)}</span> decisions examined,{' '}
        <span id="replay-unchanged">{formatCount(report.unchanged)}</span> unchanged,{' '}
        <span id="replay-changed">{formatCount(changes.reduce((n, [, v]) => n + v, 0))}</span> would change
        {'status' in report ? '' : ' (nothing is changed by this preview)'}.
      </p>
      {changes.length > 0 ? (
        <table id="replay-changes">
          <thead>
            <tr>
              <th>From</th>
              <th>To</th>
              <th class="n">Households</th>
            </tr>
          </thead>
          <tbody>
            {changes.map(([key, n]) => {
              const [from, to] = key.split('->');
              return (
                <tr data-change={key}>
                  <td>{from}</td>
                  <td>{to}</td>
                  <td class="n">{formatCount(n)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/**
 * Rules change with its impact preview, and rules replay (preview, apply, progress) in the console:
 * the same core functions as `PATCH .../rules`, `POST .../rules/preview` and `POST .../replay`.
 */
export function consoleCampaignImpactRoutes(deps: ApiDeps): Hono<AppEnv> {
  const cell = staffOnly(deps, ...CELL);

  const rulesPage = async (c: Context<AppEnv>, campaign: Campaign, fields: RuleFields, proposed: boolean) => {
    const base = `/console/campaigns/${campaign.campaignId}`;
    const parsed = proposed ? parseRules(campaign, fields) : undefined;
    const preview: ImpactPreview | undefined =
      parsed?.success === true
        ? await previewCampaignImpact(deps, campaign, { rules: parsed.data })
        : undefined;
    return renderPage(
      c,
      <ConsolePage title={`Rules of ${campaign.name}`} principal={c.get('principal')}>
        <CampaignHeader campaign={campaign} canRunIt={false} />
        {parsed && !parsed.success ? (
          <Flash kind="warn">
            These rules are not valid:{' '}
            {parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}
          </Flash>
        ) : null}
        <RulesForm base={base} fields={fields} method="get" id="rules-preview" label="Preview the impact" />
        {preview ? (
          <>
            <ImpactPreviewCard
              preview={preview}
              title="Impact of these rules (as an activation under them)"
            />
            <p class="muted">
              Changing the rules makes a new rule-set version; decisions already taken keep theirs until a
              replay re-decides them (next page).
            </p>
            <RulesForm base={base} fields={fields} method="post" id="rules-apply" label="Change the rules" />
          </>
        ) : null}
      </ConsolePage>,
    );
  };

  const replayPage = async (c: Context<AppEnv>, campaign: Campaign) => {
    const base = `/console/campaigns/${campaign.campaignId}`;
    const replayId = c.req.query('replayId') ?? '';
    const job = /^v[0-9]{1,9}$/.test(replayId)
      ? await deps.replayJobs.read(campaign.campaignId, `${campaign.campaignId}/${replayId}`)
      : undefined;
    const progress = job ? replayProgressOf(job) : undefined;
    const preview = progress
      ? undefined
      : await previewReplay(deps, campaign.campaignId, { limit: REPLAY_PREVIEW_LIMIT });
    return renderPage(
      c,
      <ConsolePage title={`Replay ${campaign.name}`} principal={c.get('principal')}>
        {c.req.query('done') === 'rules' ? (
          <Flash kind="notice">Rules changed to {campaign.ruleSetVersion}.</Flash>
        ) : null}
        <CampaignHeader campaign={campaign} canRunIt={false} />
        <section class="card" id="replay">
          <h2>Re-decide past registrations under {campaign.ruleSetVersion}</h2>
          {progress ? (
            <>
              <p id="replay-status">
                Replay {progress.replayId}: <strong>{progress.status}</strong>, {progress.shardsDone} of{' '}
                {progress.shards} parts done, started by {progress.startedBy} on{' '}
                {formatPakistanTime(progress.startedAt)}.
              </p>
              <ReplayFigures report={progress} />
              <p>
                <a class="button secondary" href={`${base}/replay?replayId=${progress.replayId}`}>
                  Refresh
                </a>
              </p>
            </>
          ) : preview ? (
            <>
              <ReplayFigures report={preview} />
              {preview.truncated ? (
                <p class="warn">Only the first {formatCount(preview.examined)} decisions were examined.</p>
              ) : null}
              <form method="post" action={`${base}/replay`}>
                <p>
                  Applying re-decides every decision taken under earlier rules and tells those whose outcome
                  changes.
                </p>
                <button type="submit" id="replay-apply">
                  Apply the replay
                </button>
              </form>
            </>
          ) : null}
        </section>
      </ConsolePage>,
    );
  };

  const campaignOf = async (c: Context<AppEnv>) => {
    const campaign = await campaignToPreview(deps, c.req.param('id') ?? '');
    if (campaign.status === 'closed') throw new ConflictError('The rules of a closed campaign cannot change');
    return campaign;
  };

  return new Hono<AppEnv>()
    .get('/console/campaigns/:id/rules', cell, async (c) => {
      const campaign = await campaignOf(c);
      const q = c.req.query();
      const proposed = q.pmtThreshold !== undefined;
      const fields = proposed
        ? {
            pmtThreshold: (q.pmtThreshold ?? '').slice(0, 12),
            topUp: (q.topUp ?? '').slice(0, 12),
            newBeneficiary: (q.newBeneficiary ?? '').slice(0, 12),
          }
        : fieldsOf(campaign);
      return rulesPage(c, campaign, fields, proposed);
    })
    .post('/console/campaigns/:id/rules', cell, async (c) => {
      const campaign = await campaignOf(c);
      const body = await c.req.parseBody();
      const fields = {
        pmtThreshold: formText(body, 'pmtThreshold', 12),
        topUp: formText(body, 'topUp', 12),
        newBeneficiary: formText(body, 'newBeneficiary', 12),
      };
      const parsed = parseRules(campaign, fields);
      if (!parsed.success) return rulesPage(c, campaign, fields, true);
      await changeRules(deps, campaign.campaignId, parsed.data, c.get('principal').user);
      return c.redirect(`/console/campaigns/${campaign.campaignId}/replay?done=rules`, 303);
    })
    .get('/console/campaigns/:id/replay', cell, async (c) => replayPage(c, await campaignOf(c)))
    .post('/console/campaigns/:id/replay', cell, async (c) => {
      const campaign = await campaignOf(c);
      const { user, roles } = c.get('principal');
      const progress = await startReplay(
        {
          campaigns: deps.campaigns,
          jobs: deps.replayJobs,
          work: deps.replayQueue,
          audit: deps.audit,
          now: () => deps.clock.now(),
        },
        campaign.campaignId,
        [user, roles.includes('emergency-cell') ? 'emergency-cell' : (roles[0] ?? 'admin')],
      );
      return c.redirect(
        `/console/campaigns/${campaign.campaignId}/replay?replayId=${progress.replayId}`,
        303,
      );
    });
}
