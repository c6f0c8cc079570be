import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

/**
 * The sender's reply line is at DEBUG: at the functions' INFO level (infra sets ApplicationLogLevel INFO,
 * asserted on the template in test/infra/madad-stack.test.ts) a delivered pack leaves no log line.
 * Observed on stdout while the handler runs, not matched in its source text.
 */
type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
const aggregator = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
  const { messages } = JSON.parse(String(init?.body)) as { messages: { clientReference: string }[] };
  const results = messages.map(({ clientReference }) => ({
    clientReference,
    status: 200,
    id: `agg-${clientReference}`,
  }));
  return new Response(JSON.stringify({ results }), { status: 200 });
});

/** The sender as Lambda starts it at `level`, fresh (Powertools reads the level when the module loads). */
async function senderAt(level: 'INFO' | 'DEBUG'): Promise<Handler> {
  vi.resetModules();
  stubFunctionEnv(vi.stubEnv);
  vi.stubEnv('MADAD_SMS_PROVIDER_URL', 'http://127.0.0.1:9/_gateway/sms');
  vi.stubEnv('MADAD_SMS_PROVIDER_KEY', 'test-provider-key');
  vi.stubEnv('POWERTOOLS_DEV', '');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', '');
  vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', level);
  vi.stubGlobal('fetch', aggregator);
  return ((await import('../../functions/sms-sender/handler.js')) as unknown as { handler: Handler }).handler;
}

async function linesWhile(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
  }
  await run();
  vi.restoreAllMocks();
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  aggregator.mockClear();
});

describe("the sms-sender's log lines", () => {
  it('writes nothing for a delivered pack at INFO', async () => {
    const handler = await senderAt('INFO');

    const lines = await linesWhile(() =>
      handler(loadEvent<SQSEvent>('sqs/outbound-batch.json'), lambdaContext),
    );

    expect(aggregator).toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('writes its reply line, with masked phones, only at DEBUG', async () => {
    const handler = await senderAt('DEBUG');

    const lines = await linesWhile(() =>
      handler(loadEvent<SQSEvent>('sqs/outbound-batch.json'), lambdaContext),
    );

    const delivered = lines.map((line) => JSON.parse(line)).filter((l) => l.message === 'Replies delivered');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ level: 'DEBUG' });
    expect(JSON.stringify(delivered[0].to)).not.toContain('1234567');
  });
});
