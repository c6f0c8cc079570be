import { hashCnic } from '../intake/cnic-hash.js';
import { normalizePhone } from '../intake/phone.js';
import { parseSms, type SmsCommand } from '../intake/sms-grammar.js';
import type { RegistrationMessage } from '../schemas.js';

export interface ParsedRegistration {
  readonly message: RegistrationMessage;
  readonly command: SmsCommand;
  readonly phone: string;
  readonly cnicHash?: string;
}

/** Reads a queued registration: its command, the sender's phone normalized, the CNIC's hash. */
export function parseRegistration(pepper: string, message: RegistrationMessage): ParsedRegistration {
  if (message.channel === 'web') {
    // The API validated and normalized the form: it is a registration by construction.
    const command: SmsCommand = { kind: 'register', cnic: message.cnic, lang: message.lang };
    return { message, command, phone: message.phone, cnicHash: hashCnic(pepper, message.cnic) };
  }
  const command = parseSms(message.text);
  const phone = normalizePhone(message.from);
  const cnicHash = 'cnic' in command ? hashCnic(pepper, command.cnic) : undefined;
  return {
    message,
    command,
    phone: phone.ok ? phone.phone : message.from,
    ...(cnicHash ? { cnicHash } : {}),
  };
}

/** When the message reached us: the aggregator's time if it gave one, else the webhook's. */
export function receivedAtOf(message: RegistrationMessage): string {
  return (message.channel === 'sms' ? message.receivedAt : undefined) ?? message.acceptedAt;
}
