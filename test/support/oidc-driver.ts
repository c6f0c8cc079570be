/**
 * A scripted browser for the OIDC provider's pages: follows its redirects with its own cookies, fills
 * the login form, and stops at the console's callback (the caller hands that URL to the console).
 */
export class ProviderBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly callbackPrefix: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair && at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('cookie', this.cookieHeader());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.remember(response);
    return response;
  }

  /** Follows redirects from `url` until one leads to the console (returned) or a page is shown. */
  async follow(
    url: string,
    init: RequestInit = {},
    stopAt = this.callbackPrefix,
  ): Promise<{ callback?: URL; page?: Response }> {
    let response = await this.fetch(url, init);
    let current = new URL(url);
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { page: response };
      current = new URL(location, current);
      if (current.href.startsWith(stopAt)) return { callback: current };
      response = await this.fetch(current.href);
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  /**
   * The provider's sign-out page (from the console's sign-out), answered "yes" as its script does in a
   * browser; returns where the provider sends the browser back to (a URL starting with `returnPrefix`).
   */
  async signOut(endSessionUrl: string, returnPrefix: string): Promise<URL> {
    const shown = await this.follow(endSessionUrl, {}, returnPrefix);
    if (shown.page?.status !== 200 || !shown.page) throw new Error('The provider showed no sign-out page');
    const html = await shown.page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error('No sign-out form on the provider page');
    const fields = new URLSearchParams({ logout: 'yes' });
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      if (name) fields.set(name, value ?? '');
    }
    const done = await this.follow(
      new URL(action, shown.page.url || endSessionUrl).href,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
      },
      returnPrefix,
    );
    if (!done.callback) throw new Error(`The provider did not send the browser back (${done.page?.status})`);
    return done.callback;
  }

  /**
   * From the console's redirect to the provider, through the login page with `username` and
   * `password`, to the provider's redirect back to the console (its callback URL with code and state).
   */
  async signIn(authorizeUrl: string, username: string, password: string): Promise<URL> {
    const shown = await this.follow(authorizeUrl);
    if (shown.page?.status !== 200 || !shown.page) throw new Error('The provider showed no login page');
    const html = await shown.page.text();
    const action = /action="([^"]+\/login)"/.exec(html)?.[1];
    if (!action) throw new Error('No login form on the provider page');
    const done = await this.follow(new URL(action, shown.page.url || authorizeUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    if (!done.callback) throw new Error(`The provider did not send the browser back (${done.page?.status})`);
    return done.callback;
  }
}
