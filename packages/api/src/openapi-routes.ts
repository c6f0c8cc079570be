import {
  CampaignInputSchema,
  ChangeRequestInputSchema,
  ConfirmFailuresRequestSchema,
  CreateBatchRequestSchema,
  InboundSmsSchema,
  LimitChangeSchema,
  OutboundSmsSchema,
  PaymentResultsSchema,
  RejectBatchRequestSchema,
  RuleChangeSchema,
  type StaffRole,
  WebRegistrationSchema,
} from '@madad/core';
import * as z from 'zod';
import { AssignSchema, DeclineSchema, NoteSchema, ResolveSchema, StatusSchema } from './routes/appeals.js';
import { PREVIEW_LIMIT } from './routes/campaign-preview.js';
import { ReplayRequestSchema } from './routes/campaigns.js';
import { DecisionSchema, ProposalSchema, StaffChangeSchema } from './routes/change-requests.js';
import {
  ConfirmVerificationSchema,
  DeclineVerificationSchema,
  SearchQuerySchema,
  VerificationRequestSchema,
} from './routes/household-desk.js';

/** Who may call an operation: staff roles (admin always may), anyone, or the SMS aggregator's signature. */
export type Access = readonly Exclude<StaffRole, 'admin'>[] | 'public' | 'webhook';

/** A body: a zod schema (JSON), or a media type with a description of what travels in it. */
export type BodySpec = z.ZodType | { readonly type: string; readonly description: string };

export interface OperationSpec {
  /** `METHOD /path/:param`, as hono registers it (a constrained `:action{a|b}` is one spec per value). */
  readonly route: string;
  readonly summary: string;
  readonly access: Access;
  readonly query?: Readonly<Record<string, { required?: boolean; description: string; schema?: z.ZodType }>>;
  readonly request?: BodySpec | readonly BodySpec[];
  /** The success status and what it returns; errors are added from `errors`. */
  readonly ok: { readonly status: number; readonly description: string; readonly body?: BodySpec };
  readonly errors?: readonly (400 | 404 | 409 | 413 | 415)[];
}

const WATCHERS = ['emergency-cell', 'program-officer', 'approver', 'auditor'] as const;
const CELL = ['emergency-cell'] as const;
const OFFICER = ['program-officer'] as const;
const CHECKER = ['approver'] as const;
const PAYMENT_STAFF = ['program-officer', 'approver', 'auditor'] as const;
const FILES = ['program-officer', 'approver'] as const;
const READERS = ['program-officer', 'emergency-cell', 'auditor'] as const;
const json = (description: string) => ({ type: 'application/json', description });
const BATCH = json(
  'The batch: status (pending, approved, settled, partly-paid, ...), totals, maker/approver, held households, breakdown by district and category, openAppeals, lines (masked CNICs, bank reason, flags: PAYEE_CHANGED, RETRY, OPEN_APPEAL), imports',
);
const RESULTS = json(
  'The import: status, received, applied, paid, failed, duplicatePayments, unknownReferences',
);
const CHANGE = json('The change request with its status, proposer and checker');
const HOUSEHOLD = json(
  'The household; raw CNICs for program-officer and admin (a ledger entry), masked otherwise',
);
const CHANGE_DECISION = (what: string, request: BodySpec): OperationSpec => ({
  route: `POST /api/v1/change-requests/:householdId/:requestId/${what}`,
  summary: `${what[0]?.toUpperCase()}${what.slice(1)} a change request (approve: not one's own proposal)`,
  access: OFFICER,
  request,
  ok: { status: 200, description: 'The change request', body: CHANGE },
  errors: [400, 404, 409],
});

/**
 * Every route of the JSON API, its roles and its bodies: `buildOpenApi` renders it, and a test fails
 * when the app has a route this table lacks, or roles the authorization table disagrees with.
 */
export const OPERATIONS: readonly OperationSpec[] = [
  { route: 'GET /health', summary: 'Liveness', access: 'public', ok: { status: 200, description: 'OK' } },
  {
    route: 'GET /openapi.json',
    summary: 'This document',
    access: 'public',
    ok: { status: 200, description: 'OpenAPI 3.1', body: json('OpenAPI document') },
  },
  {
    route: 'POST /sms/inbound',
    summary: 'Inbound SMS from the aggregator; queued for reconciliation',
    access: 'webhook',
    request: InboundSmsSchema,
    ok: { status: 200, description: 'Queued (a repeated messageId is harmless)' },
    errors: [400, 415],
  },
  {
    route: 'GET /api/v1/sms/outbound',
    summary: 'Replies sent to a phone, newest first',
    access: READERS,
    query: {
      to: { required: true, description: 'The phone' },
      limit: { description: '1 to 200, default 50' },
    },
    ok: {
      status: 200,
      description: 'Replies',
      body: z.object({ to: z.string(), count: z.number(), items: z.array(OutboundSmsSchema) }),
    },
    errors: [400],
  },
  {
    route: 'GET /api/v1/registrations',
    summary: 'The registration and decision recorded for an inbound message',
    access: READERS,
    query: {
      messageId: { required: true, description: 'The message id' },
      from: { description: "The sender's phone (required for an SMS)" },
    },
    ok: { status: 200, description: 'Registration', body: json('The registration and its decision') },
    errors: [400, 404],
  },
  {
    route: 'POST /api/v1/registrations',
    summary: 'Register on the web (queued like an SMS)',
    access: 'public',
    request: WebRegistrationSchema,
    ok: { status: 202, description: 'Queued', body: json('{ status: "queued", reference }') },
    errors: [400],
  },
  {
    route: 'GET /api/v1/registrations/:reference',
    summary: "The household's standing by any reference it was sent (web, SMS or top-up)",
    access: 'public',
    ok: {
      status: 200,
      description: 'Status',
      body: json(
        '{ reference, status, reasons, amount?, topUp?, payment?, appeal?, decidedAt?, message }: the SMS STATUS answer',
      ),
    },
    errors: [404],
  },
  {
    route: 'POST /api/v1/status',
    summary: 'Status by CNIC and the phone registered with (no enumeration: one 404 for both misses)',
    access: 'public',
    request: json('{ cnic: string, phone: string }'),
    ok: { status: 200, description: 'Status', body: json('The decision of record') },
    errors: [400, 404],
  },
  {
    route: 'POST /api/v1/campaigns',
    summary: 'Declare a campaign (draft)',
    access: CELL,
    request: CampaignInputSchema,
    ok: { status: 201, description: 'The campaign', body: json('Campaign') },
    errors: [400],
  },
  {
    route: 'GET /api/v1/campaigns',
    summary: 'List campaigns',
    access: WATCHERS,
    ok: { status: 200, description: 'Campaigns', body: json('{ items: Campaign[] }') },
  },
  {
    route: 'GET /api/v1/campaigns/:id',
    summary: 'Read a campaign',
    access: WATCHERS,
    ok: { status: 200, description: 'The campaign', body: json('Campaign') },
    errors: [404],
  },
  {
    route: 'POST /api/v1/campaigns/:id/activate',
    summary: 'Activate a campaign (queues its vertical expansion)',
    access: CELL,
    ok: { status: 200, description: 'The campaign', body: json('Campaign') },
    errors: [404, 409],
  },
  {
    route: 'POST /api/v1/campaigns/:id/close',
    summary: 'Close a campaign',
    access: CELL,
    ok: { status: 200, description: 'The campaign', body: json('Campaign') },
    errors: [404, 409],
  },
  {
    route: 'PATCH /api/v1/campaigns/:id/rules',
    summary: 'Change the rules (a new rule-set version)',
    access: CELL,
    request: RuleChangeSchema,
    ok: { status: 200, description: 'The campaign', body: json('Campaign') },
    errors: [400, 404, 409],
  },
  {
    route: 'GET /api/v1/campaigns/:id/preview',
    summary:
      'Impact of activating: top-ups and newly eligible households by district and tehsil, the amount against the budget, how many the caps would waitlist',
    access: CELL,
    query: {
      limit: {
        description: `Households examined at most (1..${PREVIEW_LIMIT}); past it the preview is truncated`,
      },
    },
    ok: {
      status: 200,
      description: 'The preview',
      body: json('ImpactPreview: areas, topUps, newlyEligible, budget, activation, registrations'),
    },
    errors: [400, 404],
  },
  {
    route: 'POST /api/v1/campaigns/:id/rules/preview',
    summary:
      'Impact of a rules change (the same body as PATCH .../rules), computed as an activation under those rules',
    access: CELL,
    request: RuleChangeSchema,
    ok: { status: 200, description: 'The preview', body: json('ImpactPreview under the proposed rules') },
    errors: [400, 404],
  },
  {
    route: 'PATCH /api/v1/campaigns/:id/limits',
    summary: 'Raise (or lower) the household maximum or budget cap; a raise promotes the waitlist in order',
    access: CELL,
    request: LimitChangeSchema,
    ok: {
      status: 200,
      description: 'What changed',
      body: json('The new limits and the households promoted'),
    },
    errors: [400, 404, 409],
  },
  {
    route: 'POST /api/v1/campaigns/:id/replay',
    summary: 'Replay decisions under the current rules: a bounded preview, or with apply a queued replay',
    access: CELL,
    request: ReplayRequestSchema,
    ok: {
      status: 200,
      description:
        'Preview: decisions that would change (with apply: 202, the replay queued and its progress URL)',
      body: json('Preview report, or { replayId, ..., progress }'),
    },
    errors: [400, 404, 409],
  },
  {
    route: 'GET /api/v1/campaigns/:id/replays/:replayId',
    summary: 'Progress of a queued replay with apply',
    access: CELL,
    ok: { status: 200, description: 'Progress', body: json('The replay job: pages done, decisions changed') },
    errors: [404],
  },
  {
    route: 'GET /api/v1/campaigns/:id/stats',
    summary:
      'Campaign figures (received, decided, eligible, waitlisted, pending verification, enrolled, paid once) and queue depths',
    access: WATCHERS,
    ok: {
      status: 200,
      description: 'Figures, defined in core stats/figures.ts',
      body: json('{ campaignId, figures: CampaignFigures, counts, budget, queues }'),
    },
    errors: [404],
  },
  {
    route: 'GET /api/v1/appeals',
    summary: 'List appeals by status',
    access: ['program-officer', 'auditor'],
    query: { status: { description: 'Default OPEN', schema: StatusSchema } },
    ok: { status: 200, description: 'Appeals', body: json('{ items: Appeal[] }') },
    errors: [400],
  },
  {
    route: 'POST /api/v1/appeals/:id/resolve',
    summary:
      'Uphold or overturn an appeal (two officers at once: one 200, one 409); an overturn at or above MADAD_APPEAL_SECOND_OFFICER_PKR is proposed (202) for a second officer',
    access: OFFICER,
    request: ResolveSchema,
    ok: {
      status: 200,
      description: 'The appeal (202: PROPOSED, waiting for a second officer)',
      body: json('Appeal'),
    },
    errors: [400, 404, 409],
  },
  {
    route: 'POST /api/v1/appeals/:id/confirm',
    summary:
      'Confirm a proposed overturn: another officer than its proposer (stable user id); enrolls and tells the household',
    access: OFFICER,
    ok: { status: 200, description: 'The appeal, OVERTURNED', body: json('Appeal') },
    errors: [400, 404, 409],
  },
  {
    route: 'POST /api/v1/appeals/:id/decline',
    summary: 'Decline a proposed overturn (not its proposer): the appeal is OPEN again',
    access: OFFICER,
    request: DeclineSchema,
    ok: { status: 200, description: 'The appeal, OPEN', body: json('Appeal') },
    errors: [400, 404, 409],
  },
  {
    route: 'POST /api/v1/appeals/:id/assign',
    summary: 'Assign an appeal to an officer (audited)',
    access: OFFICER,
    request: AssignSchema,
    ok: { status: 200, description: 'The appeal', body: json('Appeal') },
    errors: [400, 404, 409],
  },
  {
    route: 'POST /api/v1/appeals/:id/notes',
    summary: 'Append a note to an appeal (append-only, audited; the same noteId twice adds it once)',
    access: OFFICER,
    request: NoteSchema,
    ok: { status: 201, description: 'The appeal with its notes', body: json('Appeal') },
    errors: [400, 404],
  },
  {
    route: 'GET /api/v1/households/:id',
    summary: 'A household',
    access: WATCHERS,
    ok: { status: 200, description: 'Household', body: HOUSEHOLD },
    errors: [404],
  },
  {
    route: 'POST /api/v1/households/lookup',
    summary: 'Find a household by CNIC',
    access: WATCHERS,
    request: json('{ cnic: string }'),
    ok: { status: 200, description: 'Household', body: HOUSEHOLD },
    errors: [400, 404],
  },
  {
    route: 'GET /api/v1/households/search',
    summary:
      'Find households by CNIC (any typed form), phone (any local or international form), reference or household id; every search is in the ledger',
    access: PAYMENT_STAFF,
    query: {
      q: {
        required: true,
        description: 'A CNIC, mobile number, reference, appeal id or household id',
        schema: SearchQuerySchema,
      },
    },
    ok: {
      status: 200,
      description: 'Matches',
      body: json('{ kind: cnic|phone|reference|household, householdIds }'),
    },
    errors: [400],
  },
  {
    route: 'GET /api/v1/households/:id/profile',
    summary:
      'A household profile: members (CNICs masked 35202-*****67-1; raw=1 for program-officer and admin, in the ledger), identity and flags, decisions, messages, enrollments and payments, appeals, change requests, verification, ledger entries',
    access: PAYMENT_STAFF,
    query: { raw: { description: '1: full CNICs (program-officer, admin; recorded in the ledger)' } },
    ok: { status: 200, description: 'The profile', body: json('HouseholdProfile') },
    errors: [404],
  },
  {
    route: 'POST /api/v1/households/:id/verification',
    summary:
      'Verify a provisional household: area from the gazetteer, method, note, outcome (ELIGIBLE is proposed for a second officer; NOT_ELIGIBLE and REJECTED take effect and the household is told by SMS)',
    access: OFFICER,
    request: VerificationRequestSchema,
    ok: {
      status: 200,
      description: 'The verification (202 when proposed)',
      body: json('HouseholdVerification'),
    },
    errors: [400, 404, 409],
  },
  {
    route: 'POST /api/v1/households/:id/verification/confirm',
    summary:
      "Confirm another officer's eligible finding (never one's own): the household is enrolled within the caps and told by SMS",
    access: OFFICER,
    request: ConfirmVerificationSchema,
    ok: { status: 200, description: 'The verification, done', body: json('HouseholdVerification') },
    errors: [400, 404, 409],
  },
  {
    route: 'POST /api/v1/households/:id/verification/decline',
    summary:
      'Decline (or, as its proposer, withdraw) an eligible finding waiting for a second officer, with a reason: the household is unverified again',
    access: OFFICER,
    request: DeclineVerificationSchema,
    ok: { status: 200, description: 'Declined', body: json('{ householdId, verification: "DECLINED" }') },
    errors: [400, 404, 409],
  },
  {
    route: 'GET /api/v1/households',
    summary: 'Provisional households waiting for verification (masked CNICs)',
    access: OFFICER,
    query: { status: { required: true, description: 'provisional' } },
    ok: { status: 200, description: 'Households', body: json('{ items: Household[] }') },
    errors: [400],
  },
  {
    route: 'POST /api/v1/change-requests',
    summary: "A household asks for a change (by CNIC and one of the household's phones)",
    access: 'public',
    request: ChangeRequestInputSchema,
    ok: {
      status: 202,
      description: 'Received (the same answer whether or not the phone is on the household)',
      body: json('{ status: "RECEIVED", message }'),
    },
    errors: [400],
  },
  {
    route: 'GET /api/v1/change-requests',
    summary: 'List change requests by status',
    access: OFFICER,
    query: { status: { description: 'SUBMITTED (default), PROPOSED, APPLYING, APPROVED or REJECTED' } },
    ok: { status: 200, description: 'Change requests', body: json('{ items: ChangeRequest[] }') },
  },
  {
    route: 'POST /api/v1/households/:id/change-requests',
    summary: 'File a change request as its proposer (maker)',
    access: OFFICER,
    request: StaffChangeSchema,
    ok: { status: 201, description: 'Proposed', body: CHANGE },
    errors: [400, 404],
  },
  CHANGE_DECISION('propose', ProposalSchema),
  CHANGE_DECISION('approve', DecisionSchema),
  CHANGE_DECISION('reject', DecisionSchema),
  {
    route: 'POST /api/v1/payment-batches',
    summary: 'Make a payment batch (payees re-checked; households without a valid payee held)',
    access: OFFICER,
    request: CreateBatchRequestSchema,
    ok: { status: 201, description: 'The batch', body: BATCH },
    errors: [400, 404, 409],
  },
  {
    route: 'GET /api/v1/payment-batches',
    summary: "A campaign's batches and budget",
    access: PAYMENT_STAFF,
    query: { campaignId: { required: true, description: 'The campaign' } },
    ok: { status: 200, description: 'Batches', body: json('{ budget, items: BatchSummary[] }') },
    errors: [400, 404],
  },
  {
    route: 'GET /api/v1/payment-batches/:id',
    summary: 'A batch with its lines and result imports (completes an interrupted approval or import)',
    access: PAYMENT_STAFF,
    ok: { status: 200, description: 'The batch', body: BATCH },
    errors: [404],
  },
  {
    route: 'POST /api/v1/payment-batches/:id/approve',
    summary: 'Approve a batch (checker: not its maker)',
    access: CHECKER,
    ok: { status: 200, description: 'The batch', body: BATCH },
    errors: [404, 409],
  },
  {
    route: 'POST /api/v1/payment-batches/:id/reject',
    summary: 'Reject a batch (checker: not its maker)',
    access: CHECKER,
    request: RejectBatchRequestSchema,
    ok: { status: 200, description: 'The batch', body: BATCH },
    errors: [400, 404, 409],
  },
  ...(
    [
      ['csv', 'text/csv', 'Bank CSV with a checksum line (raw CNICs, audited)'],
      ['json', 'application/json', 'Payment instructions as JSON (raw CNICs, audited)'],
      ['xml', 'application/xml', 'ISO 20022 pain.001.001.09 (raw CNICs, audited)'],
    ] as const
  ).map(
    ([extension, type, description]): OperationSpec => ({
      route: `GET /api/v1/payment-batches/:id/instructions.${extension}`,
      summary: `Payment file of an approved batch: ${description}`,
      access: FILES,
      ok: { status: 200, description: 'The file', body: { type, description } },
      errors: [404, 409],
    }),
  ),
  {
    route: 'POST /api/v1/payment-batches/:id/results',
    summary: "Stage the bank's results (the uploader); they apply when another staff member confirms",
    access: OFFICER,
    request: [
      PaymentResultsSchema,
      { type: 'text/csv', description: 'paymentReference,status[,reason,paidAt]' },
    ],
    ok: { status: 202, description: 'Staged (200 when the same file was already applied)', body: RESULTS },
    errors: [400, 404, 409, 415],
  },
  {
    route: 'POST /api/v1/payment-batches/:id/results/:importId/confirm',
    summary: 'Confirm and apply staged results (not the uploader)',
    access: FILES,
    ok: { status: 200, description: 'Applied', body: RESULTS },
    errors: [404, 409],
  },
  {
    route: 'POST /api/v1/payment-batches/:id/failures/confirm',
    summary: 'Confirm failed payments final so they may be re-batched (not the uploader)',
    access: FILES,
    request: ConfirmFailuresRequestSchema,
    ok: { status: 200, description: 'Confirmed', body: json('{ confirmed: string[], ... }') },
    errors: [400, 404, 409],
  },
  {
    route: 'GET /api/v1/audit',
    summary: 'Read the audit ledger in seq order',
    access: ['auditor'],
    query: {
      from: { description: 'First seq, default 1' },
      limit: { description: '1 to 1000, default 100' },
    },
    ok: { status: 200, description: 'Entries', body: json('{ items: AuditEntry[], next?: number }') },
    errors: [400],
  },
  {
    route: 'GET /api/v1/audit/verify',
    summary: 'Verify the keyed chain against the head and the anchors kept outside the table',
    access: ['auditor'],
    query: { anchors: { description: '"all" checks every anchor ever written' } },
    ok: { status: 200, description: 'Verdict', body: json('{ ok, count, brokenSeq?, reason? }') },
  },
];
