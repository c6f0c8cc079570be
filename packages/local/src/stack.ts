import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { makePrivateDir } from '@madad/adapters/private-files';
import { type QueueSpec, queues } from '@madad/adapters/resources';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { localAuditEnv } from './audit-trust.js';
import { createDynamoDbClient, createSqsClient } from './aws-clients.js';
import { bootstrapResources } from './bootstrap.js';
import { startEmulatorProcess } from './emulator-process.js';
import {
  type RunningEmulator,
  startDynamoDbEmulator,
  startS3Emulator,
  startSqsEmulator,
} from './emulators.js';
import { loadHandler } from './handlers.js';
import { type HttpApiHandler, startHttpBridge } from './http-bridge.js';
import { buildLocalEnv, type LocalSecrets } from './local-env.js';
import { startOidcProvider } from './oidc-provider.js';
import { type SqsPoller, startSqsPoller } from './poller.js';
import { seedOnce } from './seed-once.js';
import { openSmsGateway, SMS_GATEWAY_PATH } from './sms-gateway.js';
import { loadStaffAccounts, type StaffAccount } from './staff-accounts.js';
import { findRunningStack, removeStackState, writeStackState } from './state.js';
import { bootstrapBuckets } from './storage-bootstrap.js';
import { startUploadEvents } from './upload-events.js';

export interface LocalStackOptions {
  readonly dataDir: string;
  /** HTTP port; default `PORT` or 3000; 0 picks a free one. */
  readonly port?: number;
  readonly secrets?: LocalSecrets;
  /** Run the queue consumers. Default true. */
  readonly pollers?: boolean;
  /** Seed the demo registry unless this data folder was seeded before. Default false. */
  readonly seed?: boolean;
  /** Default `AWS_REGION` or us-east-1. */
  readonly region?: string;
  /** Local cap on each queue's `maxConcurrency`. Default 4. */
  readonly pollerConcurrency?: number;
  /** Long-poll wait of the pollers (and so the longest wait in `stop()`). Default 2. */
  readonly pollerWaitTimeSeconds?: number;
  readonly log?: (line: string) => void;
  /** Tests only: a short visibility timeout for every queue (see `bootstrapResources`). */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Tests and scripts only: the console also takes a pasted staff token (`MADAD_CONSOLE_TOKEN_SIGN_IN=on`).
   * `npm start` leaves it off: staff sign in through the stack's OIDC provider.
   */
  readonly consoleTokenSignIn?: boolean;
  /**
   * Run dynalite and fauxqs each in a child process of its own (`npm start` does), so the database
   * and the queues use another core than the handlers. Default false: tests start them in-process.
   */
  readonly emulatorProcesses?: boolean;
}

/** A running local stack. */
export interface LocalStack {
  readonly httpUrl: string;
  /** The local SMS gateway the sender delivers to (`GET` lists what it delivered; bearer key in `env`). */
  readonly smsGatewayUrl: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  /** The S3 emulator (or `MADAD_S3_ENDPOINT`); the stack's buckets are named in `env`. */
  readonly s3Endpoint: string;
  readonly region: string;
  readonly dataDir: string;
  /** The environment the handlers run with (also in `process.env` and `stack.json`). */
  readonly env: Readonly<Record<string, string>>;
  /** Bound sockets (emulators only when this stack started them), all on 127.0.0.1. */
  readonly addresses: {
    readonly http: AddressInfo;
    readonly dynamodb?: AddressInfo;
    readonly sqs?: AddressInfo;
    readonly s3?: AddressInfo;
  };
  /** Households seeded by this start, when it seeded. */
  readonly seeded?: { readonly households: number };
  /** The stack's OIDC provider (staff sign-in) and its seeded accounts (local only). */
  readonly staffSignIn: { readonly issuer: string; readonly accounts: readonly StaffAccount[] };
  /** Drains the pollers, closes the servers and removes `stack.json`; safe to call twice. */
  stop(): Promise<void>;
}

/** The route the cloud's HTTP API sends to the `sms-webhook` function rather than the api function. */
export const SMS_WEBHOOK_PATH = '/sms/inbound';

// What API Gateway answers while no function can take the request.
const STARTING = {
  statusCode: 503,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: 'Service Unavailable' }),
};

/**
 * Starts the embedded stack: emulators (unless `MADAD_DYNAMODB_ENDPOINT` / `MADAD_SQS_ENDPOINT` /
 * `MADAD_S3_ENDPOINT` point elsewhere), tables and queues, then the real handlers behind an HTTP bridge and SQS pollers.
 * Handlers bind their configuration once per process, so start one stack per process.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { dataDir } = options;
  const running = await findRunningStack(dataDir);
  if (running && running.pid !== process.pid) {
    throw new Error(`A local stack (pid ${running.pid}, ${running.httpUrl}) is already using ${dataDir}`);
  }
  // The tables, queues and gateway log hold raw personal data: the folder is its owner's only.
  await makePrivateDir(dataDir);
  const region = options.region ?? (process.env.AWS_REGION || 'us-east-1');
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  try {
    const own = options.emulatorProcesses ?? false;
    const dynamodbEmulator = await emulatorOrOverride(process.env.MADAD_DYNAMODB_ENDPOINT, cleanup, () =>
      own ? startEmulatorProcess('dynamodb', { dataDir }) : startDynamoDbEmulator({ dataDir }),
    );
    const sqsEmulator = await emulatorOrOverride(process.env.MADAD_SQS_ENDPOINT, cleanup, () =>
      own ? startEmulatorProcess('sqs', { dataDir, region }) : startSqsEmulator({ dataDir, region }),
    );
    let ownS3: Awaited<ReturnType<typeof startS3Emulator>> | undefined;
    const s3Emulator = await emulatorOrOverride(process.env.MADAD_S3_ENDPOINT, cleanup, async () => {
      ownS3 = await startS3Emulator({ dataDir });
      return ownS3;
    });
    const dynamodbEndpoint = dynamodbEmulator.endpoint;
    const sqsEndpoint = sqsEmulator.endpoint;
    const dynamodb = createDynamoDbClient({ endpoint: dynamodbEndpoint, region });
    const sqs = createSqsClient({ endpoint: sqsEndpoint, region });
    cleanup.push(async () => {
      dynamodb.destroy();
      sqs.destroy();
    });
    const resources = await bootstrapResources({
      dynamodb,
      sqs,
      ...(options.visibilityTimeoutSeconds
        ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
        : {}),
    });
    const storage = await bootstrapBuckets({ endpoint: s3Emulator.endpoint, region });
    // The SMS gateway and the HTTP server come first: the sender's environment names the gateway's URL,
    // and handlers read their environment once, when imported. Until the API is loaded it answers 503.
    const smsGatewayKey =
      options.secrets?.smsProviderKey ||
      process.env.MADAD_SMS_PROVIDER_KEY ||
      randomBytes(24).toString('base64url');
    const gateway = await openSmsGateway({
      dataDir,
      apiKey: smsGatewayKey,
      failRate: () => Number(process.env.MADAD_SMS_FAIL_RATE ?? 0),
    });
    cleanup.push(() => gateway.close());
    let api: HttpApiHandler | undefined;
    let smsWebhook: HttpApiHandler | undefined;
    const bridge = await startHttpBridge({
      handler: (event, context) => (api ? api(event, context) : Promise.resolve(STARTING)),
      // As in the cloud (infra/constructs/public-http-api.ts), the webhook is a function of its own.
      functionRoutes: {
        [SMS_WEBHOOK_PATH]: {
          functionName: 'sms-webhook',
          handler: (event, context) => (smsWebhook ? smsWebhook(event, context) : Promise.resolve(STARTING)),
        },
      },
      localRoutes: { [SMS_GATEWAY_PATH]: gateway.handle },
      port: options.port ?? Number(process.env.PORT || 3000),
      functionName: 'api',
      region,
      log,
    });
    // Stopped after the pollers (cleanup runs in reverse): a sender finishing its batch still needs it.
    cleanup.push(() => bridge.stop());
    const smsGatewayUrl = `${bridge.url}${SMS_GATEWAY_PATH}`;
    // Staff sign in to the console through a real OIDC provider on loopback, as through Cognito's.
    const staffAccounts = await loadStaffAccounts(dataDir);
    const oidc = await startOidcProvider({
      accounts: staffAccounts,
      redirectUri: `${bridge.url}/console/callback`,
      postLogoutRedirectUri: `${bridge.url}/console/signed-out`,
    });
    cleanup.push(() => oidc.stop());
    const env = buildLocalEnv(
      {
        dynamodbEndpoint,
        sqsEndpoint,
        region,
        resources: resources.env,
        secrets: options.secrets,
        smsGateway: { url: smsGatewayUrl, apiKey: smsGatewayKey },
      },
      process.env,
    );
    // The audit ledger's key and anchors file live in the data folder, like the rest of its state.
    Object.assign(env, await localAuditEnv(dataDir));
    Object.assign(env, storage.env);
    Object.assign(env, {
      MADAD_OIDC_ISSUER: oidc.issuer,
      MADAD_OIDC_CLIENT_ID: oidc.clientId,
      MADAD_CONSOLE_URL: bridge.url,
      MADAD_CONSOLE_TOKEN_SIGN_IN: options.consoleTokenSignIn ? 'on' : 'off',
    });
    Object.assign(process.env, env);

    const seeded = options.seed ? await seedOnce(dataDir, log) : undefined;
    api = await loadHandler<APIGatewayProxyEventV2>('api');
    smsWebhook = await loadHandler<APIGatewayProxyEventV2>('sms-webhook');
    if (options.pollers ?? true) {
      // Uploads under uploads/ start their import, as the cloud's bucket events do.
      if (ownS3) await startUploadEvents({ emulator: ownS3, bucket: storage.names.files, region, log });
      const pollers: SqsPoller[] = [];
      // Stopped together: each may be in a long poll, and those waits should overlap.
      cleanup.push(async () => {
        await Promise.all(pollers.map((poller) => poller.stop()));
      });
      for (const spec of Object.values(queues)) {
        pollers.push(
          await startSqsPoller({
            sqs,
            queueUrl: resources.queues[spec.id].url,
            handler: await loadHandler<SQSEvent>(spec.consumer),
            functionName: spec.consumer,
            region,
            batchSize: localBatchSize(spec),
            maxBatchingWindowSeconds: spec.maxBatchingWindowSeconds,
            concurrency: Math.min(spec.maxConcurrency, options.pollerConcurrency ?? 4),
            timeoutSeconds: spec.consumerTimeoutSeconds,
            waitTimeSeconds: options.pollerWaitTimeSeconds,
            log,
          }),
        );
      }
    }
    const startedAt = new Date().toISOString();
    await writeStackState(dataDir, {
      pid: process.pid,
      dynamodbEndpoint,
      sqsEndpoint,
      httpUrl: bridge.url,
      region,
      env,
      startedAt,
    });
    cleanup.push(() => removeStackState(dataDir));

    let stopping: Promise<void> | undefined;
    return {
      httpUrl: bridge.url,
      smsGatewayUrl,
      dynamodbEndpoint,
      sqsEndpoint,
      s3Endpoint: s3Emulator.endpoint,
      region,
      dataDir,
      env,
      addresses: {
        http: bridge.address,
        ...(dynamodbEmulator.address ? { dynamodb: dynamodbEmulator.address } : {}),
        ...(sqsEmulator.address ? { sqs: sqsEmulator.address } : {}),
        ...(s3Emulator.address ? { s3: s3Emulator.address } : {}),
      },
      ...(seeded ? { seeded } : {}),
      staffSignIn: { issuer: oidc.issuer, accounts: staffAccounts },
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function emulatorOrOverride(
  override: string | undefined,
  cleanup: (() => Promise<void>)[],
  start: () => Promise<RunningEmulator>,
): Promise<{ endpoint: string; address?: AddressInfo }> {
  if (override) return { endpoint: override };
  const emulator = await start();
  cleanup.push(() => emulator.stop());
  return emulator;
}

/** The batch the local poller takes from a queue: the cloud's, unless the queue names a local one. */
export function localBatchSize(spec: QueueSpec): number {
  return spec.localBatchSize ?? spec.batchSize;
}
