/** @jsxImportSource hono/jsx */
import {
  activateCampaign,
  type Campaign,
  closeCampaign,
  createCampaign,
  GLOBAL_STATS,
  type ImpactPreview,
  NotFoundError,
  type StaffRole,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import { allows } from '../../auth.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { ID_PATTERNS } from '../../path-ids.js';
import { previewCampaignImpact } from '../../routes/campaign-preview.js';
import { renderFragment, renderPage } from '../render.js';
import {
  type CampaignFormErrors,
  type CampaignFormValues,
  defaultCampaignValues,
  parseCampaignForm,
  readCampaignForm,
} from './campaign-form.js';
import { CampaignForm, CampaignTable } from './campaign-list.js';
import { CampaignHeader, DashboardLive } from './dashboard.js';
import { readDashboard } from './dashboard-data.js';
import { ImpactPreviewCard } from './impact-preview-card.js';
import { ConsolePage, Flash } from './layout.js';
import { OutsideAnyCampaign } from './outside-any-campaign.js';
import { staffOnly } from './session.js';

// The same roles as the campaign API (`routes/campaigns.ts`).
const CELL: StaffRole[] = rolesOf('campaigns.run');
const WATCHERS: StaffRole[] = rolesOf('campaigns.watch');
const CAMPAIGN_ID = ID_PATTERNS.campaign;
const REFRESH_SECONDS = 3;
// Without scripts the whole page reloads, less often.
const META_REFRESH_SECONDS = 10;

const DONE: Record<string, string> = {
  created: 'Campaign created as a draft. Check it, then activate it.',
  activated: 'Campaign activated: vertical expansion is running in its areas.',
  closed: 'Campaign closed: new registrations are answered as closed.',
};

async function loadCampaign(deps: ApiDeps, raw: string): Promise<Campaign> {
  const campaign = CAMPAIGN_ID.test(raw) ? await deps.campaigns.get(raw) : undefined;
  if (!campaign) throw new NotFoundError('No such campaign');
  return campaign;
}

/** Campaign list and creation, activation and closing with a confirmation step, the live dashboard. */
export function consoleCampaignRoutes(deps: ApiDeps): Hono<AppEnv> {
  const cell = staffOnly(deps, ...CELL);
  const watchers = staffOnly(deps, ...WATCHERS);

  const listPage = async (
    c: Context<AppEnv>,
    values: CampaignFormValues,
    errors: CampaignFormErrors = {},
    status: 200 | 400 = 200,
  ) => {
    const principal = c.get('principal');
    const [campaigns, outside] = await Promise.all([deps.campaigns.list(), deps.stats.read(GLOBAL_STATS)]);
    return renderPage(
      c,
      <ConsolePage title="Campaigns" principal={principal}>
        <h1>Campaigns</h1>
        <CampaignTable campaigns={campaigns} />
        <OutsideAnyCampaign counters={outside} />
        {allows(principal.roles, CELL) ? <CampaignForm values={values} errors={errors} /> : null}
      </ConsolePage>,
      status,
    );
  };

  const confirmPage = (
    c: Context<AppEnv>,
    campaign: Campaign,
    action: 'activate' | 'close',
    preview?: ImpactPreview,
  ) => {
    const base = `/console/campaigns/${campaign.campaignId}`;
    const what =
      action === 'activate'
        ? `Registrations in ${campaign.areas.length} area(s) will be decided under these rules, and current beneficiaries there are topped up now (vertical expansion).`
        : 'New registrations will be answered that the campaign is closed. This cannot be undone.';
    return renderPage(
      c,
      <ConsolePage title={`${action} ${campaign.name}`} principal={c.get('principal')}>
        <CampaignHeader campaign={campaign} canRunIt={false} />
        {preview ? (
          <ImpactPreviewCard preview={preview} title="What activating does, from the registry" />
        ) : null}
        <form method="post" action={`${base}/${action}`} class="card" id={`confirm-${action}`}>
          <h2>{action === 'activate' ? 'Activate this campaign?' : 'Close this campaign?'}</h2>
          <p>{what}</p>
          <p class="row">
            <button type="submit" class={action === 'close' ? 'danger' : undefined}>
              {action === 'activate' ? 'Yes, activate' : 'Yes, close'}
            </button>
            <a class="button secondary" href={base}>
              Cancel
            </a>
          </p>
        </form>
      </ConsolePage>,
    );
  };

  return new Hono<AppEnv>()
    .get('/console/campaigns', watchers, (c) => listPage(c, defaultCampaignValues(deps.clock.now())))
    .post('/console/campaigns', cell, async (c) => {
      const values = readCampaignForm(await c.req.parseBody({ all: true }));
      const parsed = parseCampaignForm(values, await deps.gazetteer?.current());
      if (!parsed.ok) return listPage(c, values, parsed.errors, 400);
      const campaign = await createCampaign(deps, parsed.input, c.get('principal').user);
      return c.redirect(`/console/campaigns/${campaign.campaignId}?done=created`, 303);
    })
    .get('/console/campaigns/:id', watchers, async (c) => {
      const campaign = await loadCampaign(deps, c.req.param('id'));
      const principal = c.get('principal');
      const data = await readDashboard(deps, campaign);
      const done = DONE[c.req.query('done') ?? ''];
      return renderPage(
        c,
        <ConsolePage title={campaign.name} principal={principal} refreshSeconds={META_REFRESH_SECONDS}>
          {done ? <Flash kind="notice">{done}</Flash> : null}
          <CampaignHeader campaign={campaign} canRunIt={allows(principal.roles, CELL)} />
          <section
            id="live"
            data-live={`/console/campaigns/${campaign.campaignId}/live`}
            data-every={String(REFRESH_SECONDS * 1000)}
            aria-live="off"
          >
            <DashboardLive data={data} />
          </section>
        </ConsolePage>,
      );
    })
    .get('/console/campaigns/:id/live', watchers, async (c) => {
      const campaign = await loadCampaign(deps, c.req.param('id'));
      return renderFragment(c, <DashboardLive data={await readDashboard(deps, campaign)} />);
    })
    .get('/console/campaigns/:id/:action{activate|close}', cell, async (c) => {
      const action = c.req.param('action') === 'activate' ? 'activate' : 'close';
      const campaign = await loadCampaign(deps, c.req.param('id'));
      // Impact before commitment: the activation's own steps over the registry, nothing written.
      const preview = action === 'activate' ? await previewCampaignImpact(deps, campaign) : undefined;
      return confirmPage(c, campaign, action, preview);
    })
    .post('/console/campaigns/:id/activate', cell, async (c) => {
      const campaign = await activateCampaign(
        deps,
        (await loadCampaign(deps, c.req.param('id'))).campaignId,
        c.get('principal').user,
      );
      return c.redirect(`/console/campaigns/${campaign.campaignId}?done=activated`, 303);
    })
    .post('/console/campaigns/:id/close', cell, async (c) => {
      const campaign = await closeCampaign(
        deps,
        (await loadCampaign(deps, c.req.param('id'))).campaignId,
        c.get('principal').user,
      );
      return c.redirect(`/console/campaigns/${campaign.campaignId}?done=closed`, 303);
    });
}
