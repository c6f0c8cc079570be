import {
  builtInAreaRecords,
  countSegments,
  crashOnceAt,
  Gazetteer,
  InjectedCrashError,
  type InvitationLedger,
  inviteHouseholdsToUpdate,
  type OutboundSms,
  type QualityHousehold,
  renderUpdateInvitation,
  setCrashHook,
  type UpdateInvitation,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';

class MemoryLedger implements InvitationLedger {
  readonly items = new Map<string, UpdateInvitation>();
  async get(round: string, householdId: string) {
    return this.items.get(`${round}/${householdId}`);
  }
  async create(invitation: UpdateInvitation) {
    const key = `${invitation.round}/${invitation.householdId}`;
    if (this.items.has(key)) return false;
    this.items.set(key, invitation);
    return true;
  }
  async markQueued(round: string, householdId: string, at: string) {
    const key = `${round}/${householdId}`;
    const item = this.items.get(key);
    if (item) this.items.set(key, { ...item, queuedAt: at });
  }
}

const household = (id: string, phones: string[], tehsil = 'Kasur'): QualityHousehold => ({
  householdId: id,
  district: 'Kasur',
  tehsil,
  surveyedAt: '2021-06-15',
  phones,
  members: [{ cnicHash: `h-${id}`, relation: 'head' }],
});

function setup(languages: Record<string, 'en' | 'ur-Latn' | 'ur'> = {}) {
  const sent: OutboundSms[] = [];
  const invitations = new MemoryLedger();
  const deps = {
    invitations,
    replies: { enqueue: async (replies: readonly OutboundSms[]) => void sent.push(...replies) },
    phoneLanguages: {
      lastLanguages: async (phones: readonly string[]) =>
        new Map(phones.flatMap((p) => (languages[p] ? [[p, languages[p]] as const] : []))),
    },
    clock: { now: () => new Date('2026-12-07T10:00:00Z') },
  };
  return { sent, invitations, deps };
}

afterEach(() => setCrashHook(undefined));

describe('renderUpdateInvitation', () => {
  it('names the sender, the survey year and the tehsil desk, within two SMS parts in every language', () => {
    const en = renderUpdateInvitation('en', { surveyYear: '2021', tehsil: 'Lahore City' });
    const roman = renderUpdateInvitation('ur-Latn', { surveyYear: '2021', tehsil: 'Lahore City' });
    const urdu = renderUpdateInvitation('ur', {
      surveyYear: '2021',
      tehsil: 'Lahore City',
      tehsilUr: 'لاہور شہر',
    });

    expect(en).toBe(
      "Madad: Your family's details are from the 2021 survey. To confirm or correct them (phone, address, a birth or a death), visit the Madad desk in Lahore City tehsil with your CNIC. It is free.",
    );
    expect(roman).toMatch(
      /^Madad: Aap ke ghar ki maloomat 2021 ke survey ki hain\..*Lahore City tehsil ke Madad desk/,
    );
    expect(urdu).toMatch(/^مدد: .*2021.*تحصیل لاہور شہر/);
    for (const text of [en, roman, urdu]) expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    expect(countSegments(en).encoding).toBe('GSM-7');
    expect(countSegments(roman).encoding).toBe('GSM-7');
  });

  it('leaves out a tehsil it cannot write in the reply’s script instead of mixing scripts', () => {
    expect(renderUpdateInvitation('ur', { surveyYear: '2020', tehsil: 'Nowhere Town' })).toContain(
      'اپنی تحصیل',
    );
    expect(renderUpdateInvitation('en', { tehsil: 'قصور' })).toContain("your tehsil's Madad desk");
    expect(renderUpdateInvitation('ur', { tehsil: 'Kasur', tehsilUr: 'Kasur' })).toContain('اپنی تحصیل');
  });
});

describe('inviteHouseholdsToUpdate', () => {
  it('sends each due household one invitation in its phone’s language, recorded, and never twice', async () => {
    // Arrange
    const { sent, invitations, deps } = setup({ '+923001234567': 'ur-Latn' });
    const due = [
      household('HH-1', ['+923001234567']),
      household('HH-2', ['+923007654321']),
      household('HH-3', []),
    ];

    // Act
    const first = await inviteHouseholdsToUpdate(deps, '2026', due);
    const second = await inviteHouseholdsToUpdate(deps, '2026', due);

    // Assert
    expect(first).toEqual({ invited: 2, alreadyInvited: 0, withoutPhone: 1 });
    expect(second).toEqual({ invited: 0, alreadyInvited: 2, withoutPhone: 1 });
    expect(sent.map((s) => [s.id, s.to, s.lang])).toEqual([
      ['update-2026-HH-1', '+923001234567', 'ur-Latn'],
      ['update-2026-HH-2', '+923007654321', 'ur'],
    ]);
    expect(sent[1]?.text.startsWith('مدد:')).toBe(true);
    expect(await invitations.get('2026', 'HH-1')).toMatchObject({
      queuedAt: '2026-12-07T10:00:00.000Z',
      lang: 'ur-Latn',
    });
  });

  it('re-queues the very same SMS after a crash between queueing and recording it, so the aggregator refuses the repeat', async () => {
    const { sent, deps } = setup();
    const due = [household('HH-1', ['+923001234567'])];
    setCrashHook(crashOnceAt('update-invitation.queued'));

    await expect(inviteHouseholdsToUpdate(deps, '2026', due)).rejects.toBeInstanceOf(InjectedCrashError);
    const rerun = await inviteHouseholdsToUpdate(deps, '2026', due);
    const third = await inviteHouseholdsToUpdate(deps, '2026', due);

    expect(rerun.invited).toBe(1);
    expect(third.invited).toBe(0);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
  });

  it('names the tehsil in Urdu script as the gazetteer in force spells it (an imported areas file)', async () => {
    // Arrange: an areas import renamed Jacobabad's tehsil Thul to Thull, with a new Urdu name
    const imported = Gazetteer.fromRecords([
      ...builtInAreaRecords().filter((r) => r.district !== 'Jacobabad'),
      { province: 'Sindh', district: 'Jacobabad', tehsil: 'Jacobabad', cnicCode: 4 },
      { province: 'Sindh', district: 'Jacobabad', tehsil: 'Thull', tehsilUr: 'ٹھل نیا', cnicCode: 4 },
    ]);
    const { sent, deps } = setup();

    // Act
    await inviteHouseholdsToUpdate({ ...deps, gazetteer: { current: async () => imported } }, '2026', [
      household('HH-1', ['+923001234567'], 'Thull'),
      household('HH-2', ['+923007654321'], 'Lahore City'),
    ]);

    // Assert
    expect(sent.map((s) => s.lang)).toEqual(['ur', 'ur']);
    expect(sent[0]?.text).toContain('تحصیل ٹھل نیا');
    expect(sent[1]?.text).toContain('تحصیل لاہور شہر');
  });

  it('invites again in a new round', async () => {
    const { sent, deps } = setup();
    const due = [household('HH-1', ['+923001234567'])];

    await inviteHouseholdsToUpdate(deps, '2026', due);
    await inviteHouseholdsToUpdate(deps, '2030', due);

    expect(sent.map((s) => s.id)).toEqual(['update-2026-HH-1', 'update-2030-HH-1']);
  });
});
