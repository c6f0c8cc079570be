import type { AuditInput } from '../audit/audit-ledger.js';
import type { AuditLog } from '../audit/ports.js';
import type { Campaign } from './campaign.js';

/** Who acts, with the role they acted in (the ledger records both). */
export interface StaffActor {
  readonly user: string;
  readonly role: string;
}

type Ledger = Pick<AuditLog, 'append'>;
/** Who last changed the rules; kept on the campaign item so a missed ledger entry can be completed. */
type WithRuleAuthor = Campaign & { readonly rulesChangedBy?: string };

const versionOf = (ruleSetVersion: string) => Number(ruleSetVersion.split('/v').pop() ?? 1);
const subject = (campaign: Campaign) => `campaign/${campaign.campaignId}`;

/** What a campaign was declared with (its input and first rule set): the `after` of `campaign.declare`. */
function declared(campaign: Campaign) {
  const { name, areas, opensAt, closesAt, budgetCap, maxHouseholds, createdAt } = campaign;
  const v1 = campaign.ruleSetVersion.replace(/\/v\d+$/, '/v1');
  return {
    status: 'draft',
    name,
    areas,
    opensAt,
    closesAt,
    budgetCap,
    maxHouseholds,
    ruleSetVersion: v1,
    createdAt,
  };
}

/** `withRules` false when completing a lost entry later: the rules may have changed since (see `campaign.rules`). */
export function declareEntry(campaign: Campaign, actor: StaffActor, withRules = true): AuditInput {
  return {
    actor: actor.user,
    role: actor.role,
    action: 'campaign.declare',
    subject: subject(campaign),
    before: null,
    after: { ...declared(campaign), ...(withRules ? { rules: campaign.rules } : {}) },
    actionId: `campaign.declare/${campaign.campaignId}`,
  };
}

export function rulesEntry(
  previous: Pick<Campaign, 'ruleSetVersion' | 'rules'> | { readonly ruleSetVersion: string },
  updated: Campaign,
  actor: StaffActor,
): AuditInput {
  return {
    actor: actor.user,
    role: actor.role,
    action: 'campaign.rules',
    subject: subject(updated),
    before: previous,
    after: { ruleSetVersion: updated.ruleSetVersion, rules: updated.rules },
    actionId: `campaign.rules/${updated.ruleSetVersion}`,
  };
}

/**
 * Completes the ledger entries of the campaign's earlier actions that cannot be re-run as such (a
 * declaration or rule change re-sent makes a new one): appended by actionId, so an entry already there
 * is left as it is, and one lost to a crash between the write and its entry is recorded by the next
 * staff action on the campaign. Limit: of the rule changes, only the latest is completed.
 */
export async function completeCampaignTrail(audit: Ledger, campaign: WithRuleAuthor): Promise<void> {
  await audit.append(declareEntry(campaign, { user: campaign.createdBy, role: 'emergency-cell' }, false));
  const version = versionOf(campaign.ruleSetVersion);
  if (version > 1 && campaign.rulesChangedBy) {
    const previous = { ruleSetVersion: campaign.ruleSetVersion.replace(/\/v\d+$/, `/v${version - 1}`) };
    await audit.append(
      rulesEntry(previous, campaign, { user: campaign.rulesChangedBy, role: 'emergency-cell' }),
    );
  }
}
