// `npm start`: the service, until SIGTERM or SIGINT.
import { startService } from './app.js';
import { loadConfig } from './config.js';
import { log, setLogLevel } from './log.js';
import { exitWithReason } from './startup-errors.js';

try {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  const service = await startService(config);

  if (service.bootstrapKey) {
    // Printed once: only the hash is kept.
    process.stdout.write(
      `\nA default account was created. Its API key (shown only this once):\n\n    ${service.bootstrapKey}\n\n` +
        `Send it as "Authorization: Bearer ${service.bootstrapKey}".\n`,
    );
  }
  process.stdout.write(`GraphiQL: ${service.url}/graphql\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('error while stopping', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  exitWithReason(error);
}
