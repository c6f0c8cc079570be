import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';

/**
 * The only script of the web pages, progressive: every page works without it.
 * - the tehsil list keeps only the chosen district's tehsils (the no-JS list shows all, grouped under
 *   a label in the page's language; `data-district` holds the registry spelling the options send);
 * - an element with `data-live="<url>"` has its content replaced by that URL's HTML every few seconds
 *   (the console dashboard; without JS a meta refresh in <noscript> reloads the page).
 * Plain ES2017, no build step.
 */
export const WEB_JS = `(function () {
  var district = document.getElementById('district');
  var tehsil = document.getElementById('tehsil');
  if (district && tehsil) {
    var groups = Array.prototype.slice.call(tehsil.querySelectorAll('optgroup'));
    var follow = function () {
      var chosen = tehsil.value;
      var keep = false;
      groups.forEach(function (g) {
        var show = !district.value || g.getAttribute('data-district') === district.value;
        if (show) { tehsil.appendChild(g); } else if (g.parentNode) { g.parentNode.removeChild(g); }
        if (show) { Array.prototype.forEach.call(g.children, function (o) { if (o.value === chosen) keep = true; }); }
      });
      tehsil.value = keep ? chosen : '';
    };
    district.addEventListener('change', follow);
    follow();
  }
  var live = document.querySelector('[data-live]');
  if (live && window.fetch) {
    var every = Number(live.getAttribute('data-every') || '3000');
    var refresh = function () {
      fetch(live.getAttribute('data-live'), { credentials: 'same-origin', headers: { 'x-madad-live': '1' } })
        .then(function (r) { return r.ok && !r.redirected ? r.text() : null; })
        .then(function (html) { if (html !== null) { live.innerHTML = html; live.setAttribute('data-refreshed', new Date().toISOString()); } })
        .catch(function () {})
        .then(function () { setTimeout(refresh, every); });
    };
    setTimeout(refresh, every);
  }
})();
`;

export function assetRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/assets/web.js', (c) =>
    c.body(WEB_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
    }),
  );
}
