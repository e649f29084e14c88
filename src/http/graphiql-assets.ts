// GraphiQL served by the service itself: its page and every script, style and worker it loads
// come from routes here, so it works on a network with no internet (Yoga's own page loads them
// from a CDN). The bundle is @graphql-yoga/render-graphiql's, the build Yoga ships for this.
import { createRequire } from 'node:module';
import type { GraphiQLOptions } from 'graphql-yoga';
import { type Asset, assetRoutes, escapeHtml, scriptJson } from './assets.js';
import type { RouteHandler } from './respond.js';

type Bundle = typeof import('@graphql-yoga/render-graphiql/graphiql');

const { version } = createRequire(import.meta.url)('@graphql-yoga/render-graphiql/package.json') as { version: string };

/** The version in the path lets browsers keep the files for good (`immutable`). */
const BASE = `/graphiql/${version}`;

const ASSETS: Record<string, Asset<Bundle>> = {
  'yoga-graphiql.js': { type: 'text/javascript', body: (b) => b.js },
  'graphiql.css': { type: 'text/css', body: (b) => b.css },
  'editor.worker.js': { type: 'text/javascript', body: (b) => b.editorWorkerService },
  'json.worker.js': { type: 'text/javascript', body: (b) => b.jsonWorker },
  'graphql.worker.js': { type: 'text/javascript', body: (b) => b.graphqlWorker },
  'favicon.ico': { type: 'image/x-icon', body: (b) => Buffer.from(b.favicon.slice(b.favicon.indexOf(',') + 1), 'base64') },
};

// About 9 MB of text: loaded on the first request for GraphiQL, not at start.
export function graphiqlAssetRoutes(): Record<string, RouteHandler> {
  return assetRoutes(BASE, ASSETS, () => import('@graphql-yoga/render-graphiql/graphiql'));
}

/** Yoga's `renderGraphiQL`: the package's page, pointing at the routes above. */
export function renderLocalGraphiql(options: GraphiQLOptions): string {
  const workers = { editorWorkerService: 'editor', json: 'json', graphql: 'graphql' };
  const workerUrls = Object.fromEntries(Object.entries(workers).map(([label, file]) => [label, `${BASE}/${file}.worker.js`]));
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${BASE}/favicon.ico" />
    <link rel="stylesheet" href="${BASE}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(workerUrls)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
    </script>
    <script src="${BASE}/yoga-graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}
