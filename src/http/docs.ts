// GET /docs (REST.md, The API description): a readable reference of the REST API, Swagger UI
// rendering GET /openapi.json. The page, its script, style and icon all come from the service
// (swagger-ui-dist's files, under a path naming its version), so it works with no internet; the
// online validator badge Swagger UI would call is turned off.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Asset, assetRoutes, scriptJson } from './assets.js';
import type { RouteHandler } from './respond.js';
import { RestError, sendErrors } from './rest/errors.js';

const require = createRequire(import.meta.url);
const PACKAGE = dirname(require.resolve('swagger-ui-dist/package.json'));
const { version } = require('swagger-ui-dist/package.json') as { version: string };

export const DOCS_ASSETS_BASE = `/docs/swagger-ui/${version}`;

const FILES = {
  'swagger-ui-bundle.js': 'text/javascript',
  'swagger-ui.css': 'text/css',
  'favicon-32x32.png': 'image/png',
} as const;
type Bundle = Record<keyof typeof FILES, Buffer>;

const ASSETS = Object.fromEntries(
  Object.entries(FILES).map(([name, type]) => [name, { type, body: (bundle: Bundle) => bundle[name as keyof Bundle] }]),
) as Record<string, Asset<Bundle>>;

// About 1.5 MB: read on the first request for the page's files, not at start.
async function load(): Promise<Bundle> {
  const entries = await Promise.all(Object.keys(FILES).map(async (name) => [name, await readFile(join(PACKAGE, name))] as const));
  return Object.fromEntries(entries) as Bundle;
}

const OPTIONS = {
  url: '/openapi.json',
  dom_id: '#reference',
  // Swagger UI otherwise sends the document to validator.swagger.io for a badge.
  validatorUrl: null,
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Contacts REST API</title>
    <link rel="icon" type="image/png" href="${DOCS_ASSETS_BASE}/favicon-32x32.png" />
    <link rel="stylesheet" href="${DOCS_ASSETS_BASE}/swagger-ui.css" />
  </head>
  <body>
    <noscript>The API reference needs JavaScript; the document itself is at /openapi.json.</noscript>
    <div id="reference"></div>
    <script src="${DOCS_ASSETS_BASE}/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle(Object.assign(${scriptJson(OPTIONS)}, { presets: [SwaggerUIBundle.presets.apis] }));
    </script>
  </body>
</html>
`;

/** The page (no key needed, as for openapi.json) and the files it loads. */
export function docsRoutes(): Record<string, RouteHandler> {
  return {
    '/docs': (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const message = `${req.method} is not allowed here: use GET`;
        return sendErrors(res, new RestError(405, [{ code: 'METHOD_NOT_ALLOWED', message }], { allow: 'GET, HEAD' }));
      }
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(PAGE),
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : PAGE);
    },
    ...assetRoutes(DOCS_ASSETS_BASE, ASSETS, load),
  };
}
