import type { DynamoDbHouseholdStore, QueueDepth, StaffPrincipal } from '@madad/adapters';
import type {
  AppealStore,
  AuditLog,
  CampaignServiceDeps,
  Clock,
  EnrollmentStore,
  OutboundLog,
  PaymentPorts,
  RegistrationMessage,
  ReplyQueue,
  StoredDecision,
} from '@madad/core';

/** Everything the HTTP app needs, injected so tests can pass fakes and Lambda passes real adapters. */
export interface ApiDeps extends CampaignServiceDeps {
  readonly webhookSecret: () => Promise<string>;
  readonly enqueueRegistration: (message: RegistrationMessage) => Promise<void>;
  readonly outbound: OutboundLog;
  readonly appeals: AppealStore;
  readonly enrollments: EnrollmentStore;
  readonly replies: ReplyQueue;
  readonly registrations: {
    get(messageId: string): Promise<Record<string, unknown> | undefined>;
    latestDecision(cnicHash: string): Promise<StoredDecision | undefined>;
  };
  readonly cnicPepper: () => Promise<string>;
  readonly households: Pick<
    DynamoDbHouseholdStore,
    'get' | 'householdIdOf' | 'listProvisional' | 'requestChange' | 'listChanges' | 'decideChange'
  >;
  readonly stats: { read(campaignId: string): Promise<Record<string, number>> };
  readonly queueDepths: () => Promise<Record<string, QueueDepth>>;
  /** Payment batches: their store, the enrollments they claim, payees and the campaign budgets. */
  readonly payments: PaymentPorts;
  readonly audit: AuditLog;
  readonly verifyToken: (token: string) => Promise<StaffPrincipal>;
  readonly clock: Clock;
}

export type AppEnv = { Variables: { principal: StaffPrincipal; requestId: string } };
