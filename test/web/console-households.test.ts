import { describe, expect, it } from 'vitest';
import { NOW, webFakes } from './web-fakes.js';

describe('the review queue links cases to household profiles', () => {
  it('links each provisional household and each flagged case to its profile instead of naming a message id', async () => {
    const web = webFakes();
    web.provisional.push({
      householdId: 'P-0123456789ABCDEF',
      district: 'Rawalpindi',
      tehsil: 'Murree',
      registeredAt: NOW.toISOString(),
      members: [{ cnicMasked: '37***-*******-6' }],
    });
    web.flagged.push({
      messageId: 'sms-7',
      reference: 'R7',
      channel: 'sms',
      phoneMasked: '+92300****567',
      status: 'IDENTITY_MISMATCH',
      reasons: ['IDENTITY_UNKNOWN'],
      decidedAt: NOW.toISOString(),
      cnicHash: 'c'.repeat(40),
    });
    const cookie = await web.cookieFor('pat', ['program-officer']);

    const html = await (await web.request('/console/review', { headers: { cookie } })).text();

    expect(html).toContain('href="/console/households/P-0123456789ABCDEF"');
    expect(html).toContain(`href="/console/people/${'c'.repeat(40)}"`);
    expect(html).not.toContain('look a case up by its message id');
  });

  it('offers the household search to approvers and auditors but not to the emergency cell', async () => {
    const web = webFakes();
    for (const [roles, status] of [
      [['approver'], 200],
      [['auditor'], 200],
      [['emergency-cell'], 403],
    ] as const) {
      const cookie = await web.cookieFor('someone', [...roles]);
      const response = await web.request('/console/households', { headers: { cookie } });
      expect(response.status, roles.join()).toBe(status);
      if (status === 200) expect(await response.text()).toContain('id="household-search"');
    }
  });
});
