/** @jsxImportSource hono/jsx */
import type { Gazetteer, PageLanguage as Language } from '@madad/core';
import { describedBy, ErrorSummary, Field, TextField } from './fields.js';
import { ASSETS, TEXT } from './i18n.js';
import { PublicPage } from './layout.js';
import type { RegistrationErrors, RegistrationValues } from './registration-form.js';

interface RegistrationPageProps {
  readonly lang: Language;
  readonly values: RegistrationValues;
  readonly errors: RegistrationErrors;
  /** The areas in force (the stored gazetteer): the district and tehsil choices and their Urdu names. */
  readonly areas: Gazetteer;
  /** A message for the whole form (too many attempts). */
  readonly notice?: string;
}

/**
 * The registration form. Without JavaScript the tehsil list shows every district's tehsils grouped
 * under their district (and the server checks the pair); `/assets/web.js` narrows it to the chosen
 * district.
 */
export function RegistrationPage({ lang, values, errors, areas, notice }: RegistrationPageProps) {
  const provinces = areas.provinces();
  const name = (area: string) => areas.nameIn(area, lang);
  const t = TEXT[lang];
  const r = t.register;
  const district = (d: string) => d.toLowerCase() === values.district.trim().toLowerCase();
  return (
    <PublicPage lang={lang} title={r.title} switchHref={lang === 'en' ? '/?lang=ur' : '/'}>
      <h1>{r.title}</h1>
      <p>{r.intro}</p>
      {notice ? (
        <div class="warn" role="alert" id="form-notice">
          {notice}
        </div>
      ) : null}
      <ErrorSummary title={t.errors.summary} errors={errors} />
      <form method="post" action="/register" class="card" novalidate>
        <input type="hidden" name="lang" value={lang} />
        <div class="pair">
          <TextField
            id="cnic"
            name="cnic"
            label={r.cnic}
            hint={r.cnicHint}
            error={errors.cnic}
            value={values.cnic}
            maxlength={40}
            inputmode="numeric"
            autocomplete="off"
          />
          <TextField
            id="phone"
            name="phone"
            label={r.phone}
            hint={r.phoneHint}
            error={errors.phone}
            value={values.phone}
            maxlength={40}
            type="tel"
            inputmode="tel"
            autocomplete="tel"
          />
        </div>
        <div class="pair">
          <Field id="district" label={r.district} error={errors.district}>
            <select
              id="district"
              name="district"
              aria-describedby={describedBy('district', false, errors.district)}
              aria-invalid={errors.district ? 'true' : undefined}
            >
              <option value="">{r.choose}</option>
              {provinces.map((province) => (
                <optgroup label={name(province.name)}>
                  {province.districts.map((d) => (
                    <option value={d.name} selected={district(d.name)}>
                      {name(d.name)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </Field>
          <Field id="tehsil" label={r.tehsil} hint={r.tehsilHint} error={errors.tehsil}>
            <select
              id="tehsil"
              name="tehsil"
              aria-describedby={describedBy('tehsil', true, errors.tehsil)}
              aria-invalid={errors.tehsil ? 'true' : undefined}
            >
              <option value="">{r.choose}</option>
              {provinces
                .flatMap((province) => province.districts)
                .map((d) => (
                  <optgroup label={name(d.name)} data-district={d.name}>
                    {d.tehsils.map((tehsil) => (
                      <option
                        value={tehsil}
                        selected={district(d.name) && tehsil.toLowerCase() === values.tehsil.toLowerCase()}
                      >
                        {name(tehsil)}
                      </option>
                    ))}
                  </optgroup>
                ))}
            </select>
          </Field>
        </div>
        <fieldset>
          <legend>{r.household}</legend>
          <p class="hint">{r.householdHint}</p>
          <div class="pair">
            <TextField
              id="size"
              name="size"
              label={r.size}
              error={errors.size}
              value={values.size}
              maxlength={3}
              inputmode="numeric"
            />
            <TextField
              id="children"
              name="children"
              label={r.children}
              error={errors.children}
              value={values.children}
              maxlength={3}
              inputmode="numeric"
            />
          </div>
          <fieldset class="checks">
            <legend>{r.assets}</legend>
            {ASSETS.map((asset) => (
              <label>
                <input type="checkbox" name="assets" value={asset} checked={values.assets.includes(asset)} />
                {r.asset[asset]}
              </label>
            ))}
          </fieldset>
        </fieldset>
        <button type="submit">{r.submit}</button>
      </form>
    </PublicPage>
  );
}
