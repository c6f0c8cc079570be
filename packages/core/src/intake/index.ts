// Intake: what a household sends, read and checked before anything is queued (CNIC, phone, digits,
// the SMS grammar and segments, the webhook signature, the web form).
export * from './cnic.js';
export * from './cnic-hash.js';
export * from './digits.js';
export * from './phone.js';
export * from './segments.js';
export * from './signature.js';
export * from './sms-grammar.js';
export * from './web-registration.js';
