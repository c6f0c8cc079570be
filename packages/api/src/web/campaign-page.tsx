/** @jsxImportSource hono/jsx */
import {
  type Campaign,
  formatPakistanDate,
  formatPakistanTime,
  type Gazetteer,
  type PageLanguage as Language,
  type OutcomeCounts,
  outcomeCountsOf,
  type PublicAreaTable,
  type PublicCell,
  type PublicRow,
  publicPaid,
  suppressSmallCells,
} from '@madad/core';
import { formatCount, TEXT } from './i18n.js';
import { PublicPage } from './layout.js';

/**
 * The row of the decisions with no verified area (registrants not in the registry, who gave none or
 * whose area staff have not verified): counted in the campaign's total like any district.
 */
export const AREA_NOT_VERIFIED = '';

export interface PublicCampaignFigures {
  readonly campaign: Pick<Campaign, 'campaignId' | 'name' | 'nameUr' | 'status' | 'opensAt' | 'closesAt'>;
  readonly areas: PublicAreaTable;
  readonly paid: ReturnType<typeof publicPaid>;
  /** The start of the hour the figures stand at: later decisions appear the next hour. */
  readonly asOf: string;
}

/**
 * Aggregates only, as of the start of the hour and with small cells suppressed (see
 * `suppressSmallCells`): the counters of the stats summary by district and tehsil; nothing personal.
 */
export function publicFigures(
  campaign: Campaign,
  summary: {
    byStatus: Record<string, number>;
    byDistrict: Record<string, Record<string, number>>;
    byTehsil: Record<string, Record<string, Record<string, number>>>;
  },
  paid: { households: number; amount: number },
  asOf: Date,
): PublicCampaignFigures {
  const names = new Set([...Object.keys(summary.byDistrict), ...Object.keys(summary.byTehsil)]);
  const districts = [...names].map((district) => ({
    district,
    total: outcomeCountsOf(summary.byDistrict[district]),
    tehsils: Object.entries(summary.byTehsil[district] ?? {}).map(([tehsil, counters]) => ({
      tehsil,
      counts: outcomeCountsOf(counters),
    })),
  }));
  // The campaign's total is its `decided` figure (core `campaignFigures`): what no district counted
  // (no verified area) is a row of its own, so the areas add up to the same total as the console's.
  const all = outcomeCountsOf(summary.byStatus);
  const unplaced: OutcomeCounts = {
    eligible: Math.max(0, all.eligible - districts.reduce((n, d) => n + d.total.eligible, 0)),
    notEligible: Math.max(0, all.notEligible - districts.reduce((n, d) => n + d.total.notEligible, 0)),
  };
  if (unplaced.eligible + unplaced.notEligible > 0)
    districts.push({ district: AREA_NOT_VERIFIED, total: unplaced, tehsils: [] });
  const areas = suppressSmallCells(districts);
  const { campaignId, name, nameUr, status, opensAt, closesAt } = campaign;
  return {
    campaign: { campaignId, name, ...(nameUr ? { nameUr } : {}), status, opensAt, closesAt },
    areas,
    paid: publicPaid(paid),
    asOf: asOf.toISOString(),
  };
}

function Cell({ lang, cell }: { lang: Language; cell: PublicCell }) {
  const t = TEXT[lang].campaign;
  if (cell.kind === 'count') return <>{formatCount(cell.value)}</>;
  return <span data-suppressed={cell.kind}>{cell.kind === 'withheld' ? t.withheld : t.fewerThan5}</span>;
}

function AreaRow({ lang, area, name, row }: { lang: Language; area: string; name: string; row: PublicRow }) {
  const first = area ? <th scope="row">{area}</th> : <td />;
  return (
    <tr>
      {first}
      <td>{name}</td>
      <td class="n">
        <Cell lang={lang} cell={row.registered} />
      </td>
      <td class="n">
        <Cell lang={lang} cell={row.eligible} />
      </td>
    </tr>
  );
}

/** The public transparency page of a campaign, as the 2020 programme published its district figures. */
/** `gazetteer` is the areas in force, for the areas' Urdu names on the Urdu page. */
export function CampaignPage({
  lang,
  figures,
  gazetteer,
}: {
  lang: Language;
  figures: PublicCampaignFigures;
  gazetteer: Gazetteer;
}) {
  const t = TEXT[lang].campaign;
  const { campaign, areas, paid } = figures;
  const path = `/campaigns/${campaign.campaignId}`;
  // Campaigns declared before the Urdu name was required show their English name on the Urdu page.
  const title = lang === 'ur' && campaign.nameUr ? campaign.nameUr : campaign.name;
  const area = (name: string) => gazetteer.nameIn(name, lang);
  return (
    <PublicPage lang={lang} title={title} switchHref={lang === 'en' ? `${path}?lang=ur` : path}>
      <p class="muted">{t.title}</p>
      <h1>{title}</h1>
      <p>
        <span class="tag">{campaign.status === 'active' ? t.open : t.closed}</span>{' '}
        <span dir="ltr">
          {formatPakistanDate(campaign.opensAt)} – {formatPakistanDate(campaign.closesAt)}
        </span>
      </p>
      <p>{t.intro}</p>
      <div class="tiles">
        <div class="tile">
          <b id="total-registered">
            <Cell lang={lang} cell={areas.total.registered} />
          </b>
          <span>{t.registered}</span>
        </div>
        <div class="tile">
          <b id="total-eligible">
            <Cell lang={lang} cell={areas.total.eligible} />
          </b>
          <span>{t.eligible}</span>
        </div>
        <div class="tile">
          <b id="total-paid">
            <Cell lang={lang} cell={paid.households} />
          </b>
          <span>{t.households}</span>
        </div>
        <div class="tile">
          <b id="amount-paid">
            <Cell lang={lang} cell={paid.amount} />
          </b>
          <span>{t.amountPaid}</span>
        </div>
      </div>
      <p class="muted">{t.paidNote}</p>
      {areas.districts.length === 0 ? (
        // Every area folded into the total (small cells): only say "none" when there is none.
        areas.total.registered.kind === 'count' && areas.total.registered.value === 0 ? (
          <p>{t.none}</p>
        ) : null
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
              {areas.districts.flatMap((d) => [
                <AreaRow
                  lang={lang}
                  area={d.district === AREA_NOT_VERIFIED ? t.areaNotVerified : area(d.district)}
                  name={t.total}
                  row={d.figures}
                />,
                ...d.tehsils.map((x) => (
                  <AreaRow lang={lang} area="" name={area(x.tehsil)} row={x.figures} />
                )),
                ...(d.otherTehsils
                  ? [
                      <AreaRow
                        lang={lang}
                        area=""
                        name={t.otherTehsils(area(d.district))}
                        row={d.otherTehsils}
                      />,
                    ]
                  : []),
              ])}
              {areas.otherDistricts ? (
                <AreaRow lang={lang} area={t.otherDistricts} name={t.total} row={areas.otherDistricts} />
              ) : null}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted" id="small-cells">
        {t.smallCells}
      </p>
      <p class="muted">
        {t.asOf}{' '}
        <span id="as-of" dir="ltr">
          {formatPakistanTime(figures.asOf)}
        </span>
        , {t.hourly}
      </p>
    </PublicPage>
  );
}
