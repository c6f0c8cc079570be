import { readdir, readFile, readlink } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { toAsciiDigits } from '@madad/core';
import { DEMO_CNIC } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

/** Every line anything in this process wrote: stdout, stderr, console, and the stack's own log. */
const lines: string[] = [];
const restore: (() => void)[] = [];

function capture(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = write;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a)))).join(' '));
    };
    restore.push(() => {
      console[method] = original;
    });
  }
}

let t: TestStack;
let sqs: SQSClient;

beforeAll(async () => {
  // Debug lines too: the sms-sender logs each delivery at debug level.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  capture();
  t = await startTestStack({ visibilityTimeoutSeconds: 1, log: (line) => lines.push(line) });
  sqs = new SQSClient({
    endpoint: t.stack.sqsEndpoint,
    region: t.stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  sqs?.destroy();
  await t?.stop();
  for (const undo of restore.splice(0).reverse()) undo();
  delete process.env.POWERTOOLS_LOG_LEVEL;
  process.env.MADAD_SMS_FAIL_RATE = '0';
});

describe('every listening socket of the local stack', () => {
  // /proc is Linux's; elsewhere `stack.addresses` (test/local/stack.test.ts) is the check.
  it.skipIf(process.platform !== 'linux')(
    'is bound to loopback, the HTTP bridge and the three emulators included',
    async () => {
      const listening = await listeningSocketsOfThisProcess();
      const ports = listening.map((s) => s.port);

      expect(ports).toEqual(
        expect.arrayContaining([
          t.stack.addresses.http.port,
          t.stack.addresses.dynamodb?.port,
          t.stack.addresses.sqs?.port,
          t.stack.addresses.s3?.port,
        ]),
      );
      expect(listening.filter((s) => !s.loopback)).toEqual([]);
    },
  );
});

/** The people in the flow below: every CNIC and phone number that must never reach a log. */
const PEOPLE = {
  cnics: [DEMO_CNIC, '4210112345673', '3740576543218', '3520298765431', '6110112345675'],
  phones: ['+923001234567', '+923211234567', '+923337654321', '+923451112233', '+923009876543'],
};
/** Words only the bodies carry: a log line with one of them has dumped a body. */
const BODY_MARKERS = ['roof-fell-in-marker', 'poison-body-marker', 'web-body-marker'];

describe('the logs of a realistic day', () => {
  it('runs registrations, status, appeals, staff lookups and failures', async () => {
    const campaign = await openCampaign();

    // SMS with CNICs written every way households write them.
    const sms = [
      { from: '03001234567', text: '35202-1234567-2', messageId: 'dp-1' },
      { from: '+92 321 1234567', text: 'REG 4210112345673', messageId: 'dp-2' },
      { from: '0092-333-7654321', text: 'رجسٹر ۳۷۴۰۵-۷۶۵۴۳۲۱-۸', messageId: 'dp-3' },
      { from: '+923451112233', text: 'madad ٣٥٢٠٢ ٩٨٧٦٥٤٣ ١', messageId: 'dp-4' },
      { from: '03009876543', text: 'REG 61101-1234567-5', messageId: 'dp-5' },
      { from: '03009876543', text: 'REG 35202-123456', messageId: 'dp-6' },
      { from: '03001234567', text: `STATUS ${DEMO_CNIC}`, messageId: 'dp-7' },
      { from: '+923211234567', text: 'حالت ۴۲۱۰۱-۱۲۳۴۵۶۷-۳', messageId: 'dp-8' },
    ];
    for (const message of sms) expect((await t.sms(message)).status).toBe(200);

    // The web form, both as JSON and as the HTML page posts it.
    const web = await post('/api/v1/registrations', {
      cnic: '37405-7654321-8',
      phone: '0333 7654321',
      district: 'Rawalpindi',
      tehsil: 'Murree',
      lang: 'en',
      note: 'web-body-marker',
    });
    expect(web.status).toBe(202);
    const form = await fetch(`${t.stack.httpUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        cnic: '۳۵۲۰۲-۹۸۷۶۵۴۳-۱',
        phone: '0345 1112233',
        district: 'Lahore',
        tehsil: 'Model Town',
        lang: 'ur',
      }).toString(),
      redirect: 'manual',
    });
    expect(form.status).toBeLessThan(500);

    await waitForReplies(sms.filter((m) => ['dp-1', 'dp-2', 'dp-3', 'dp-7'].includes(m.messageId)));

    // An appeal, answered and then resolved by an officer.
    expect(
      (
        await t.sms({
          from: '+923211234567',
          text: 'APPEAL 4210112345673 roof-fell-in-marker',
          messageId: 'dp-9',
        })
      ).status,
    ).toBe(200);
    const appeal = await waitFor(
      async () => {
        const list = await t.staff('/api/v1/appeals', ['program-officer']);
        const { items } = (await list.json()) as { items: { appealId: string }[] };
        return items[0];
      },
      20_000,
      'the appeal',
    );
    const resolved = await t.staff(`/api/v1/appeals/${appeal.appealId}/resolve`, ['program-officer'], {
      method: 'POST',
      body: JSON.stringify({ outcome: 'UPHELD', reason: 'Score is above the threshold' }),
    });
    expect(resolved.status).toBe(200);

    // Status checks by the household, and staff lookups by CNIC, phone and message.
    expect((await post('/api/v1/status', { cnic: DEMO_CNIC, phone: '0300-1234567' })).status).toBe(200);
    expect((await post('/api/v1/status', { cnic: '4210112345673', phone: '+923009876543' })).status).toBe(
      404,
    );
    const lookup = await t.staff('/api/v1/households/lookup', ['program-officer'], {
      method: 'POST',
      body: JSON.stringify({ cnic: '42101-1234567-3' }),
    });
    expect(lookup.status).toBe(200);
    expect((await t.staff('/api/v1/sms/outbound?to=%2B923001234567', ['auditor'])).status).toBe(200);
    expect((await t.staff('/api/v1/registrations?messageId=dp-5&from=03009876543', ['auditor'])).status).toBe(
      200,
    );
    expect((await t.staff(`/api/v1/campaigns/${campaign}/stats`, ['emergency-cell'])).status).toBe(200);

    // Failures: a forged SMS, a poison message on the queue, a provider that fails, a client that hangs up.
    const forged = await fetch(`${t.stack.httpUrl}/sms/inbound`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-madad-signature': `t=${Math.floor(Date.now() / 1000)},v1=00`,
      },
      body: JSON.stringify({ from: '+923001234567', to: '8171', text: DEMO_CNIC, messageId: 'dp-forged' }),
    });
    expect(forged.status).toBe(401);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: t.stack.env.MADAD_QUEUE_REGISTRATIONS_URL ?? '',
        MessageBody: `{"channel":"sms","from":"+923001234567","text":"${DEMO_CNIC} poison-body-marker"`,
      }),
    );
    process.env.MADAD_SMS_FAIL_RATE = '1';
    expect(
      (await t.sms({ from: '+923211234567', text: `STATUS ${'42101-1234567-3'}`, messageId: 'dp-10' }))
        .status,
    ).toBe(200);
    const failedDelivery = /\[sms-sender\] batch of \d+: \d+ done, [1-9]/;
    await waitFor(
      async () => (lines.some((l) => failedDelivery.test(l)) ? true : undefined),
      20_000,
      'a failed delivery',
    );
    process.env.MADAD_SMS_FAIL_RATE = '0';
    await hangUpMidRequest('/api/v1/sms/outbound?to=%2B923001234567');
    await hangUpMidRequest(`/api/v1/status?cnic=${DEMO_CNIC}&phone=03001234567`);
    await waitFor(
      async () => (lines.some((l) => l.includes('Unreadable registration')) ? true : undefined),
      20_000,
      'the poison message logged',
    );

    expect(lines.length).toBeGreaterThan(20);
  });

  it('never carries a raw CNIC or phone number, in any digits or spacing', () => {
    const leaks = lines.flatMap((line) => {
      const found = leaksIn(line);
      return found.length > 0 ? [`${found.join(', ')} in: ${line.slice(0, 300)}`] : [];
    });

    expect(leaks).toEqual([]);
  });

  it('never carries a request or message body', () => {
    const dumped = lines.filter((line) => BODY_MARKERS.some((marker) => line.includes(marker)));

    expect(dumped).toEqual([]);
  });
});

/** Items that hold a raw CNIC because a payment file (or the member it adds) needs it: docs/privacy.md. */
const RAW_CNIC_ITEMS = new Set(['HOUSEHOLD', 'PAYMENT_BATCH', 'PAYMENT_LINE', 'CHANGE_REQUEST']);

describe('the tables after a realistic day', () => {
  it('hold no raw CNIC outside the items a payment file needs, though replies quote the CNIC', async () => {
    const items = await scanAllTables();
    const registrations = items.filter((item) => item.type === 'REGISTRATION');
    // dp-2's reply (not eligible) names the CNIC in its instruction: `Send APPEAL 42101-1234567-3 ...`.
    const dp2 = registrations.find((item) => item.messageId === 'dp-2');

    expect(registrations.length).toBeGreaterThan(5);
    expect(JSON.stringify(dp2?.reply)).toContain('APPEAL 42***-*******-3');
    const leaks = items.flatMap((item) => {
      if (RAW_CNIC_ITEMS.has(String(item.type))) return [];
      const packed = toAsciiDigits(JSON.stringify(item)).replace(/[\s.\-\u2010-\u2015\u2212+()]/g, '');
      const cnics = PEOPLE.cnics.filter((cnic) => packed.includes(cnic));
      return cnics.length > 0 ? [`${String(item.type)} ${String(item.pk)} ${String(item.sk)}: ${cnics}`] : [];
    });
    expect(leaks).toEqual([]);
  });

  it("show staff the reply with the CNIC masked, while the household's phone got it whole", async () => {
    const listing = await t.staff('/api/v1/sms/outbound?to=%2B923211234567', ['auditor']);
    const { items } = (await listing.json()) as { items: { inReplyTo?: string; text: string }[] };
    const sent = await waitFor(
      async () => {
        const gateway = await fetch(`${t.stack.smsGatewayUrl}?to=%2B923211234567`, {
          headers: { authorization: `Bearer ${t.stack.env.MADAD_SMS_PROVIDER_KEY ?? ''}` },
        });
        const { items: delivered } = (await gateway.json()) as {
          items: { clientReference: string; text: string }[];
        };
        return delivered.find((d) => d.clientReference.startsWith('reply-dp-2-'));
      },
      20_000,
      "dp-2's reply at the gateway",
    );
    const reply = items.find((item) => item.inReplyTo === 'dp-2');

    expect(reply?.text).toContain('APPEAL 42***-*******-3');
    expect(reply?.text).not.toContain('42101-1234567-3');
    expect(sent.text).toContain('APPEAL 42101-1234567-3');
    expect(sent.text.replace('42101-1234567-3', '42***-*******-3')).toBe(reply?.text);
  });
});

/** Every item of every table of the stack (a test's view; no function scans the tables). */
async function scanAllTables(): Promise<Record<string, unknown>[]> {
  const client = new DynamoDBClient({
    endpoint: t.stack.dynamodbEndpoint,
    region: t.stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const items: Record<string, unknown>[] = [];
  try {
    const tables = Object.entries(t.stack.env).filter(([name]) => name.startsWith('MADAD_TABLE_'));
    for (const [, table] of tables) {
      let cursor: ScanCommandOutput['LastEvaluatedKey'];
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: cursor }));
        items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
        cursor = page.LastEvaluatedKey;
      } while (cursor);
    }
  } finally {
    client.destroy();
  }
  return items;
}

/** What of PEOPLE (or anything CNIC- or phone-shaped) a log line gives away. */
function leaksIn(line: string): string[] {
  // Compare digits only: separators, Urdu and Arabic-Indic digits and URL encoding cannot hide a number.
  const digits = toAsciiDigits(safeDecode(line)).replace(/[^0-9]/g, ' ');
  const packed = toAsciiDigits(safeDecode(line)).replace(/[\s.\-\u2010-\u2015\u2212+()]/g, '');
  const found: string[] = [];
  for (const cnic of PEOPLE.cnics) if (packed.includes(cnic)) found.push(`CNIC ${cnic.slice(0, 2)}…`);
  for (const phone of PEOPLE.phones)
    if (packed.includes(phone.slice(3))) found.push(`phone ${phone.slice(0, 6)}…`);
  // Shapes, for numbers this test did not send: a dashed CNIC, a Pakistani mobile in any form.
  if (/(?<![0-9])[1-7][0-9]{4}-[0-9]{7}-[0-9](?![0-9])/.test(toAsciiDigits(line)))
    found.push('a dashed CNIC');
  if (/(?<![0-9])(?:92|0)?3[0-9]{9}(?![0-9])/.test(digits)) found.push('a mobile number');
  return found;
}

function safeDecode(line: string): string {
  try {
    return decodeURIComponent(line);
  } catch {
    return line;
  }
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${t.stack.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** An emergency cell opens a flood campaign over both seeded districts. */
async function openCampaign(): Promise<string> {
  const now = Date.now();
  const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: 'Data protection drill',
      nameUr: 'مشق',
      shockType: 'flood',
      areas: [{ district: 'Lahore' }, { district: 'Karachi Central' }, { district: 'Rawalpindi' }],
      opensAt: new Date(now - 3600_000).toISOString(),
      closesAt: new Date(now + 30 * 86_400_000).toISOString(),
      rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 10000, newBeneficiary: 12000 } },
      budgetCap: 10_000_000,
      maxHouseholds: 1000,
      notifyTopUps: true,
    }),
  });
  expect(created.status).toBe(201);
  const { campaignId } = (await created.json()) as { campaignId: string };
  const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
    method: 'POST',
  });
  expect(activated.status).toBe(200);
  return campaignId;
}

async function waitForReplies(messages: { messageId: string; from: string }[]): Promise<void> {
  for (const { messageId, from } of messages) {
    await waitFor(
      async () => {
        const response = await t.staff(
          `/api/v1/registrations?messageId=${messageId}&from=${encodeURIComponent(from)}`,
          ['auditor'],
        );
        await response.body?.cancel();
        return response.status === 200 ? true : undefined;
      },
      20_000,
      `the registration of ${messageId}`,
    );
  }
}

/** Starts a request with a body, sends part of it and drops the connection. */
function hangUpMidRequest(path: string): Promise<void> {
  const url = new URL(t.stack.httpUrl);
  return new Promise((resolve) => {
    const request = httpRequest({
      host: url.hostname,
      port: url.port,
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
    });
    request.on('error', () => resolve());
    request.write('{"cnic":"35202-1234567-2","phone":');
    setTimeout(() => {
      request.destroy();
      setTimeout(resolve, 200);
    }, 100);
  });
}

interface ListeningSocket {
  readonly address: string;
  readonly port: number;
  readonly loopback: boolean;
}

/** TCP sockets in LISTEN state owned by this process, from /proc (fds to socket inodes to tcp tables). */
async function listeningSocketsOfThisProcess(): Promise<ListeningSocket[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const sockets: ListeningSocket[] = [];
  for (const table of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    const rows = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      const [local, state, inode] = [cols[1], cols[3], cols[9]];
      if (!local || state !== '0A' || !inode || !inodes.has(inode)) continue;
      const [hexAddress = '', hexPort = '0'] = local.split(':');
      const address = hexToAddress(hexAddress);
      sockets.push({
        address,
        port: Number.parseInt(hexPort, 16),
        loopback: address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1',
      });
    }
  }
  return sockets;
}

/** /proc/net/tcp writes addresses as little-endian 32-bit words in hex. */
function hexToAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  const text = groups.join(':');
  return text === '0:0:0:0:0:0:0:1' ? '::1' : text === '0:0:0:0:0:0:0:0' ? '::' : text;
}
