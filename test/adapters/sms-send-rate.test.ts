import { ConfigurationError, DEFAULT_SMS_SEND_RATE, smsSendRateFromEnv } from '@madad/adapters';
import { describe, expect, it } from 'vitest';

describe('smsSendRateFromEnv', () => {
  it('shares the provider rate among the senders that may run at once', () => {
    expect(smsSendRateFromEnv({ MADAD_SMS_SEND_RATE: '500', MADAD_SMS_SENDERS: '20' })).toEqual({
      total: 500,
      senders: 20,
      perSender: 25,
    });
  });

  it('defaults to one sender at the default rate (the local stack, whose invocations share one pacer)', () => {
    expect(smsSendRateFromEnv({})).toEqual({
      total: DEFAULT_SMS_SEND_RATE,
      senders: 1,
      perSender: DEFAULT_SMS_SEND_RATE,
    });
  });

  it('fails the cold start on a rate that is not a positive number', () => {
    expect(() => smsSendRateFromEnv({ MADAD_SMS_SEND_RATE: 'fast' })).toThrow(ConfigurationError);
    expect(() => smsSendRateFromEnv({ MADAD_SMS_SEND_RATE: '0' })).toThrow(ConfigurationError);
    expect(() => smsSendRateFromEnv({ MADAD_SMS_SEND_RATE: '10', MADAD_SMS_SENDERS: '20' })).toThrow(
      /less than 1 message a second/,
    );
  });

  it('fails the cold start when a whole pack could not go out within one invocation at that pace', () => {
    const env = { MADAD_SMS_SEND_RATE: '200', MADAD_SMS_SENDERS: '20' };

    expect(() => smsSendRateFromEnv(env, { pack: 500, withinSeconds: 25 })).toThrow(
      /cannot send a pack of 500 within 25 s/,
    );
    expect(smsSendRateFromEnv(env, { pack: 200, withinSeconds: 25 }).perSender).toBe(10);
  });
});
