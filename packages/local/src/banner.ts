import { join } from 'node:path';
import { signWebhook } from '@madad/core';
import type { LocalStack } from './stack.js';
import { STAFF_ACCOUNTS_FILE, type StaffAccount } from './staff-accounts.js';

export interface BannerInput {
  readonly stack: LocalStack;
  readonly demoCnic: string;
  readonly nowSeconds: number;
}

const DEMO_PHONE = '+923001234567';

/** One line per seeded account: username, password, roles. */
function staffAccountLines(accounts: readonly StaffAccount[]): string[] {
  const width = Math.max(...accounts.map((a) => a.username.length));
  return accounts.map(
    (a) => `  ${a.username.padEnd(width)}  password ${a.password}  ${a.roles.join(', ') || 'no role'}`,
  );
}

/** The text `npm start` prints: where everything is, and a signed SMS to paste into a terminal. */
export function formatBanner({ stack, demoCnic, nowSeconds }: BannerInput): string {
  const url = stack.httpUrl;
  const secret = stack.env.MADAD_SMS_WEBHOOK_SECRET ?? '';
  const body = JSON.stringify({
    from: DEMO_PHONE,
    to: '8171',
    text: demoCnic,
    messageId: `demo-${nowSeconds}`,
  });
  const signature = signWebhook(secret, nowSeconds, body);
  const outbound = `${url}/api/v1/sms/outbound?to=${encodeURIComponent(DEMO_PHONE)}`;
  const gatewayKey = stack.env.MADAD_SMS_PROVIDER_KEY ?? '';
  const delivered = `${stack.smsGatewayUrl}?to=${encodeURIComponent(DEMO_PHONE)}`;
  return [
    '',
    `Madad local stack is running (data in ${stack.dataDir})`,
    '',
    `  Web             ${url}/`,
    `  Staff console   ${url}/console  (sign in with a seeded account, below)`,
    `  Staff sign-in   ${stack.staffSignIn.issuer}  (the stack's own OpenID Connect provider)`,
    `  Health          ${url}/health`,
    `  OpenAPI         ${url}/openapi.json`,
    `  SMS webhook     POST ${url}/sms/inbound`,
    `  Outbound SMS    GET ${url}/api/v1/sms/outbound?to=...  (staff token)`,
    `  SMS gateway     ${stack.smsGatewayUrl}  (the local aggregator: POST sends, GET ?to=... lists)`,
    `  Gateway key     ${gatewayKey}  (random each start unless MADAD_SMS_PROVIDER_KEY is set)`,
    `  DynamoDB        ${stack.dynamodbEndpoint}`,
    `  SQS             ${stack.sqsEndpoint}`,
    `  Webhook secret  ${secret}`,
    ...(stack.seeded ? [`  Demo registry   seeded ${stack.seeded.households} households`] : []),
    '',
    'Send a signed test SMS (the signature expires in 5 minutes; `npx madad sms "<text>"` signs a new one):',
    '',
    `  curl -i -X POST '${url}/sms/inbound' \\`,
    `    -H 'content-type: application/json' \\`,
    `    -H 'X-Madad-Signature: ${signature}' \\`,
    `    --data-raw '${body}'`,
    '',
    'Read the replies as a programme officer:',
    '',
    '  TOKEN=$(npx madad token --role program-officer --user alice)',
    `  curl -H "Authorization: Bearer $TOKEN" '${outbound}'`,
    '',
    'See what the SMS gateway delivered (each reply once, however often the sender retried it):',
    '',
    `  curl -H 'Authorization: Bearer ${gatewayKey}' '${delivered}'`,
    '',
    `Sign in to the staff console (${url}/console) with one of these accounts (LOCAL ONLY: generated for`,
    `this data folder, kept in ${join(stack.dataDir, STAFF_ACCOUNTS_FILE)}; never cloud users):`,
    '',
    ...staffAccountLines(stack.staffSignIn.accounts),
    '',
    'Scripts call the API with a token instead: npx madad token --role program-officer --user pat',
    '',
    'Ctrl-C stops the stack; the data stays for the next start.',
    '',
  ].join('\n');
}
