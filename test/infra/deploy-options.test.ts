import { beforeAll, describe, expect, it } from 'vitest';
import { deployOptions } from '../../infra/deploy-options.js';
import { stageConfig } from '../../infra/stage.js';
import { logicalId, type SynthesizedStage, synthesizeStage } from './synthesize-stage.js';

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

describe('deploy options kept per stage (infra/stage.ts)', () => {
  const providerUrlOf = (synthesized: SynthesizedStage) =>
    synthesized.template.toJSON().Resources[logicalId(synthesized.stack.lambda('sms-sender').function)]
      .Properties.Environment.Variables.MADAD_SMS_PROVIDER_URL;
  let plain: SynthesizedStage;
  let overridden: SynthesizedStage;

  beforeAll(() => {
    plain = synthesizeStage('prod', { bundle: false });
    overridden = synthesizeStage('prod', {
      bundle: false,
      context: { smsProviderUrl: 'https://other-aggregator.example/send' },
    });
  }, 240_000);

  it('keeps the SMS provider wiring on a prod deploy without -c', () => {
    const kept = stageConfig('prod').deploy.smsProviderUrl;

    expect(kept).toMatch(/^https:\/\//);
    expect(providerUrlOf(plain)).toBe(kept);
    expect(plain.stack.secrets.smsProviderKey).toBeDefined();
  });

  it('lets a -c value override the kept one for that deploy', () => {
    expect(providerUrlOf(overridden)).toBe('https://other-aggregator.example/send');
  });

  it('checks the kept options like -c values, so a typo in stage.ts fails the synth', () => {
    for (const name of ['dev', 'prod']) {
      const { deploy } = stageConfig(name);
      expect(() => deployOptions((key) => deploy[key])).not.toThrow();
    }
  });
});
