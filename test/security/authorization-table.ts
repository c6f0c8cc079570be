import type { StaffRole } from '@madad/core';
import { POLICY } from '../../packages/api/src/access-policy.js';

/** Every staff role, in the order the README's table shows them. */
export const ROLES: readonly StaffRole[] = [
  'emergency-cell',
  'program-officer',
  'approver',
  'auditor',
  'admin',
];

export interface StaffRoute {
  /** `METHOD pattern`, exactly as `app.routes` lists it. */
  readonly route: string;
  readonly what: string;
  /** Roles that may call it besides admin, who may call everything. */
  readonly allowed: readonly Exclude<StaffRole, 'admin'>[];
}

// The roles come from the one policy the API and the console enforce (`access-policy.ts`); this table
// says which capability each route stands for, and the matrix test calls every route with every role.
const WATCHERS = POLICY['campaigns.watch'];
const CELL = POLICY['campaigns.run'];
const MESSAGES = POLICY['messages.read'];
const APPEAL_READERS = POLICY['appeals.read'];
const APPEALS = POLICY['appeals.work'];
const HOUSEHOLD_READERS = POLICY['households.read'];
const PROFILE_READERS = POLICY['households.profile'];
const OFFICER = POLICY['households.work'];
const PAYMENT_STAFF = POLICY['payments.read'];
const MAKER = POLICY['payments.make'];
const CHECKER = POLICY['payments.check'];
const FILES = POLICY['payments.files'];
const AUDITOR = POLICY['audit.read'];

/**
 * Who may call each staff route of the JSON API. The authorization matrix test holds the app to this
 * table and fails when a route has no entry; the README's "Who may do what" is generated from it.
 */
export const API_ROUTES: readonly StaffRoute[] = [
  { route: 'POST /api/v1/campaigns', what: 'declare a campaign', allowed: CELL },
  { route: 'GET /api/v1/campaigns', what: 'list campaigns', allowed: WATCHERS },
  { route: 'GET /api/v1/campaigns/:id', what: 'read a campaign', allowed: WATCHERS },
  { route: 'POST /api/v1/campaigns/:id/activate', what: 'activate a campaign', allowed: CELL },
  { route: 'POST /api/v1/campaigns/:id/close', what: 'close a campaign', allowed: CELL },
  { route: 'PATCH /api/v1/campaigns/:id/rules', what: 'change the rules', allowed: CELL },
  { route: 'GET /api/v1/campaigns/:id/preview', what: 'impact of activating (preview)', allowed: CELL },
  {
    route: 'POST /api/v1/campaigns/:id/rules/preview',
    what: 'impact of a rules change (preview)',
    allowed: CELL,
  },
  {
    route: 'PATCH /api/v1/campaigns/:id/limits',
    what: 'raise a cap and promote the waitlist',
    allowed: CELL,
  },
  { route: 'POST /api/v1/campaigns/:id/replay', what: 'replay decisions under new rules', allowed: CELL },
  {
    route: 'GET /api/v1/campaigns/:id/replays/:replayId',
    what: 'progress of a queued replay',
    allowed: CELL,
  },
  { route: 'GET /api/v1/campaigns/:id/stats', what: 'campaign figures and queue depths', allowed: WATCHERS },
  {
    route: 'GET /api/v1/campaigns/:id/activation',
    what: "a campaign's activation progress (work items done)",
    allowed: WATCHERS,
  },
  {
    route: 'GET /api/v1/registrations',
    what: 'a registration and its decision',
    allowed: MESSAGES,
  },
  {
    route: 'GET /api/v1/sms/outbound',
    what: 'replies sent to a phone',
    allowed: MESSAGES,
  },
  { route: 'GET /api/v1/appeals', what: 'list appeals', allowed: APPEAL_READERS },
  { route: 'POST /api/v1/appeals/:id/resolve', what: 'uphold or overturn an appeal', allowed: APPEALS },
  {
    route: 'POST /api/v1/appeals/:id/confirm',
    what: 'confirm a proposed overturn (not its proposer)',
    allowed: APPEALS,
  },
  { route: 'POST /api/v1/appeals/:id/decline', what: 'decline a proposed overturn', allowed: APPEALS },
  { route: 'POST /api/v1/appeals/:id/assign', what: 'assign an appeal to an officer', allowed: APPEALS },
  { route: 'POST /api/v1/appeals/:id/notes', what: 'add a note to an appeal', allowed: APPEALS },
  {
    route: 'GET /api/v1/households/:id',
    what: 'a household (raw CNICs: program-officer, admin)',
    allowed: HOUSEHOLD_READERS,
  },
  { route: 'POST /api/v1/households/lookup', what: 'find a household by CNIC', allowed: HOUSEHOLD_READERS },
  {
    route: 'GET /api/v1/households/search',
    what: 'find households by CNIC, phone or reference (in the ledger)',
    allowed: PROFILE_READERS,
  },
  {
    route: 'GET /api/v1/households/:id/profile',
    what: 'a household profile (masked CNICs; raw=1 officer, in the ledger)',
    allowed: PROFILE_READERS,
  },
  {
    route: 'POST /api/v1/households/:id/verification',
    what: 'verify a provisional household (eligible: proposed)',
    allowed: OFFICER,
  },
  {
    route: 'POST /api/v1/households/:id/verification/confirm',
    what: "confirm another officer's eligible finding (maker-checker)",
    allowed: OFFICER,
  },
  {
    route: 'POST /api/v1/households/:id/verification/decline',
    what: 'decline or withdraw an eligible finding',
    allowed: OFFICER,
  },
  { route: 'GET /api/v1/households', what: 'list provisional households', allowed: OFFICER },
  { route: 'GET /api/v1/change-requests', what: 'list change requests', allowed: OFFICER },
  {
    route: 'POST /api/v1/households/:id/change-requests',
    what: 'file a change request as its proposer (maker)',
    allowed: OFFICER,
  },
  {
    route: 'POST /api/v1/change-requests/:householdId/:requestId/propose',
    what: 'propose a change request (maker)',
    allowed: OFFICER,
  },
  {
    route: 'POST /api/v1/change-requests/:householdId/:requestId/approve',
    what: 'approve a change request (not one’s own proposal)',
    allowed: OFFICER,
  },
  {
    route: 'POST /api/v1/change-requests/:householdId/:requestId/reject',
    what: 'reject a change request',
    allowed: OFFICER,
  },
  {
    route: 'GET /api/v1/rectifications',
    what: 'the rectification queue of a district',
    allowed: PROFILE_READERS,
  },
  {
    route: 'GET /api/v1/rectifications/report',
    what: 'the last cross-validation report',
    allowed: PROFILE_READERS,
  },
  {
    route: 'POST /api/v1/rectifications/:householdId/:rectificationId/propose',
    what: "propose the ID authority's value (maker)",
    allowed: OFFICER,
  },
  {
    route: 'POST /api/v1/rectifications/:householdId/:rectificationId/confirm',
    what: 'confirm a rectification (not one’s own proposal)',
    allowed: OFFICER,
  },
  {
    route: 'POST /api/v1/rectifications/:householdId/:rectificationId/keep',
    what: "keep the survey's value, with a reason",
    allowed: OFFICER,
  },
  {
    route: 'POST /api/v1/rectifications/:householdId/:rectificationId/field-visit',
    what: 'send a rectification for a field visit',
    allowed: OFFICER,
  },
  { route: 'POST /api/v1/payment-batches', what: 'make a payment batch', allowed: MAKER },
  {
    route: 'POST /api/v1/payment-batch-jobs',
    what: "make a campaign's batches as a job (a work item a district)",
    allowed: MAKER,
  },
  { route: 'GET /api/v1/payment-batch-jobs', what: "list a campaign's batch jobs", allowed: PAYMENT_STAFF },
  { route: 'GET /api/v1/payment-batch-jobs/:id', what: "a batch job's progress", allowed: PAYMENT_STAFF },
  { route: 'GET /api/v1/payment-batches', what: "list a campaign's batches", allowed: PAYMENT_STAFF },
  { route: 'GET /api/v1/payment-batches/:id', what: 'read a batch', allowed: PAYMENT_STAFF },
  { route: 'POST /api/v1/payment-batches/:id/approve', what: 'approve a batch (checker)', allowed: CHECKER },
  { route: 'POST /api/v1/payment-batches/:id/reject', what: 'reject a batch (checker)', allowed: CHECKER },
  {
    route: 'GET /api/v1/payment-batches/:id/instructions.csv',
    what: 'payment file (raw CNICs, audited)',
    allowed: FILES,
  },
  {
    route: 'GET /api/v1/payment-batches/:id/instructions.json',
    what: 'payment file (raw CNICs, audited)',
    allowed: FILES,
  },
  {
    route: 'GET /api/v1/payment-batches/:id/instructions.xml',
    what: 'payment file, ISO 20022 pain.001 (raw CNICs, audited)',
    allowed: FILES,
  },
  {
    route: 'POST /api/v1/payment-batches/:id/file',
    what: 'write the payment file to storage in parts (raw CNICs, audited)',
    allowed: FILES,
  },
  {
    route: 'GET /api/v1/payment-batches/:id/file',
    what: 'a short-lived link to the stored payment file (each one audited)',
    allowed: FILES,
  },
  {
    route: 'POST /api/v1/payment-batches/:id/results',
    what: "stage the bank's results (uploader)",
    allowed: MAKER,
  },
  {
    route: 'POST /api/v1/payment-batches/:id/results/:importId/confirm',
    what: 'confirm and apply staged results (not the uploader)',
    allowed: FILES,
  },
  {
    route: 'POST /api/v1/payment-batches/:id/failures/confirm',
    what: 'confirm failed payments final (not the uploader)',
    allowed: FILES,
  },
  { route: 'GET /api/v1/quality/health', what: 'the registry health report', allowed: PROFILE_READERS },
  { route: 'GET /api/v1/imports', what: 'parallel imports and their progress', allowed: PROFILE_READERS },
  { route: 'GET /api/v1/imports/:importId', what: "a parallel import's progress", allowed: PROFILE_READERS },
  { route: 'GET /api/v1/quality/samples', what: 'back-check samples', allowed: PROFILE_READERS },
  {
    route: 'GET /api/v1/quality/samples/:sampleId/report',
    what: "a back-check sample's report",
    allowed: PROFILE_READERS,
  },
  { route: 'GET /api/v1/audit', what: 'read the audit ledger', allowed: AUDITOR },
  { route: 'GET /api/v1/audit/verify', what: 'verify the hash chain', allowed: AUDITOR },
];

/** `/api/v1` routes anyone may call: the household's own channel, checked by what only they know. */
export const PUBLIC_API_ROUTES: readonly string[] = [
  'POST /api/v1/registrations',
  'GET /api/v1/registrations/:reference',
  'POST /api/v1/status',
  'POST /api/v1/change-requests',
];

/** The staff console's pages: the same roles as the API actions they stand for. */
export const CONSOLE_ROUTES: readonly StaffRoute[] = [
  { route: 'GET /console/campaigns', what: 'campaign list', allowed: WATCHERS },
  { route: 'POST /console/campaigns', what: 'declare a campaign', allowed: CELL },
  { route: 'GET /console/campaigns/:id', what: 'campaign dashboard', allowed: WATCHERS },
  { route: 'GET /console/campaigns/:id/live', what: 'live figures', allowed: WATCHERS },
  {
    route: 'GET /console/campaigns/:id/:action{activate|close}',
    what: 'confirm activate or close',
    allowed: CELL,
  },
  { route: 'POST /console/campaigns/:id/activate', what: 'activate a campaign', allowed: CELL },
  { route: 'POST /console/campaigns/:id/close', what: 'close a campaign', allowed: CELL },
  { route: 'GET /console/campaigns/:id/rules', what: 'rules change with its impact preview', allowed: CELL },
  { route: 'POST /console/campaigns/:id/rules', what: 'change the rules', allowed: CELL },
  { route: 'GET /console/campaigns/:id/replay', what: 'replay preview and progress', allowed: CELL },
  { route: 'POST /console/campaigns/:id/replay', what: 'replay decisions (apply)', allowed: CELL },
  { route: 'GET /console/review', what: 'review queue', allowed: APPEAL_READERS },
  {
    route: 'GET /console/rectifications',
    what: 'cross-validation report and queue',
    allowed: PROFILE_READERS,
  },
  {
    route: 'POST /console/rectifications/:householdId/:rectificationId/propose',
    what: "propose the ID authority's value (maker)",
    allowed: OFFICER,
  },
  {
    route: 'POST /console/rectifications/:householdId/:rectificationId/confirm',
    what: 'confirm a rectification (checker)',
    allowed: OFFICER,
  },
  {
    route: 'POST /console/rectifications/:householdId/:rectificationId/:verb{keep|field-visit}',
    what: "keep the survey's value or send for a field visit",
    allowed: OFFICER,
  },
  { route: 'GET /console/households', what: 'find a household (in the ledger)', allowed: PROFILE_READERS },
  { route: 'GET /console/households/:id', what: 'a household profile', allowed: PROFILE_READERS },
  { route: 'GET /console/people/:hash', what: "a flagged case's household", allowed: PROFILE_READERS },
  {
    route: 'POST /console/households/:id/verify',
    what: 'verify a provisional household',
    allowed: OFFICER,
  },
  {
    route: 'POST /console/households/:id/confirm',
    what: "confirm another officer's eligible finding",
    allowed: OFFICER,
  },
  {
    route: 'POST /console/households/:id/decline',
    what: 'decline or withdraw an eligible finding',
    allowed: OFFICER,
  },
  { route: 'GET /console/appeals', what: 'appeals being worked', allowed: APPEAL_READERS },
  { route: 'POST /console/appeals/:id/resolve', what: 'decide an appeal', allowed: APPEALS },
  { route: 'POST /console/appeals/:id/confirm', what: 'confirm a proposed overturn', allowed: APPEALS },
  { route: 'POST /console/appeals/:id/decline', what: 'decline a proposed overturn', allowed: APPEALS },
  { route: 'POST /console/appeals/:id/assign', what: 'assign an appeal', allowed: APPEALS },
  { route: 'POST /console/appeals/:id/notes', what: 'add a note to an appeal', allowed: APPEALS },
  { route: 'GET /console/audit', what: 'the audit log', allowed: AUDITOR },
  { route: 'GET /console/quality', what: 'registry health and back-check samples', allowed: PROFILE_READERS },
  { route: 'GET /console/imports', what: 'parallel imports and their progress', allowed: PROFILE_READERS },
  {
    route: 'GET /console/quality/samples/:id',
    what: "a back-check sample's report",
    allowed: PROFILE_READERS,
  },
  { route: 'GET /console/audit/verify', what: 'verify the chain', allowed: AUDITOR },
  { route: 'GET /console/campaigns/:id/payments', what: "a campaign's batches", allowed: PAYMENT_STAFF },
  { route: 'POST /console/campaigns/:id/payments', what: 'make a payment batch', allowed: MAKER },
  {
    route: 'POST /console/campaigns/:id/payments/jobs',
    what: "start a batch job (every district's batches)",
    allowed: MAKER,
  },
  { route: 'GET /console/payment-batches/:id', what: 'a batch', allowed: PAYMENT_STAFF },
  { route: 'POST /console/payment-batches/:id/approve', what: 'approve a batch', allowed: CHECKER },
  { route: 'POST /console/payment-batches/:id/reject', what: 'reject a batch', allowed: CHECKER },
  {
    route: 'GET /console/payment-batches/:id/instructions.csv',
    what: 'payment file',
    allowed: FILES,
  },
  {
    route: 'GET /console/payment-batches/:id/instructions.xml',
    what: 'payment file (pain.001)',
    allowed: FILES,
  },
  {
    route: 'POST /console/payment-batches/:id/file',
    what: 'write the payment file to storage',
    allowed: FILES,
  },
  {
    route: 'GET /console/payment-batches/:id/file',
    what: 'download the stored payment file',
    allowed: FILES,
  },
  { route: 'POST /console/payment-batches/:id/results', what: "stage the bank's results", allowed: MAKER },
  {
    route: 'POST /console/payment-batches/:id/results/:importId/confirm',
    what: 'confirm staged results',
    allowed: FILES,
  },
  {
    route: 'POST /console/payment-batches/:id/failures/confirm',
    what: 'confirm failed payments',
    allowed: FILES,
  },
];

/** Console pages without a role check: signing in (OIDC and, on the test stack, a token) and out. */
export const PUBLIC_CONSOLE_ROUTES: readonly string[] = [
  'GET /console',
  'GET /console/sign-in',
  'POST /console/sign-in',
  'GET /console/sign-in/start',
  'GET /console/callback',
  'POST /console/sign-out',
  'GET /console/signed-out',
];

export function mayCall(entry: StaffRoute, role: StaffRole): boolean {
  return role === 'admin' || (entry.allowed as readonly StaffRole[]).includes(role);
}

function table(entries: readonly StaffRoute[]): string {
  const header = `| Route | What | ${ROLES.join(' | ')} |`;
  const rule = `|---|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = entries.map(
    (e) =>
      `| \`${e.route.replace(/\|/g, '\\|')}\` | ${e.what} | ${ROLES.map((r) => (mayCall(e, r) ? '✓' : '')).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

/** The README's "Who may do what" tables, generated so that the document cannot drift from the test. */
export function whoMayDoWhat(): string {
  return [
    'JSON API (`Authorization: Bearer <staff token>`):',
    '',
    table(API_ROUTES),
    '',
    'Staff console (signed in through OpenID Connect, a session in an HttpOnly cookie; the same roles as the API):',
    '',
    table(CONSOLE_ROUTES),
  ].join('\n');
}
