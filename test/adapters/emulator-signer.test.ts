import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createDocumentClient,
  createSqsClient,
  type QueueId,
  queues,
  type RuntimeConfig,
} from '../../packages/adapters/src/index.js';
import * as localClients from '../../packages/local/src/aws-clients.js';

// A loopback endpoint that records each request's headers and answers as an empty JSON API would.
let server: Server;
let endpoint: string;
let seen: IncomingHttpHeaders[];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const noQueues = Object.fromEntries(Object.keys(queues).map((id) => [id, ''])) as Record<QueueId, string>;

const configFor = (stage: string): RuntimeConfig => ({
  stage,
  region: 'ap-south-1',
  dynamodbEndpoint: endpoint,
  sqsEndpoint: endpoint,
  tables: { registry: 'registry', operations: 'operations' },
  queues: noQueues,
});

const PLACEHOLDER = `Signature=${'0'.repeat(64)}`;

describe('the SDK clients on loopback emulators', () => {
  it('send the handlers’ database calls with a placeholder SigV4 header, scoped to the region and service', async () => {
    const doc = createDocumentClient(configFor('local'));

    await doc.send(new GetCommand({ TableName: 'registry', Key: { pk: 'a', sk: 'b' } }));

    const authorization = seen[0]?.authorization ?? '';
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/ap-south-1\/dynamodb\/aws4_request, /,
    );
    expect(authorization).toContain(PLACEHOLDER);
    expect(seen[0]?.['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('send the handlers’ and the pollers’ queue calls with it too (fauxqs reads the region from it)', async () => {
    const handlers = createSqsClient(configFor('local'));
    const pollers = localClients.createSqsClient({ endpoint, region: 'ap-south-1' });

    await handlers.send(new GetQueueUrlCommand({ QueueName: 'registrations' }));
    await pollers.send(new GetQueueUrlCommand({ QueueName: 'registrations' }));

    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      expect(headers.authorization).toMatch(/Credential=local\/\d{8}\/ap-south-1\/sqs\/aws4_request/);
      expect(headers.authorization).toContain(PLACEHOLDER);
    }
  });

  it('still sign for real outside local mode, whatever the endpoint (DynamoDB Local, a VPC endpoint)', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    const doc = createDocumentClient(configFor('prod'));

    await doc.send(new GetCommand({ TableName: 'registry', Key: { pk: 'a', sk: 'b' } }));

    const authorization = seen[0]?.authorization ?? '';
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-south-1\/dynamodb\/aws4_request/,
    );
    expect(authorization).toMatch(/Signature=[0-9a-f]{64}$/);
    expect(authorization).not.toContain(PLACEHOLDER);
  });
});
