import type {
  DynamoDbHouseholdProfileReads,
  DynamoDbHouseholdStore,
  FlaggedCase,
  FlaggedStatus,
  MinuteCount,
  QueueDepth,
  StaffPrincipal,
  WebhookKeys,
} from '@madad/adapters';
import type {
  ActivationProgressStore,
  AppealPolicy,
  AppealStore,
  AppealWorkStore,
  AreaIndex,
  AuditLog,
  AuditTrust,
  BatchJobStore,
  BatchWorkQueue,
  CampaignServiceDeps,
  CapLedger,
  ChangeRequestDeps,
  Clock,
  CrossValidationReport,
  DecisionRecordStore,
  EnrollmentClaims,
  EnrollmentStore,
  NoticePorts,
  PaymentFileStore,
  PaymentLinePages,
  PaymentPorts,
  RectificationStore,
  RegistrationMessage,
  RegistrationRecord,
  ReplayDecisionsPort,
  ReplayJobStore,
  ReplayWorkQueue,
  ReplyQueue,
  SignInTransactionStore,
  StaffIdentityProvider,
  StaffSessionStore,
  StatsSink,
  VerificationStore,
} from '@madad/core';
import type { ImportReads } from './routes/imports.js';
import type { QualityReads } from './routes/quality.js';
import type { StandingPorts } from './status-lookup.js';
import type { RateLimiter } from './web/rate-limit.js';

/** Everything the HTTP app needs, injected so tests can pass fakes and Lambda passes real adapters. */
export interface ApiDeps extends CampaignServiceDeps {
  /** The SMS webhook's signing key, or its keys during a rotation (the previous one until a time). */
  readonly webhookSecret: () => Promise<WebhookKeys>;
  readonly enqueueRegistration: (message: RegistrationMessage) => Promise<void>;
  /** Appeals, and the staff work on them (assignment, notes, second-officer overturns). */
  readonly appeals: AppealStore & AppealWorkStore;
  /** The appeals' target time and second-officer amount (`appealPolicyFromEnv`); absent: the defaults. */
  readonly appealPolicy?: AppealPolicy;
  readonly enrollments: EnrollmentStore;
  readonly replies: ReplyQueue;
  readonly registrations: {
    /** A registration by message id; an SMS's needs its phone (`from`), part of its key. */
    get(messageId: string, from?: string): Promise<Record<string, unknown> | undefined>;
    /** A phone's latest messages, newest first, each with the reply it was sent. */
    listByPhone(phone: string, limit: number): Promise<RegistrationRecord[]>;
  };
  /** People's decisions of record: the latest for STATUS, and a campaign's for rules replay. */
  readonly decisions: Pick<DecisionRecordStore, 'latest' | 'put'> & ReplayDecisionsPort;
  /** What the status page reads of a household, as SMS STATUS does (`status-lookup.ts`). */
  readonly standing: StandingPorts;
  /** Rules replays with apply: their progress, and the queue of their pages (the replay worker's). */
  readonly replayJobs: ReplayJobStore;
  readonly replayQueue: ReplayWorkQueue;
  readonly cnicPepper: () => Promise<string>;
  readonly households: Pick<DynamoDbHouseholdStore, 'get' | 'householdIdOf' | 'listProvisional'>;
  /** Household search and profile reads, and the verification of provisional households (issue 16). */
  readonly householdFiles: {
    readonly reads: Pick<
      DynamoDbHouseholdProfileReads,
      'household' | 'people' | 'changeRequests' | 'enrollments'
    >;
    readonly verifications: VerificationStore;
  };
  /** Roster cross-validation's rectification queue and last report (issue 18); absent: routes answer 404. */
  readonly rectifications?: {
    readonly store: RectificationStore;
    readonly reports: { latest(): Promise<(CrossValidationReport & { finishedAt: string }) | undefined> };
  };
  /** The registry quality reports the operator jobs stored (issue 18); absent: the routes answer 404. */
  readonly quality?: QualityReads;
  /** Parallel imports' progress (issue 19); absent: none listed. */
  readonly imports?: ImportReads;
  /** Change requests (maker-checker) and the registry writes an approved one makes. */
  readonly changeRequests: Pick<ChangeRequestDeps, 'changeRequests' | 'households' | 'people'>;
  readonly stats: StatsSink & {
    read(campaignId: string): Promise<Record<string, number>>;
    /** The counters as they stood at the start of the current hour: the public page's delayed figures. */
    readAsOfHour(campaignId: string): Promise<{ asOf: Date; counters: Record<string, number> }>;
  };
  /** The campaigns' cap shards and the enrollment claims, for raising a cap and promoting the waitlist. */
  readonly enrollmentCaps: { readonly caps: CapLedger; readonly claims: EnrollmentClaims };
  /** The registry's area-and-score index: impact previews of a campaign (never a Scan). */
  readonly areaIndex: AreaIndex;
  readonly queueDepths: () => Promise<Record<string, QueueDepth>>;
  /** Payment batches: their store, the enrollments they claim, payees and the campaign budgets. */
  readonly payments: PaymentPorts;
  /** The households' SMS when their payment is sent, paid or failed; absent: none are sent. */
  readonly paymentNotices?: NoticePorts;
  /** Payment files in the stack's bucket (written in parts, downloaded by presigned link); absent: none. */
  readonly paymentFiles?: { readonly files: PaymentFileStore; readonly lines: PaymentLinePages };
  /** Batch jobs and the batch queue (`POST /api/v1/payment-batch-jobs`); absent: those routes answer 404. */
  readonly batchJobs?: { readonly store: BatchJobStore; readonly queue: BatchWorkQueue };
  /** Activation work items' page records, for `GET /api/v1/campaigns/:id/activation`; absent: 404. */
  readonly activationProgress?: ActivationProgressStore;
  readonly audit: AuditLog;
  /** The ledger's key and anchors, for `GET /api/v1/audit/verify`. */
  readonly auditTrust: AuditTrust;
  readonly verifyToken: (token: string) => Promise<StaffPrincipal>;
  /** The staff review queue's flagged cases (rate-limited phones, identity mismatches). */
  readonly flaggedCases: { list(status: FlaggedStatus, limit: number): Promise<FlaggedCase[]> };
  /** Registrations per minute of a campaign, for the dashboard's chart. */
  /** How staff sign in to the console: OIDC sessions, and (scripts and tests only) pasted tokens. */
  readonly consoleSignIn: ConsoleSignInDeps;
  readonly registrationRate: {
    readPerMinute(campaignId: string, from: Date, to: Date): Promise<MinuteCount[]>;
  };
  /** Abuse limits of the public web forms; absent: an in-memory limiter per process (see `rate-limit.ts`). */
  readonly rateLimiter?: RateLimiter;
  readonly clock: Clock;
}

export type AppEnv = { Variables: { principal: StaffPrincipal; requestId: string } };
export interface ConsoleSignInDeps {
  readonly sessions: StaffSessionStore;
  readonly transactions: SignInTransactionStore;
  /** Cognito's hosted login in the cloud, the embedded stack's provider locally; absent: not configured. */
  readonly identityProvider?: StaffIdentityProvider | undefined;
  /**
   * The paste-a-token form and a staff JWT as the console cookie (`MADAD_CONSOLE_TOKEN_SIGN_IN=on`):
   * for the test stack and scripts only. Off, a token cookie is ignored and only sessions count.
   */
  readonly acceptPastedTokens: boolean;
}
