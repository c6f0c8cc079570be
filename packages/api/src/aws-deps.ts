import {
  auditTrustFromEnv,
  bucketEnvName,
  cognitoVerifierFromEnv,
  createDynamoDbPaymentPorts,
  createStorageClient,
  DynamoDbActivationProgress,
  DynamoDbAppealStore,
  DynamoDbAreaIndex,
  DynamoDbAuditLog,
  DynamoDbBatchJobStore,
  DynamoDbCampaignStore,
  DynamoDbCapLedger,
  DynamoDbChangeRequestStore,
  DynamoDbCrossValidationReports,
  DynamoDbDecisionRecords,
  DynamoDbEnrollmentStore,
  DynamoDbFlaggedDecisions,
  DynamoDbHouseholdChanges,
  DynamoDbHouseholdProfileReads,
  DynamoDbHouseholdStore,
  DynamoDbHouseholdVerifications,
  DynamoDbImportJobs,
  DynamoDbNoticeMarks,
  DynamoDbPaymentBatchStore,
  DynamoDbPhoneLanguages,
  DynamoDbQualityStore,
  DynamoDbRectificationStore,
  DynamoDbReferenceIndex,
  DynamoDbRegistrationStore,
  DynamoDbRegistryLookup,
  DynamoDbReplayJobs,
  DynamoDbStaffSessions,
  DynamoDbStats,
  dynamoGazetteerStore,
  loadSecrets,
  loadStorageConfig,
  oidcIdentityProviderFromEnv,
  type Runtime,
  readQueueDepths,
  S3PaymentFiles,
  SqsGroupSender,
  SqsJsonQueue,
  SqsReplyQueue,
  verifyStaffToken,
} from '@madad/adapters';
import { appealPolicyFromEnv, builtInGazetteer, cachedGazetteer, systemClock } from '@madad/core';
import type { ApiDeps } from './deps.js';

/**
 * The staff API, web pages and console wired to DynamoDB, SQS, S3, Secrets Manager and the identity
 * provider, from the process's clients (`getRuntime()`): what the Lambda serves, and the local stack
 * through the same handler. A route's new port is added here.
 */
export function awsApiDeps({ config, doc, sqs }: Runtime): ApiDeps {
  const storage = process.env[bucketEnvName('files')] ? loadStorageConfig() : undefined;
  // Webhook and web registrations: concurrent requests of one process share a SendMessageBatch.
  const registrationsQueue = new SqsGroupSender(sqs, config.queues.registrations);
  const activationQueue = new SqsJsonQueue(sqs, config.queues.activation);
  const replayQueue = new SqsJsonQueue(sqs, config.queues.replay);
  const batchQueue = new SqsJsonQueue(sqs, config.queues.batches);
  // Cloud: the staff user pool's tokens (RS256 via its JWKS). Local: HS256 tokens from `npx madad token`.
  const verifyCognitoToken = cognitoVerifierFromEnv();
  // The ledger's MAC key (its own secret) and its anchors (Object Lock bucket, or the data folder's file).
  const auditTrust = auditTrustFromEnv();
  const householdChanges = new DynamoDbHouseholdChanges(doc, config.tables.registry);
  const enrollments = new DynamoDbEnrollmentStore(doc, config.tables.operations);
  const replies = new SqsReplyQueue(new SqsJsonQueue(sqs, config.queues.outbound));

  // Console sign-in: Cognito's hosted login (cloud) or the embedded stack's provider, sessions in the table.
  const staffSessions = new DynamoDbStaffSessions(doc, config.tables.operations);
  return {
    webhookSecret: async () => (await loadSecrets()).smsWebhookSecret,
    cnicPepper: async () => (await loadSecrets()).cnicPepper,
    enqueueRegistration: (message) => registrationsQueue.send(message),
    appeals: new DynamoDbAppealStore(doc, config.tables.operations),
    // MADAD_APPEAL_TARGET_DAYS, MADAD_APPEAL_SECOND_OFFICER_PKR: read once, a bad value fails the start.
    appealPolicy: appealPolicyFromEnv(process.env),
    households: new DynamoDbHouseholdStore(doc, config.tables.registry),
    householdFiles: {
      reads: new DynamoDbHouseholdProfileReads(doc, config.tables.registry, config.tables.operations),
      verifications: new DynamoDbHouseholdVerifications(doc, config.tables.registry),
    },
    quality: new DynamoDbQualityStore(doc, config.tables.registry),
    imports: new DynamoDbImportJobs(doc, config.tables.operations),
    rectifications: {
      store: new DynamoDbRectificationStore(doc, config.tables.registry),
      reports: new DynamoDbCrossValidationReports(doc, config.tables.registry),
    },
    changeRequests: {
      changeRequests: new DynamoDbChangeRequestStore(doc, config.tables.registry),
      households: householdChanges,
      people: householdChanges,
    },
    enrollments,
    enrollmentCaps: { caps: new DynamoDbCapLedger(doc, config.tables.operations), claims: enrollments },
    areaIndex: new DynamoDbAreaIndex(doc, config.tables.registry),
    replies,
    registrations: new DynamoDbRegistrationStore(doc, config.tables.operations),
    decisions: new DynamoDbDecisionRecords(doc, config.tables.registry),
    campaigns: new DynamoDbCampaignStore(doc, config.tables.operations),
    // The household's standing for the status page, read as the reconciler reads it for SMS STATUS.
    standing: {
      registry: new DynamoDbRegistryLookup(doc, config.tables.registry),
      references: new DynamoDbReferenceIndex(doc, config.tables.operations),
      campaigns: new DynamoDbCampaignStore(doc, config.tables.operations),
    },
    activationQueue: {
      enqueueAll: (items) => activationQueue.sendAll(items.map((body, i) => ({ id: String(i), body }))),
    },
    replayJobs: new DynamoDbReplayJobs(doc, config.tables.operations),
    replayQueue: {
      enqueueAll: (items) => replayQueue.sendAll(items.map((body, i) => ({ id: String(i), body }))),
    },
    stats: new DynamoDbStats(doc, config.tables.operations),
    queueDepths: () => readQueueDepths(sqs, config.queues),
    payments: createDynamoDbPaymentPorts(doc, config.tables),
    activationProgress: new DynamoDbActivationProgress(doc, config.tables.operations),
    batchJobs: {
      store: new DynamoDbBatchJobStore(doc, config.tables.operations),
      queue: {
        enqueueAll: (items) => batchQueue.sendAll(items.map((body, i) => ({ id: String(i), body }))),
      },
    },
    // Payment files in the stack's bucket, where the stack names one.
    ...(storage
      ? {
          paymentFiles: {
            files: new S3PaymentFiles(createStorageClient(storage), storage.bucket),
            lines: new DynamoDbPaymentBatchStore(doc, config.tables.operations),
          },
        }
      : {}),
    paymentNotices: {
      replies,
      phoneLanguages: new DynamoDbPhoneLanguages(doc, config.tables.operations),
      marks: new DynamoDbNoticeMarks(doc, config.tables.operations),
    },
    audit: new DynamoDbAuditLog(doc, config.tables.operations, auditTrust),
    auditTrust,
    verifyToken:
      verifyCognitoToken ?? (async (token) => verifyStaffToken((await loadSecrets()).jwtSecret, token)),
    flaggedCases: new DynamoDbFlaggedDecisions(doc, config.tables.operations),
    registrationRate: new DynamoDbStats(doc, config.tables.operations),
    consoleSignIn: {
      sessions: staffSessions,
      transactions: staffSessions,
      identityProvider: oidcIdentityProviderFromEnv(),
      acceptPastedTokens: process.env.MADAD_CONSOLE_TOKEN_SIGN_IN === 'on',
    },
    clock: systemClock,
    // The areas in force, read at most once a minute per process (an areas import shows within that).
    gazetteer: cachedGazetteer(
      dynamoGazetteerStore(doc, config.tables.registry),
      systemClock,
      builtInGazetteer,
    ),
  };
}
