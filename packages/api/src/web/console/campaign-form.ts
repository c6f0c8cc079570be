import {
  type AffectedArea,
  builtInGazetteer,
  type CampaignInput,
  CampaignInputSchema,
  ExclusionFilterSchema,
  fromPakistanLocalInput,
  type Gazetteer,
  ShockTypeSchema,
  toAsciiDigits,
  toPakistanLocalInput,
} from '@madad/core';

/** The campaign form as typed (strings), so that a refused form comes back exactly as it was. */
export interface CampaignFormValues {
  readonly name: string;
  /** The name in Urdu script, as Urdu replies and pages show it. */
  readonly nameUr: string;
  readonly shockType: string;
  /** One area a line: `District`, or `District: Tehsil, Tehsil`. */
  readonly areas: string;
  /** `datetime-local` values, Pakistan time. */
  readonly opensAt: string;
  readonly closesAt: string;
  readonly pmtThreshold: string;
  readonly topUp: string;
  readonly newBeneficiary: string;
  readonly budgetCap: string;
  readonly maxHouseholds: string;
  readonly exclusionFilters: readonly string[];
  readonly notifyTopUps: boolean;
}

export type CampaignFormErrors = Partial<Record<keyof CampaignFormValues, string>>;

export const SHOCK_TYPES = ShockTypeSchema.options;
export const EXCLUSION_FILTERS = ExclusionFilterSchema.options;

export function defaultCampaignValues(now: Date): CampaignFormValues {
  return {
    name: '',
    nameUr: '',
    shockType: 'flood',
    areas: '',
    // A few minutes back, so that registrations sent right after activation are inside the window.
    opensAt: toPakistanLocalInput(new Date(now.getTime() - 5 * 60_000)),
    closesAt: toPakistanLocalInput(new Date(now.getTime() + 30 * 86_400_000)),
    pmtThreshold: '32',
    topUp: '12000',
    newBeneficiary: '12000',
    budgetCap: '120000000',
    maxHouseholds: '10000',
    exclusionFilters: ['VEHICLE_OWNER', 'GOVT_EMPLOYEE', 'INTL_TRAVEL'],
    // Households hear of their top-up unless the cell unticks it.
    notifyTopUps: true,
  };
}

type FormBody = Record<string, string | File | (string | File)[]>;

function field(body: FormBody, name: string, max = 200): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

export function readCampaignForm(body: FormBody): CampaignFormValues {
  const filters = body.exclusionFilters;
  return {
    name: field(body, 'name'),
    nameUr: field(body, 'nameUr'),
    shockType: field(body, 'shockType'),
    areas: field(body, 'areas', 8000),
    opensAt: field(body, 'opensAt'),
    closesAt: field(body, 'closesAt'),
    pmtThreshold: field(body, 'pmtThreshold'),
    topUp: field(body, 'topUp'),
    newBeneficiary: field(body, 'newBeneficiary'),
    budgetCap: field(body, 'budgetCap'),
    maxHouseholds: field(body, 'maxHouseholds'),
    exclusionFilters: (Array.isArray(filters) ? filters : filters === undefined ? [] : [filters]).filter(
      (f): f is string => typeof f === 'string' && (EXCLUSION_FILTERS as readonly string[]).includes(f),
    ),
    notifyTopUps: field(body, 'notifyTopUps') === 'on',
  };
}

const number = (raw: string) => {
  const cleaned = toAsciiDigits(raw).replace(/[,\s]/g, '');
  return cleaned === '' ? Number.NaN : Number(cleaned);
};

/**
 * Reads the areas box (`District` or `District: Tehsil, Tehsil` a line) against the gazetteer in
 * force, in its spelling; an unknown name is refused with the nearest known ones.
 */
function readAreas(text: string, gazetteer: Gazetteer): { areas: AffectedArea[]; error?: string } {
  const areas: AffectedArea[] = [];
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [districtPart = '', tehsilPart = ''] = line.split(':');
    const tehsils = tehsilPart
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const checked = gazetteer.checkDistricts([
      { district: districtPart.trim(), ...(tehsils.length > 0 ? { tehsils } : {}) },
    ]);
    if (!checked.ok) {
      const message = checked.problems[0]?.message ?? 'unknown area';
      return { areas, error: message.charAt(0).toUpperCase() + message.slice(1) };
    }
    areas.push(...checked.areas);
  }
  return { areas };
}

const FIELD_OF: Record<string, keyof CampaignFormValues> = {
  'rules.pmtThreshold': 'pmtThreshold',
  'rules.amounts.topUp': 'topUp',
  'rules.amounts.newBeneficiary': 'newBeneficiary',
  'rules.exclusionFilters': 'exclusionFilters',
};

/** Validates with the API's own schema (`CampaignInputSchema`) and names each error's form field. */
export function parseCampaignForm(
  values: CampaignFormValues,
  gazetteer: Gazetteer = builtInGazetteer(),
): { ok: true; input: CampaignInput } | { ok: false; errors: CampaignFormErrors } {
  const areas = readAreas(values.areas, gazetteer);
  const parsed = CampaignInputSchema.safeParse({
    name: values.name.trim(),
    nameUr: values.nameUr.trim(),
    shockType: values.shockType,
    areas: areas.areas,
    opensAt: fromPakistanLocalInput(values.opensAt),
    closesAt: fromPakistanLocalInput(values.closesAt),
    rules: {
      pmtThreshold: number(values.pmtThreshold),
      exclusionFilters: values.exclusionFilters,
      amounts: { topUp: number(values.topUp), newBeneficiary: number(values.newBeneficiary) },
    },
    budgetCap: number(values.budgetCap),
    maxHouseholds: number(values.maxHouseholds),
    notifyTopUps: values.notifyTopUps,
  });
  const errors: CampaignFormErrors = areas.error ? { areas: areas.error } : {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      const name = FIELD_OF[path] ?? (String(issue.path[0]) as keyof CampaignFormValues);
      errors[name] ??=
        name === 'areas' && areas.areas.length === 0 ? 'Name at least one district' : issue.message;
    }
  }
  if (parsed.success && !areas.error) return { ok: true, input: parsed.data };
  return { ok: false, errors };
}
