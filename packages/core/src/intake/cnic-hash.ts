import { createHmac } from 'node:crypto';

/**
 * The CNIC as keys, indexes and logs may carry it: an HMAC of the normalized CNIC under a secret
 * pepper (DESIGN.md, data rules), 40 hex digits. The key formats that use it are in the adapters.
 */
export function hashCnic(pepper: string, normalizedCnic: string): string {
  return createHmac('sha256', pepper).update(normalizedCnic).digest('hex').slice(0, 40);
}
