// PostGraphile 4 on the benchmark database, as a production deployment would run it: no GraphiQL,
// no query log, the simplify inflector (contacts, not allContacts). Started by bench/peer.ts with
// DATABASE_URL and PORT; prints "ready" once it serves.
const { createServer } = require('node:http');
const { postgraphile } = require('postgraphile');
const PgSimplifyInflectorPlugin = require('@graphile-contrib/pg-simplify-inflector');

const middleware = postgraphile(process.env.DATABASE_URL, 'public', {
  appendPlugins: [PgSimplifyInflectorPlugin],
  disableQueryLog: true,
  graphiql: false,
  watchPg: false,
  retryOnInitFail: false,
  extendedErrors: [],
  setofFunctionsContainNulls: false,
});

createServer(middleware).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
