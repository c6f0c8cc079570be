import type { QueueDepth } from '@madad/adapters';

/** A decision as the staff API and the operations table show it (only what the surge report needs). */
export interface RegistrationView {
  readonly messageId: string;
  readonly command?: string;
  readonly acceptedAt?: string;
  readonly decision?: { readonly status: string; readonly decidedAt: string; readonly reasons?: string[] };
  readonly reply?: { readonly id: string; readonly to: string; readonly createdAt: string };
  /** The outcome sent to the household's tied phone when the message came from another phone. */
  readonly notice?: { readonly id: string; readonly to: string };
}

/** One reply: delivered (the local SMS gateway's log) or queued (the staff API's listing). */
export interface ReplyView {
  readonly id: string;
  readonly to: string;
  readonly inReplyTo?: string;
  readonly createdAt: string;
  readonly status?: string;
  readonly sentAt?: string;
  readonly segments?: number;
  /** The text as delivered (the local gateway's log only). */
  readonly text?: string;
}

export interface CampaignStats {
  readonly decided: number;
  readonly byStatus: Record<string, number>;
  readonly byCategory: Record<string, number>;
  readonly queues?: Record<string, QueueDepth>;
}

/** A payment batch as the staff API summarises it. */
export interface BatchView {
  readonly batchId: string;
  readonly status: string;
  readonly lineCount: number;
  readonly total: number;
  readonly maker: string;
  readonly approvedBy?: string;
  readonly heldCount?: number;
}

export interface BudgetView {
  readonly cap: number;
  readonly maxHouseholds: number;
  readonly reserved: number;
  readonly paid: number;
  readonly paidHouseholds: number;
  readonly duplicates: number;
  readonly duplicateAmount: number;
}

export interface AuditEntryView {
  readonly seq: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly after?: Record<string, unknown>;
}

export class StaffApiError extends Error {
  override readonly name = 'StaffApiError';
}

/** The staff HTTP API of a running Madad (local or deployed), with one bearer token. */
export class StaffApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async createCampaign(input: unknown): Promise<{ campaignId: string }> {
    return this.json('POST', '/api/v1/campaigns', input, 201);
  }

  async activate(campaignId: string): Promise<void> {
    await this.json('POST', `/api/v1/campaigns/${campaignId}/activate`);
  }

  async close(campaignId: string): Promise<void> {
    await this.json('POST', `/api/v1/campaigns/${campaignId}/close`);
  }

  async stats(campaignId: string): Promise<CampaignStats> {
    return this.json('GET', `/api/v1/campaigns/${campaignId}/stats`);
  }

  /** The registration recorded for a message id, or undefined (404). */
  async registration(messageId: string, from: string): Promise<RegistrationView | undefined> {
    const response = await this.request(
      'GET',
      `/api/v1/registrations?messageId=${encodeURIComponent(messageId)}&from=${encodeURIComponent(from)}`,
    );
    if (response.status === 404) return undefined;
    return this.read(response, 200);
  }

  /** Replies queued for a phone, newest first (at most 200: the API's page); not proof of delivery. */
  async outbound(to: string): Promise<ReplyView[]> {
    const path = `/api/v1/sms/outbound?to=${encodeURIComponent(to)}&limit=200`;
    return (await this.json<{ items: ReplyView[] }>('GET', path)).items;
  }

  /** `POST /api/v1/payment-batches` (maker); undefined when nothing is left to batch (409). */
  async createBatch(campaignId: string, maxLines: number): Promise<BatchView | undefined> {
    const response = await this.request('POST', '/api/v1/payment-batches', { campaignId, maxLines });
    if (response.status === 409) return undefined;
    return this.read(response, 201);
  }

  async approveBatch(batchId: string): Promise<BatchView> {
    return this.json('POST', `/api/v1/payment-batches/${batchId}/approve`);
  }

  /** The bank's CSV instruction file, as exported. */
  async instructionsCsv(batchId: string): Promise<string> {
    const response = await this.request('GET', `/api/v1/payment-batches/${batchId}/instructions.csv`);
    const text = await response.text();
    if (response.status !== 200) throw new StaffApiError(`${response.url}: HTTP ${response.status} ${text}`);
    return text;
  }

  /** Stages a results file (CSV) for another staff member to confirm. */
  async stageResults(batchId: string, csv: string): Promise<{ importId: string; status: string }> {
    const response = await fetch(this.url(`/api/v1/payment-batches/${batchId}/results`), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    return this.read(response, 202);
  }

  async confirmResults(batchId: string, importId: string): Promise<{ paid: number; failed: number }> {
    return this.json('POST', `/api/v1/payment-batches/${batchId}/results/${importId}/confirm`);
  }

  /** The campaign's batches and its budget (reserved, paid, households paid, duplicates). */
  async paymentBatches(campaignId: string): Promise<{ budget: BudgetView; items: BatchView[] }> {
    return this.json('GET', `/api/v1/payment-batches?campaignId=${encodeURIComponent(campaignId)}`);
  }

  /** Every ledger entry from seq 1 (auditor). */
  async auditEntries(): Promise<AuditEntryView[]> {
    const entries: AuditEntryView[] = [];
    for (let from: number | undefined = 1; from !== undefined; ) {
      const page: { items: AuditEntryView[]; next?: number } = await this.json(
        'GET',
        `/api/v1/audit?from=${from}&limit=1000`,
      );
      entries.push(...page.items);
      from = page.next;
    }
    return entries;
  }

  async auditVerify(): Promise<{ ok: boolean; count: number; reason?: string; brokenSeq?: number }> {
    return this.json('GET', '/api/v1/audit/verify');
  }

  private url(path: string): string {
    return `${this.baseUrl.replace(/\/$/, '')}${path}`;
  }

  private async json<T>(method: string, path: string, body?: unknown, expected = 200): Promise<T> {
    return this.read(await this.request(method, path, body), expected);
  }

  private request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(this.url(path), {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  private async read<T>(response: Response, expected: number): Promise<T> {
    const text = await response.text();
    if (response.status !== expected) {
      throw new StaffApiError(`${response.url}: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
    return JSON.parse(text) as T;
  }
}
