/** @jsxImportSource hono/jsx */
import type { Campaign, Language } from '@madad/core';
import { formatCount, TEXT } from './i18n.js';
import { PublicPage } from './layout.js';

/** Registered (every decision but repeats) and eligible, from one area's status counters. */
export interface AreaFigures {
  readonly registered: number;
  readonly eligible: number;
}

export function areaFigures(byStatus: Readonly<Record<string, number>> | undefined): AreaFigures {
  let registered = 0;
  for (const [status, value] of Object.entries(byStatus ?? {})) {
    if (status !== 'amount' && status !== 'DUPLICATE') registered += value;
  }
  return { registered, eligible: byStatus?.ELIGIBLE ?? 0 };
}

export interface PublicCampaignFigures {
  readonly campaign: Pick<Campaign, 'campaignId' | 'name' | 'status' | 'opensAt' | 'closesAt'>;
  readonly districts: readonly {
    readonly district: string;
    readonly figures: AreaFigures;
    readonly tehsils: readonly { readonly tehsil: string; readonly figures: AreaFigures }[];
  }[];
  readonly paid: { readonly households: number; readonly amount: number };
  readonly asOf: string;
}

const byName = <T extends { district?: string; tehsil?: string }>(a: T, b: T) =>
  (a.district ?? a.tehsil ?? '').localeCompare(b.district ?? b.tehsil ?? '');

/** Aggregates only: the counters of the stats summary, by district and tehsil; nothing personal. */
export function publicFigures(
  campaign: Campaign,
  summary: {
    byDistrict: Record<string, Record<string, number>>;
    byTehsil: Record<string, Record<string, Record<string, number>>>;
  },
  paid: { households: number; amount: number },
  asOf: Date,
): PublicCampaignFigures {
  const names = new Set([...Object.keys(summary.byDistrict), ...Object.keys(summary.byTehsil)]);
  const districts = [...names]
    .map((district) => ({
      district,
      figures: areaFigures(summary.byDistrict[district]),
      tehsils: Object.entries(summary.byTehsil[district] ?? {})
        .map(([tehsil, counters]) => ({ tehsil, figures: areaFigures(counters) }))
        .sort(byName),
    }))
    .sort(byName);
  const { campaignId, name, status, opensAt, closesAt } = campaign;
  return {
    campaign: { campaignId, name, status, opensAt, closesAt },
    districts,
    paid,
    asOf: asOf.toISOString(),
  };
}

/** The public transparency page of a campaign, as the 2020 programme published its district figures. */
export function CampaignPage({ lang, figures }: { lang: Language; figures: PublicCampaignFigures }) {
  const t = TEXT[lang].campaign;
  const { campaign, districts, paid } = figures;
  const path = `/campaigns/${campaign.campaignId}`;
  const total = districts.reduce(
    (sum, d) => ({
      registered: sum.registered + d.figures.registered,
      eligible: sum.eligible + d.figures.eligible,
    }),
    { registered: 0, eligible: 0 },
  );
  return (
    <PublicPage lang={lang} title={campaign.name} switchHref={lang === 'en' ? `${path}?lang=ur` : path}>
      <p class="muted">{t.title}</p>
      <h1>{campaign.name}</h1>
      <p>
        <span class="tag">{campaign.status === 'active' ? t.open : t.closed}</span>{' '}
        <span dir="ltr">
          {campaign.opensAt.slice(0, 10)} – {campaign.closesAt.slice(0, 10)}
        </span>
      </p>
      <p>{t.intro}</p>
      <div class="tiles">
        <div class="tile">
          <b id="total-registered">{formatCount(total.registered)}</b>
          <span>{t.registered}</span>
        </div>
        <div class="tile">
          <b id="total-eligible">{formatCount(total.eligible)}</b>
          <span>{t.eligible}</span>
        </div>
        <div class="tile">
          <b id="total-paid">{formatCount(paid.households)}</b>
          <span>{t.households}</span>
        </div>
        <div class="tile">
          <b>{formatCount(paid.amount)}</b>
          <span>{t.amountPaid}</span>
        </div>
      </div>
      <p class="muted">{t.paidNote}</p>
      {districts.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <div class="scroll">
          <table id="by-area">
            <thead>
              <tr>
                <th>{t.district}</th>
                <th>{t.tehsil}</th>
                <th class="n">{t.registered}</th>
                <th class="n">{t.eligible}</th>
              </tr>
            </thead>
            <tbody>
              {districts.flatMap((d) => [
                <tr>
                  <th scope="row">{d.district}</th>
                  <td>{t.total}</td>
                  <td class="n">{formatCount(d.figures.registered)}</td>
                  <td class="n">{formatCount(d.figures.eligible)}</td>
                </tr>,
                ...d.tehsils.map((x) => (
                  <tr>
                    <td />
                    <td>{x.tehsil}</td>
                    <td class="n">{formatCount(x.figures.registered)}</td>
                    <td class="n">{formatCount(x.figures.eligible)}</td>
                  </tr>
                )),
              ])}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted">
        {t.asOf} <span dir="ltr">{figures.asOf.slice(0, 16).replace('T', ' ')} UTC</span>
      </p>
    </PublicPage>
  );
}
