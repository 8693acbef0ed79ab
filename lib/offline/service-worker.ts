/// <reference lib="webworker" />
import { CacheFirst, NetworkOnly, Serwist, type PrecacheEntry } from "serwist";

/*
 * The static export's service worker, bundled into <export>/sw.js by scripts/build-sw.ts, which
 * fills in these constants: what to precache (every page, script and style, the emulator, the
 * image manifest and the live profile's guest images, each with a revision), the base path, the
 * version and the name of the cache for the other guest images.
 */
declare const self: ServiceWorkerGlobalScope & { __SW_MANIFEST: PrecacheEntry[] };
declare const SW_VERSION: string;
declare const SW_BASE: string;
declare const SW_IMAGES_CACHE: string;
/** Cross-origin isolation headers (scripts/lib/csp.ts), for hosts that cannot send them. */
declare const SW_ISOLATION_HEADERS: Record<string, string>;

const IMAGES_PREFIX = `${SW_BASE}/images/`;
const ILLUSTRATIONS_PREFIX = `${IMAGES_PREFIX}illustrations/`;

const serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  cacheId: "vlabs",
  clientsClaim: true,
  precacheOptions: {
    cleanupOutdatedCaches: true,
    // Pages and assets belong to this version, whatever the query (a worker's settings ride in it).
    ignoreURLParametersMatching: [/.*/],
  },
});

// Other guest images (the installer CD, the bare-metal floppy, ...) are kept once a lab uses them,
// in a cache named after the image manifest: a deploy with new images starts it afresh.
serwist.registerCapture(
  ({ url }) =>
    url.pathname.startsWith(IMAGES_PREFIX) && !url.pathname.startsWith(ILLUSTRATIONS_PREFIX),
  new CacheFirst({
    cacheName: SW_IMAGES_CACHE,
    matchOptions: { ignoreSearch: true },
    plugins: [
      {
        cacheWillUpdate: async ({ request, response }) =>
          response.status === 200 && !new URL(request.url).search ? response : null,
      },
    ],
  }),
);
serwist.setDefaultHandler(new NetworkOnly());
// Offline, a page that is not cached gets the site's 404 page.
serwist.setCatchHandler(
  async ({ request }) =>
    (request.mode === "navigate"
      ? await serwist.matchPrecache(`${SW_BASE}/404.html`)
      : undefined) ?? Response.error(),
);

self.addEventListener("install", serwist.handleInstall);
self.addEventListener("activate", (event) => {
  serwist.handleActivate(event);
  // Caches of the worker this one replaces (and of the hand-written one before it).
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => /^vlabs-(app|images)-/.test(name) && name !== SW_IMAGES_CACHE)
            .map((name) => caches.delete(name)),
        ),
      ),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type !== "status") return;
  const reply = event.ports[0] ?? event.source;
  void offline().then((ready) =>
    reply?.postMessage({ type: "status", version: SW_VERSION, offline: ready }),
  );
});

/** True when every precached file is in the cache. */
async function offline(): Promise<boolean> {
  const cache = await caches.open(serwist.precacheStrategy.cacheName);
  for (const key of serwist.getUrlsToPrecacheKeys().values())
    if (!(await cache.match(key))) return false;
  return true;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  // Only this site's GETs under its base path; ranges and the worker itself go to the network.
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname !== SW_BASE && !url.pathname.startsWith(`${SW_BASE}/`)) return;
  if (url.pathname === `${SW_BASE}/sw.js` || request.headers.has("range")) return;
  // A page asked for without its trailing slash is sent to its folder, as the host would.
  const folder = `${url.pathname}/`;
  if (
    request.mode === "navigate" &&
    !/(\/|\.[A-Za-z0-9]+)$/.test(url.pathname) &&
    serwist.getPrecacheKeyForUrl(`${folder}index.html`)
  ) {
    event.respondWith(Response.redirect(new URL(folder + url.search, url).href, 301));
    return;
  }
  const response = serwist.handleRequest({ request, event });
  if (!response) return;
  // Every answer is a copy: it gains the isolation headers a plain static host does not send
  // (pages and workers need them to be cross-origin isolated), and a copy has no URL of its own,
  // so a worker keeps the one it asked for (a cached response carries the cached URL, without
  // this request's query, and the bundler passes a worker its settings in the query).
  event.respondWith(response.then(withIsolationHeaders));
});

function withIsolationHeaders(response: Response): Response {
  // Only the site's own answers: an error or opaque response has no headers to add to.
  if (response.type !== "basic" && response.type !== "default") return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(SW_ISOLATION_HEADERS))
    if (!headers.has(name)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
