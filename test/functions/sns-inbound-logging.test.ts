import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueRegistration, utf8Bytes } from '../../tools/cost-model/cost-model.js';
import { stubFunctionEnv } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

/**
 * The sns-inbound function as the cost model bills it, observed by running it: one SQS request for the
 * notification's SMS and one INFO line of the modelled size (not matched in its source text).
 */
const sqsMock = mockClient(SQSClient);
type Handler = (event: SNSEvent, context: unknown) => Promise<void>;
let handler: Handler;
const name = 'Madad-prod-SnsInboundFunction7A1B2C3D-AbCdEfGhIjKl';
// A deployed function's context: its names are what make the line as long as it is.
const prodContext = {
  ...lambdaContext,
  functionName: name,
  invokedFunctionArn: `arn:aws:lambda:ap-south-1:123456789012:function:${name}`,
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  logGroupName: `/aws/lambda/${name}`,
  logStreamName: '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef',
};

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'madad-sns-inbound');
  vi.stubEnv('POWERTOOLS_DEV', '');
  vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'INFO');
  vi.stubEnv(
    '_X_AMZN_TRACE_ID',
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
  );
  ({ handler } = (await import('../../functions/sns-inbound/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => {
  vi.restoreAllMocks();
  sqsMock.reset();
});
afterAll(() => vi.unstubAllEnvs());

/** The lines written to stdout (where Powertools Logger writes) while `run` runs. */
async function stdoutOf(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  await run();
  vi.restoreAllMocks();
  return lines;
}

describe('sns-inbound, as the cost model bills it', () => {
  it('takes an SMS with one SendMessageBatch request and no other SQS call', async () => {
    sqsMock.onAnyCommand().resolves({ Successful: [{ Id: '0', MessageId: 'm-1', MD5OfMessageBody: '' }] });

    await stdoutOf(() =>
      handler(loadEvent<SNSEvent>('sns/end-user-messaging-inbound-sms.json'), prodContext),
    );

    expect(sqsMock.calls().map((c) => c.args[0].constructor.name)).toEqual(['SendMessageBatchCommand']);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries).toHaveLength(1);
  });

  it('writes one INFO line with the message id and the masked phone, of the modelled size', async () => {
    sqsMock.onAnyCommand().resolves({ Successful: [{ Id: '0', MessageId: 'm-1', MD5OfMessageBody: '' }] });

    const lines = await stdoutOf(() =>
      handler(loadEvent<SNSEvent>('sns/end-user-messaging-inbound-sms.json'), prodContext),
    );

    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'Queued inbound SMS',
      service: 'madad-sns-inbound',
      messageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
    });
    expect(line.from).not.toContain('1234567');
    const bytes = utf8Bytes(lines[0] ?? '');
    expect(bytes).toBeGreaterThan(uniqueRegistration.logBytes.snsInboundLine * 0.95);
    expect(bytes).toBeLessThan(uniqueRegistration.logBytes.snsInboundLine * 1.05);
  });
});
