import { beforeAll, describe, expect, it } from 'vitest';
import { deployOptions } from '../../infra/deploy-options.js';
import { queues } from '../../packages/adapters/src/resources.js';
import { logicalId, synthesizeStage } from './synthesize-stage.js';

describe('the sms-sender paced to the provider send rate in the cloud', () => {
  let variables: Record<string, string>;

  beforeAll(() => {
    const { stack, template } = synthesizeStage('prod', { context: { smsSendRate: '400' }, bundle: false });
    variables =
      template.toJSON().Resources[logicalId(stack.lambda('sms-sender').function)].Properties.Environment
        .Variables;
  }, 180_000);

  it('shares the contracted rate among as many senders as the outbound event source may run', () => {
    expect(variables).toMatchObject({
      MADAD_SMS_SEND_RATE: '400',
      MADAD_SMS_SENDERS: String(queues.outbound.maxConcurrency),
    });
  });

  it('reads the rate from the deployment context, and fails the synth on one it cannot use', () => {
    expect(deployOptions((key) => (key === 'smsSendRate' ? '250' : undefined))).toEqual({ smsSendRate: 250 });
    expect(deployOptions(() => undefined).smsSendRate).toBeUndefined();
    expect(() => deployOptions((key) => (key === 'smsSendRate' ? 'lots' : undefined))).toThrow(/smsSendRate/);
  });
});
