import { ValidationError } from '../errors.js';
import type { PaymentSettings } from './ports.js';

/**
 * Payment settings from the environment, read once at start-up. `MADAD_FAILED_PAYMENT_COOL_OFF_HOURS`
 * lets a FAILED payment be re-batched that many hours after its result without a second person's
 * confirmation; unset (the default), a confirmation by someone other than the uploader is required.
 */
export function paymentSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): PaymentSettings {
  const raw = env.MADAD_FAILED_PAYMENT_COOL_OFF_HOURS;
  if (raw === undefined || raw === '') return {};
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0) {
    throw new ValidationError(`MADAD_FAILED_PAYMENT_COOL_OFF_HOURS must be a number of hours, not "${raw}"`);
  }
  return { failureCoolOffMs: hours * 3600_000 };
}
