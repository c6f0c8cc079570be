import { describe, expect, it } from 'vitest';
import { deployOptions } from '../../infra/deploy-options.js';

const from = (context: Record<string, unknown>) => deployOptions((key) => context[key]);

describe('deployOptions', () => {
  it('is empty without context: the webhook path, the local SMS provider, the stage’s reservation', () => {
    expect(from({})).toEqual({});
  });

  it('reads `-c smsInboundTopic=true` (a string on the command line) as "create a topic"', () => {
    expect(from({ smsInboundTopic: 'true' })).toEqual({ smsInboundTopic: { kind: 'create' } });
    expect(from({ smsInboundTopic: true })).toEqual({ smsInboundTopic: { kind: 'create' } });
    expect(from({ smsInboundTopic: 'false' })).toEqual({});
  });

  it('reads a topic ARN as "subscribe to this existing topic"', () => {
    const arn = 'arn:aws:sns:ap-south-1:123456789012:eum-two-way';
    expect(from({ smsInboundTopic: arn })).toEqual({ smsInboundTopic: { kind: 'existing', arn } });
  });

  it('reads the provider URL and the reserved concurrency override', () => {
    expect(from({ smsProviderUrl: 'https://sms.example.test/send', apiReservedConcurrency: '0' })).toEqual({
      smsProviderUrl: 'https://sms.example.test/send',
      apiReservedConcurrency: 0,
    });
  });

  it('fails the synth on a value it cannot use, rather than deploy something else', () => {
    expect(() => from({ smsInboundTopic: 'yes' })).toThrow(/smsInboundTopic/);
    expect(() => from({ smsProviderUrl: 'http://plain-text.example' })).toThrow(/https/);
    expect(() => from({ apiReservedConcurrency: '-5' })).toThrow(/apiReservedConcurrency/);
  });
});
