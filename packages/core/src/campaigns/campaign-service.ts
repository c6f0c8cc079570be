import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/ports.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { planActivation } from '../expansion/activation-plan.js';
import { builtInGazetteer } from '../registry/areas.js';
import type { GazetteerReader } from '../registry/gazetteer/ports.js';
import type { ActivationWork } from '../schemas.js';
import type { Clock } from '../time/clock.js';
import { type Campaign, type CampaignInput, type RuleSet, ruleSetVersionOf } from './campaign.js';
import { completeCampaignTrail, declareEntry, rulesEntry } from './campaign-audit.js';
import { capShardsFor } from './cap-shards.js';

export interface CampaignRepository {
  get(campaignId: string): Promise<(Campaign & { revision: number }) | undefined>;
  list(): Promise<Campaign[]>;
  save(campaign: Campaign, expectedRevision: number): Promise<void>;
  saveRuleSet(campaign: Campaign, version: number, by: string): Promise<void>;
}

export interface CampaignServiceDeps {
  readonly campaigns: CampaignRepository;
  readonly activationQueue: { enqueueAll(items: readonly ActivationWork[]): Promise<void> };
  /** Every action below is appended by a deterministic actionId after its write (and again by a re-run). */
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  /** The areas in force (an imported gazetteer); absent, the built-in list. */
  readonly gazetteer?: GazetteerReader;
}

/**
 * The declared areas in the gazetteer's spelling; an unknown district or tehsil is refused (400)
 * with the nearest known names, so a typo never declares a campaign nobody can register under.
 */
async function knownAreas(deps: CampaignServiceDeps, input: CampaignInput): Promise<CampaignInput['areas']> {
  const gazetteer = deps.gazetteer ? await deps.gazetteer.current() : builtInGazetteer();
  const checked = gazetteer.checkDistricts(input.areas);
  if (checked.ok) return checked.areas;
  throw new ValidationError(checked.problems.map((p) => p.message).join('; '), {
    areas: checked.problems,
  });
}

/** Who stored the campaign's last activation, closing and rule change (for completing lost entries). */
type Authored = Campaign & { readonly activatedBy?: string; readonly closedBy?: string };

function versionNumber(campaign: Campaign): number {
  return Number(campaign.ruleSetVersion.split('/v').pop() ?? 1);
}

async function load(deps: CampaignServiceDeps, campaignId: string) {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${campaignId}`);
  return campaign;
}

/** Declares a campaign as a draft: nothing is decided under it until it is activated. */
export async function createCampaign(
  deps: CampaignServiceDeps,
  input: CampaignInput,
  by: string,
  role = 'emergency-cell',
): Promise<Campaign> {
  const areas = await knownAreas(deps, input);
  const campaignId = `C-${randomUUID().slice(0, 8).toUpperCase()}`;
  const campaign: Campaign = {
    ...input,
    areas,
    campaignId,
    status: 'draft',
    ruleSetVersion: ruleSetVersionOf(campaignId, 1),
    capShards: capShardsFor(input),
    createdBy: by,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.campaigns.save(campaign, 0);
  await deps.campaigns.saveRuleSet(campaign, 1, by);
  // A crash before this append leaves a draft without its entry: the next action on it completes it.
  await deps.audit.append(declareEntry(campaign, { user: by, role }));
  return campaign;
}

/**
 * Activates a campaign and starts vertical expansion: one work item per affected district, each
 * paging through the area index. Retrying is safe: enrollment is conditional per household.
 */
export async function activateCampaign(
  deps: CampaignServiceDeps,
  campaignId: string,
  by: string,
  role = 'emergency-cell',
): Promise<Campaign> {
  const current = await load(deps, campaignId);
  if (current.status === 'closed') throw new ConflictError('A closed campaign cannot be activated again');
  await completeCampaignTrail(deps.audit, current);
  const { revision, ...campaign } = current;
  const active: Campaign =
    campaign.status === 'active'
      ? campaign
      : { ...campaign, status: 'active', activatedAt: deps.clock.now().toISOString() };
  if (campaign.status !== 'active')
    await deps.campaigns.save({ ...active, activatedBy: by } as Campaign, revision);
  // Each area in score bands, each band its own chain of pages: the bands run in parallel.
  await deps.activationQueue.enqueueAll(planActivation(active, active.rules.pmtThreshold));
  // Re-activating (a retry) re-appends the same actionId: one entry, its first author's.
  await deps.audit.append({
    actor: (current as Authored).activatedBy ?? by,
    role,
    action: 'campaign.activate',
    subject: `campaign/${campaignId}`,
    before: { status: 'draft' },
    after: { status: 'active', activatedAt: active.activatedAt },
    actionId: `campaign.activate/${campaignId}`,
  });
  return active;
}

export async function closeCampaign(
  deps: CampaignServiceDeps,
  campaignId: string,
  by: string,
  role = 'emergency-cell',
): Promise<Campaign> {
  const { revision, ...campaign } = await load(deps, campaignId);
  await completeCampaignTrail(deps.audit, campaign);
  const closed: Campaign =
    campaign.status === 'closed'
      ? campaign
      : { ...campaign, status: 'closed', closedAt: deps.clock.now().toISOString() };
  if (campaign.status !== 'closed')
    await deps.campaigns.save({ ...closed, closedBy: by } as Campaign, revision);
  // Closing a closed campaign (a retry) completes the entry a crash may have lost.
  await deps.audit.append({
    actor: (campaign as Authored).closedBy ?? by,
    role,
    action: 'campaign.close',
    subject: `campaign/${campaignId}`,
    before: { status: campaign.activatedAt ? 'active' : 'draft' },
    after: { status: 'closed', closedAt: closed.closedAt },
    actionId: `campaign.close/${campaignId}`,
  });
  return closed;
}

/** Changing the rules makes a new rule-set version; decisions keep the version they were taken under. */
export async function changeRules(
  deps: CampaignServiceDeps,
  campaignId: string,
  change: Partial<RuleSet>,
  by: string,
  role = 'emergency-cell',
): Promise<Campaign> {
  const { revision, ...campaign } = await load(deps, campaignId);
  if (campaign.status === 'closed') throw new ConflictError('The rules of a closed campaign cannot change');
  await completeCampaignTrail(deps.audit, campaign);
  const version = versionNumber(campaign) + 1;
  const updated: Campaign = {
    ...campaign,
    rules: { ...campaign.rules, ...change },
    ruleSetVersion: ruleSetVersionOf(campaignId, version),
  };
  await deps.campaigns.saveRuleSet(updated, version, by);
  // The author on the item lets a later action complete this change's entry if a crash loses it.
  await deps.campaigns.save({ ...updated, rulesChangedBy: by } as Campaign, revision);
  await deps.audit.append(
    rulesEntry({ ruleSetVersion: campaign.ruleSetVersion, rules: campaign.rules }, updated, {
      user: by,
      role,
    }),
  );
  return updated;
}
