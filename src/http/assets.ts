// Files a page of the service loads (GraphiQL's, the API reference's), served by the service
// itself so that the pages work on a network with no internet. Each set lives under a path that
// names its package's version, so browsers may keep the files for good (`immutable`).
import type { RouteHandler } from './respond.js';

export interface Asset<Bundle> {
  type: string;
  body: (bundle: Bundle) => string | Buffer;
}

/**
 * One GET (and HEAD) route per asset, under `base`. `load` is called on the first request for
 * any of them and its result kept, so that large bundles cost nothing at start.
 */
export function assetRoutes<Bundle>(
  base: string,
  assets: Record<string, Asset<Bundle>>,
  load: () => Promise<Bundle>,
): Record<string, RouteHandler> {
  let bundle: Promise<Bundle> | undefined;
  return Object.fromEntries(
    Object.entries(assets).map(([name, asset]) => [
      `${base}/${name}`,
      (async (req, res) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405, { allow: 'GET, HEAD' }).end();
          return;
        }
        const body = asset.body(await (bundle ??= load()));
        res.writeHead(200, {
          'content-type': `${asset.type}${asset.type.startsWith('text/') ? '; charset=utf-8' : ''}`,
          'content-length': Buffer.byteLength(body),
          'cache-control': 'public, max-age=31536000, immutable',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      }) satisfies RouteHandler,
    ]),
  );
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** A value for an inline script: `<` escaped so no value can close it. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
