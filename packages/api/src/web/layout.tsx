/** @jsxImportSource hono/jsx */
import type { PageLanguage as Language } from '@madad/core';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { TEXT } from './i18n.js';
import { STYLES } from './styles.js';

/**
 * Scripts come from our own origin only and styles are inlined: the pages need nothing else, so the
 * policy forbids everything else (no third-party script can ever read a CNIC typed into the form).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Headers of every HTML page; `cache` only for pages without anything personal in them. */
export function htmlHeaders(c: Context, cache = 'no-store'): void {
  c.header('content-security-policy', CONTENT_SECURITY_POLICY);
  c.header('cache-control', cache);
}

interface PublicPageProps {
  readonly lang: Language;
  readonly title: string;
  /** The same page in the other language (query string included). */
  readonly switchHref: string;
  readonly children?: Child;
}

/** The public pages' shell: language and direction on `<html>`, the switch link, no framework. */
export function PublicPage({ lang, title, switchHref, children }: PublicPageProps) {
  const t = TEXT[lang];
  const q = lang === 'ur' ? '?lang=ur' : '';
  return (
    <html lang={lang} dir={lang === 'ur' ? 'rtl' : 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t.site}`}</title>
        <style>{STYLES}</style>
        <script src="/assets/web.js" defer />
      </head>
      <body>
        <header class="top">
          <a class="brand" href={`/${q}`}>
            {t.site}
          </a>
          <span>{t.tagline}</span>
          <nav aria-label={t.site}>
            <a href={`/${q}`}>{t.nav.register}</a>
            <a href={`/status${q}`}>{t.nav.status}</a>
            <a href={switchHref} lang={t.switchTo.lang} hreflang={t.switchTo.lang}>
              {t.switchTo.label}
            </a>
          </nav>
        </header>
        <main>{children}</main>
        <footer>{t.footer}</footer>
      </body>
    </html>
  );
}

/** `path` with `lang=<other>` set, keeping the other query parameters. */
export function switchLanguageHref(url: string, lang: Language): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('lang');
  if (lang === 'en') parsed.searchParams.set('lang', 'ur');
  const query = parsed.searchParams.toString();
  return `${parsed.pathname}${query ? `?${query}` : ''}`;
}
