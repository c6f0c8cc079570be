/**
 * The reply catalogue, docs/replies.md, generated from the code so that a programme officer reviews
 * the very words households get: every reply in every state, in English, Roman Urdu and Urdu script,
 * with its SMS segments. `npm run replies:catalogue` writes it; test/tools/replies-catalogue.test.ts
 * fails when the file and the code disagree.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  builtInGazetteer,
  countSegments,
  type Language,
  MAX_REPLY_SEGMENTS,
  type ReasonCode,
  type ReplyInput,
  renderForwardedReply,
  renderReply,
  renderUpdateInvitation,
  type UpdateInvitationFacts,
} from '@madad/core';

export const CATALOGUE_PATH = fileURLToPath(new URL('../../docs/replies.md', import.meta.url));

const LANGUAGES: readonly [Language, string][] = [
  ['en', 'English'],
  ['ur-Latn', 'Roman Urdu'],
  ['ur', 'Urdu'],
];

/** The example household of every entry. */
const FACTS = {
  reference: 'K7Q2MX9A',
  cnic: '3520212345671',
  amount: 25_000,
  campaignName: 'Sindh Floods 2025',
  campaignNameUr: 'سندھ سیلاب 2025',
} as const;

interface Entry {
  readonly title: string;
  readonly input: Omit<ReplyInput, 'lang'>;
}

const reply = (status: ReplyInput['status'], reasons: ReasonCode[], extra: Partial<ReplyInput> = {}) => ({
  status,
  reasons,
  ...FACTS,
  ...extra,
});

/** Every state a household can be answered in, grouped as the journey goes. */
export const CATALOGUE: readonly { readonly section: string; readonly entries: readonly Entry[] }[] = [
  {
    section: 'Registration',
    entries: [
      { title: 'Eligible (money not yet on its way)', input: reply('ELIGIBLE', ['IN_REGISTRY']) },
      {
        title: 'Eligible, topped up (already in a regular programme)',
        input: reply('ELIGIBLE', ['IN_REGISTRY'], { topUp: true }),
      },
      { title: 'Waitlisted (eligible, funds used up)', input: reply('WAITLISTED', ['CAP_REACHED']) },
      {
        title: 'Registered, waiting for verification',
        input: reply('PENDING_VERIFICATION', ['NOT_IN_REGISTRY']),
      },
      {
        title: 'Already registered (duplicate), with its own reference',
        input: reply('DUPLICATE', ['ALREADY_ENROLLED']),
      },
      {
        title: 'In the registry, not registered yet (STATUS)',
        input: reply('NOT_REGISTERED', ['IN_REGISTRY']),
      },
      { title: 'Campaign closed', input: reply('CAMPAIGN_CLOSED', []) },
      { title: 'No campaign in the area', input: reply('NO_ACTIVE_CAMPAIGN', ['OUTSIDE_AFFECTED_AREA']) },
    ],
  },
  {
    section: 'Not eligible, with the reason',
    entries: [
      ['SCORE_ABOVE_THRESHOLD', 'Above the poverty limit'],
      ['OUTSIDE_AFFECTED_AREA', 'Outside the affected area'],
      ['EXCLUSION_VEHICLE_OWNER', 'Vehicle owner'],
      ['EXCLUSION_INTL_TRAVEL', 'Foreign travel'],
      ['EXCLUSION_GOVT_EMPLOYEE', 'Government employee'],
      ['EXCLUSION_HIGH_PHONE_BILL', 'High phone bills'],
      ['EXCLUSION_EXECUTIVE_ID', 'Executive CNIC'],
      ['EXCLUSION_PENSIONER', 'Any other exclusion filter'],
    ].map(([code, title]) => ({ title: title ?? '', input: reply('NOT_ELIGIBLE', [code as ReasonCode]) })),
  },
  {
    section: 'Identity not verified',
    entries: [
      ['IDENTITY_UNKNOWN', 'Not in NADRA records'],
      ['IDENTITY_DECEASED', 'Holder recorded as deceased'],
      ['IDENTITY_BLOCKED', 'CNIC blocked'],
    ].map(([code, title]) => ({
      title: title ?? '',
      input: reply('IDENTITY_MISMATCH', [code as ReasonCode]),
    })),
  },
  {
    section: 'Payment (the STATUS answer, and the notification, of each stage)',
    entries: (['IN_BATCH', 'APPROVED', 'SENT', 'PAID', 'FAILED', 'RETRYING'] as const).map((payment) => ({
      title: payment,
      input: reply('ELIGIBLE', ['IN_REGISTRY'], { payment }),
    })),
  },
  {
    section: 'Complaint (APPEAL / SHIKAYAT)',
    entries: (['RECEIVED', 'UPHELD', 'OVERTURNED'] as const).map((appeal) => ({
      title: appeal,
      input: reply('HELP', [], { appeal, reference: 'A7K2M9QX' }),
    })),
  },
  {
    section: 'Messages that are not a registration',
    entries: [
      {
        title: 'A number that is not a CNIC (short, long, wrong province)',
        input: { status: 'INVALID_REQUEST', reasons: ['INVALID_CNIC'] },
      },
      {
        title: 'A message not understood',
        input: { status: 'INVALID_REQUEST', reasons: ['UNRECOGNISED_MESSAGE'] },
      },
      { title: 'HELP, MADAD, ? or STATUS alone', input: { status: 'HELP', reasons: ['HELP_REQUESTED'] } },
      {
        title: 'Too many messages from one phone',
        input: { status: 'RATE_LIMITED', reasons: ['PHONE_RATE_LIMITED'] },
      },
      {
        title: 'One CNIC from too many phones',
        input: { status: 'RATE_LIMITED', reasons: ['CNIC_PHONES_LIMITED'] },
      },
    ],
  },
];

function segmentsCell(text: string): string {
  const { encoding, segments, units } = countSegments(text);
  return `${segments} (${encoding}, ${units})`;
}

const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;

function table(texts: readonly [string, string][]): string[] {
  return [
    row(['Language', 'Segments', 'Reply']),
    row(['---', '---', '---']),
    ...texts.map(([language, text]) => row([language, segmentsCell(text), text])),
  ];
}

/** A tehsil as the invitation gets it: its registry spelling and the gazetteer's Urdu name, if any. */
function tehsilFacts(tehsil: string): { tehsil: string; tehsilUr?: string } {
  const tehsilUr = builtInGazetteer().nameUr(tehsil);
  return { tehsil, ...(tehsilUr ? { tehsilUr } : {}) };
}

/** The update invitation's cases: a tehsil the gazetteer names in Urdu, and one it does not. */
const INVITATIONS: readonly [string, UpdateInvitationFacts][] = [
  ['Surveyed in 2021, tehsil Lahore City', { surveyYear: '2021', ...tehsilFacts('Lahore City') }],
  [
    'Surveyed in 2020, a tehsil without an Urdu name on record',
    { surveyYear: '2020', ...tehsilFacts('Nowhere Town') },
  ],
];

/** Every rendered reply of the catalogue, for the tests. */
export function catalogueReplies(): string[] {
  return [
    ...CATALOGUE.flatMap(({ entries }) =>
      entries.flatMap(({ input }) => LANGUAGES.map(([lang]) => renderReply({ ...input, lang }))),
    ),
    ...LANGUAGES.flatMap(([lang]) => [renderForwardedReply(lang, true), renderForwardedReply(lang, false)]),
    ...INVITATIONS.flatMap(([, facts]) => LANGUAGES.map(([lang]) => renderUpdateInvitation(lang, facts))),
  ];
}

const POLICY = `# Replies to households

Generated from the code by \`npm run replies:catalogue\` (tools/replies/catalogue.ts); do not edit by
hand: test/tools/replies-catalogue.test.ts fails when this file and the code disagree. The words are in
packages/core/src/replies/ (en.ts, ur-latn.ts, ur.ts; render.ts puts them together).

## Which language a household is answered in

The reply follows the message (packages/core/src/sms-grammar.ts, \`detectLanguage\`), in this order:

1. **Urdu script** (\`ur\`) when the message has any Arabic-script character: an Urdu word, the Urdu
   question mark, or a CNIC typed in Urdu or Arabic-Indic digits alone (\`۳۵۲۰۲-۱۲۳۴۵۶۷-۱\`).
2. **Roman Urdu** (\`ur-Latn\`) when the message has a Roman Urdu word (\`madad\`, \`halat\`/\`haalat\`,
   \`shikayat\`, \`assalam o alaikum\`, \`mujhe\`, \`chahiye\`, \`hamara\`, \`ghar\`, \`pani\`, \`kab\`, ...), even
   after an English keyword (\`STATUS ... mera paisa kab\`); \`MADAD 3704603991799\` is Roman Urdu.
3. **English** (\`en\`) when the message has an English keyword (\`REG\`, \`REGISTER\`, \`CNIC\`, \`STATUS\`,
   \`APPEAL\`, \`HELP\`) or any other Latin words.
4. **Roman Urdu** for a message of digits alone (\`3520212345671\`, \`35202-1234567-1\`) or with no
   letters at all, as 8171 answers a bare CNIC ("Aap is program ke liye eligible hain").

The phone's last language is kept with the registration and used for its notifications.

## How every reply is written

- It starts with the sender's name: \`Madad:\` in English and Roman Urdu, \`مدد:\` in Urdu script.
- English and Roman Urdu are GSM-7 (160 characters in one SMS, 153 a part after that); Urdu script is
  UCS-2 (70 characters in one SMS, 67 a part). Every reply fits ${MAX_REPLY_SEGMENTS} parts: when the
  facts would not fit, the next-step sentence is left out first, then the campaign's name (whole,
  never cut mid-word), the reason last. The campaign's name is also left out when that makes the
  reply one SMS instead of two (a refusal, a repeat's answer): repeats are most SMS of a surge.
- Instructions are concrete: the household's own CNIC and the short code
  (\`To check, send STATUS 35202-1234567-1 to 8171.\`) in the answer to a registration; an answer to
  STATUS is word for word the web status page's, which never shows a CNIC, so it says
  \`send STATUS and your CNIC to 8171\`; with no CNIC at all, an example (\`like STATUS
  35202-1234567-1\`); never a placeholder.
- Mean SMS parts a reply in the 2020 mix (29 of every 30 SMS a repeat): \`npm run bench\` reports it
  against the 1.3 aim (a small run, 200 first registrations and 200 repeats: 1.21).
- Urdu replies carry the campaign's Urdu name, never its Latin one; plain words, no jargon ("poverty
  limit", not "PMT score"; "our records", not "NSER").
- A phone not tied to the household learns only that the message was received and where the answer
  goes (last section).

Below, the example household has CNIC 35202-1234567-1, reference K7Q2MX9A, Rs 25,000 from "Sindh
Floods 2025" ("سندھ سیلاب 2025"). Segments: parts (encoding, characters or UTF-16 units).
`;

/** The whole of docs/replies.md. */
export function renderCatalogue(): string {
  const lines = [POLICY];
  for (const { section, entries } of CATALOGUE) {
    lines.push(`## ${section}`, '');
    for (const { title, input } of entries) {
      lines.push(`### ${title}`, '');
      lines.push(...table(LANGUAGES.map(([lang, name]) => [name, renderReply({ ...input, lang })])), '');
    }
  }
  lines.push('## To a phone not tied to the household', '');
  for (const [title, hasPhone] of [
    ['The household has a registered phone', true],
    ['The household has no phone on record', false],
  ] as const) {
    lines.push(`### ${title}`, '');
    lines.push(...table(LANGUAGES.map(([lang, name]) => [name, renderForwardedReply(lang, hasPhone)])), '');
  }
  lines.push(
    '## Invitation to update the household data (npx madad updates invite)',
    '',
    'Sent once per update round to a household surveyed more than the cycle ago, in the language its',
    'phone last wrote in (Urdu script if it never wrote): packages/core/src/replies/update-invitation.ts.',
    '',
  );
  for (const [title, facts] of INVITATIONS) {
    lines.push(`### ${title}`, '');
    lines.push(...table(LANGUAGES.map(([lang, name]) => [name, renderUpdateInvitation(lang, facts)])), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CATALOGUE_PATH, renderCatalogue());
  console.log(`wrote ${CATALOGUE_PATH}`);
}
