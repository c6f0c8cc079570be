import { describe, expect, it, vi } from 'vitest';
import { type FunctionName, functionPlans } from '../../infra/function-plans.js';
import { stubFunctionEnv } from '../support/env.js';

/**
 * Every function leaves its service name to POWERTOOLS_SERVICE_NAME (set per function by infra, asserted
 * on the template in test/infra/madad-stack.test.ts): no Powertools Logger or Metrics a handler builds (the functions use no Powertools Tracer; X-Ray is set by infra) when
 * it loads is given a `serviceName` of its own. Observed by recording the options the constructors get.
 */
const built = vi.hoisted(() => [] as { kind: string; options: Record<string, unknown> | undefined }[]);

vi.mock('@aws-lambda-powertools/logger', async (importOriginal) => {
  const original = await importOriginal<typeof import('@aws-lambda-powertools/logger')>();
  class Logger extends original.Logger {
    constructor(options?: ConstructorParameters<typeof original.Logger>[0]) {
      built.push({ kind: 'Logger', options: options as Record<string, unknown> | undefined });
      super(options);
    }
  }
  return { ...original, Logger };
});
vi.mock('@aws-lambda-powertools/metrics', async (importOriginal) => {
  const original = await importOriginal<typeof import('@aws-lambda-powertools/metrics')>();
  class Metrics extends original.Metrics {
    constructor(options?: ConstructorParameters<typeof original.Metrics>[0]) {
      built.push({ kind: 'Metrics', options: options as Record<string, unknown> | undefined });
      super(options);
    }
  }
  return { ...original, Metrics };
});
const functionNames = Object.keys(functionPlans) as FunctionName[];

describe('the Powertools service name', () => {
  it.each(functionNames)('%s leaves its service name to POWERTOOLS_SERVICE_NAME', async (name) => {
    stubFunctionEnv(vi.stubEnv);
    vi.stubEnv('MADAD_SMS_PROVIDER_URL', 'http://127.0.0.1:9/_gateway/sms');
    vi.stubEnv('MADAD_SMS_PROVIDER_KEY', 'test-provider-key');
    vi.stubEnv('MADAD_BUCKET_FILES', 'test-files');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Madad');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', `madad-${name}`);
    built.length = 0;

    const module = (await import(`../../functions/${name}/handler.ts`)) as { handler?: unknown };

    expect(typeof module.handler, name).toBe('function');
    for (const { kind, options } of built) expect(options?.serviceName, `${name}: ${kind}`).toBeUndefined();
    vi.unstubAllEnvs();
  });

  it('records the tools a handler builds (so the check above looks at something)', async () => {
    stubFunctionEnv(vi.stubEnv);
    vi.resetModules();
    built.length = 0;

    await import('../../functions/sns-inbound/handler.js');

    expect(built.map((b) => b.kind)).toContain('Logger');
    vi.unstubAllEnvs();
  });
});
