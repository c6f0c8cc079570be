import type { QueueDepth } from '@madad/adapters';

/** A decision as the staff API and the operations table show it (only what the surge report needs). */
export interface RegistrationView {
  readonly messageId: string;
  readonly command?: string;
  readonly acceptedAt?: string;
  readonly decision?: { readonly status: string; readonly decidedAt: string; readonly reasons?: string[] };
  readonly reply?: { readonly id: string; readonly to: string; readonly createdAt: string };
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
}

export interface CampaignStats {
  readonly decided: number;
  readonly byStatus: Record<string, number>;
  readonly byCategory: Record<string, number>;
  readonly queues?: Record<string, QueueDepth>;
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

  private async json<T>(method: string, path: string, body?: unknown, expected = 200): Promise<T> {
    return this.read(await this.request(method, path, body), expected);
  }

  private request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
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
