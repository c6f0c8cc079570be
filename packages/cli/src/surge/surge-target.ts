import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbCapLedger,
  DynamoDbEnrollmentStore,
  DynamoDbRegistrationStore,
  type QueueDepth,
  type RuntimeConfig,
  readQueueDepths,
  TaskPool,
} from '@madad/adapters';
import type { CapShardState, Enrollment } from '@madad/core';
import { listSmsGatewayDeliveries } from '@madad/local/sms-gateway-client';
import { type RegistrationView, type ReplyView, StaffApi } from './staff-api.js';

/** Direct access to the local stack's tables and queues (only when the surge runs against it). */
export interface LocalAccess {
  readonly doc: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly config: RuntimeConfig;
  readonly pepper: string;
}

/** Where a surge is fired, and how its results are read back. */
export interface SurgeTarget {
  readonly baseUrl: string;
  readonly webhookSecret: string;
  readonly staff: StaffApi;
  readonly local?: LocalAccess;
  /** Depth of every queue (and its dead-letter queue). */
  queueDepths(campaignId: string): Promise<Record<string, QueueDepth>>;
  /** The registration recorded for each message id that has one. */
  /** The registration records of these messages (an SMS's record is found through its phone). */
  registrations(
    messages: readonly { readonly messageId: string; readonly from: string }[],
  ): Promise<Map<string, RegistrationView>>;
  /**
   * Where `replies` counts: at the SMS aggregator (`delivered`: the local stack's gateway), or in the
   * staff API, which lists the replies the reconcilers queued (`queued`: a deployed stack, whose
   * aggregator is out of sight).
   */
  readonly repliesCounted: 'delivered' | 'queued';
  /** Every reply to these phones (E.164), as `repliesCounted` says. */
  replies(phones: readonly string[]): Promise<ReplyView[]>;
  /**
   * The campaign's cap shards (what each holds and has left) and its waitlisted enrollments, read
   * from the tables (the local stack only: a deployed one has no such access).
   */
  capState?(campaignId: string): Promise<CapReading>;
}

export interface CapReading {
  readonly shards: readonly CapShardState[];
  readonly waitlisted: readonly Enrollment[];
}

async function eachConcurrently<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  const pool = new TaskPool(limit);
  for (const item of items) await pool.submit(() => task(item));
  await pool.drain();
}

function toView(item: Record<string, unknown>): RegistrationView {
  return {
    messageId: String(item.messageId),
    ...(typeof item.command === 'string' ? { command: item.command } : {}),
    ...(typeof item.acceptedAt === 'string' ? { acceptedAt: item.acceptedAt } : {}),
    ...(item.decision ? { decision: item.decision as RegistrationView['decision'] & object } : {}),
    ...(item.reply ? { reply: item.reply as RegistrationView['reply'] & object } : {}),
    // A helper's message is answered on the household's own phone: the caps check looks for that notice.
    ...(item.notice ? { notice: item.notice as RegistrationView['notice'] & object } : {}),
  };
}

/**
 * The local stack: results read straight from its tables, queue depths from its SQS, and replies from
 * its SMS gateway's delivery log.
 */
export function localTarget(options: {
  baseUrl: string;
  webhookSecret: string;
  staffToken: string;
  access: LocalAccess;
  /** Names the stack's SMS gateway and its key; default `process.env` (the CLI loads `stack.json` into it). */
  gatewayEnv?: Readonly<Record<string, string | undefined>>;
}): SurgeTarget {
  const { doc, sqs, config } = options.access;
  const table = config.tables.operations;
  return {
    baseUrl: options.baseUrl,
    webhookSecret: options.webhookSecret,
    staff: new StaffApi(options.baseUrl, options.staffToken),
    local: options.access,
    queueDepths: () => readQueueDepths(sqs, config.queues),
    async registrations(messages) {
      const wanted = new Set(messages.map((m) => m.messageId));
      const found = new Map<string, RegistrationView>();
      const phones = [...new Set(messages.map((m) => m.from))];
      const store = new DynamoDbRegistrationStore(doc, table);
      await eachConcurrently(phones, 8, async (phone) => {
        for (const record of await store.listByPhone(phone, Number.MAX_SAFE_INTEGER))
          if (wanted.has(record.messageId)) found.set(record.messageId, toView({ ...record }));
      });
      return found;
    },
    repliesCounted: 'delivered',
    async replies(phones) {
      const gatewayEnv = options.gatewayEnv ?? process.env;
      const replies: ReplyView[] = [];
      await eachConcurrently(phones, 8, async (phone) => {
        for (const delivery of await listSmsGatewayDeliveries(gatewayEnv, phone)) {
          // The aggregator knows a reply by its id (the client reference) and when it took it.
          replies.push({
            id: delivery.clientReference,
            to: delivery.to,
            createdAt: delivery.receivedAt,
            status: 'SENT',
            sentAt: delivery.receivedAt,
            segments: delivery.segments,
            text: delivery.text,
          });
        }
      });
      return replies;
    },
    async capState(campaignId) {
      const [shards, waitlisted] = await Promise.all([
        // Every possible shard (MAX_CAP_SHARDS); those the campaign does not have read as absent.
        new DynamoDbCapLedger(doc, table).read(campaignId, 64),
        new DynamoDbEnrollmentStore(doc, table).waitlist(campaignId, 1_000_000),
      ]);
      return { shards: shards.flatMap((s) => (s ? [s] : [])), waitlisted };
    },
  };
}

/** A deployed Madad (or any URL): everything goes through the staff API. */
export function remoteTarget(options: {
  baseUrl: string;
  webhookSecret: string;
  staffToken: string;
}): SurgeTarget {
  const staff = new StaffApi(options.baseUrl, options.staffToken);
  return {
    baseUrl: options.baseUrl,
    webhookSecret: options.webhookSecret,
    staff,
    queueDepths: async (campaignId) => (await staff.stats(campaignId)).queues ?? {},
    async registrations(messages) {
      const found = new Map<string, RegistrationView>();
      await eachConcurrently(messages, 16, async ({ messageId, from }) => {
        const view = await staff.registration(messageId, from);
        if (view) found.set(messageId, view);
      });
      return found;
    },
    repliesCounted: 'queued',
    async replies(phones) {
      const replies: ReplyView[] = [];
      await eachConcurrently(phones, 16, async (phone) => {
        replies.push(...(await staff.outbound(phone)));
      });
      return replies;
    },
  };
}
