import { flushLogsThen } from '@app/correlation';
import { shutdownTracing, tracingProblems } from '@app/telemetry';
import { Logger, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { BaseConfig } from '../config/base-config.schema';
import { takeConfigNotices } from '../config/validate-config';
import { configureHttpApp } from './configure-http-app';
import { connectMessageTransport, startMessageTransport } from './message-transport';
import { ServiceLifecycle } from './service-lifecycle';
import { errorMessage, oneErrorLine } from '../error-message';

/** Extra time, past SHUTDOWN_TIMEOUT_MS, for connections to close before giving up. */
const CLOSE_GRACE_MS = 5_000;

/**
 * Boots a service and serves it until SIGTERM/SIGINT. A bad configuration or an unreachable
 * dependency stops boot with one readable line and exit code 1. On a signal, readiness goes
 * down, consumers stop and drain, connections close, and the process exits with code 0.
 */
export async function runService(rootModule: Type<unknown>, service: string): Promise<void> {
  let app;
  try {
    // Silent until the JSON logger takes over: a failed boot then prints one readable line
    // below instead of Nest's stack trace.
    app = await NestFactory.create(rootModule, {
      logger: false,
      bodyParser: false,
      abortOnError: false,
    });
    configureHttpApp(app);
    // Before the broker and the database are waited for: a misspelled URL's variable is why the
    // default one may not answer.
    for (const notice of takeConfigNotices()) new Logger(service).warn(notice);
    connectMessageTransport(app);
    await startMessageTransport(app);
    const config = app.get<ConfigService<BaseConfig, true>>(ConfigService);
    const port = config.get('PORT', { infer: true });
    await app.listen(port);
    // The runtime in the first line an operator reads: `engines` admits more than one Node.js LTS.
    new Logger(service).log(`Listening on port ${port} (Node.js ${process.version})`);
    tracingProblems.listen((text) => new Logger('Tracing').warn(text));
  } catch (error) {
    for (const notice of takeConfigNotices()) process.stderr.write(`${service}: ${notice}\n`);
    process.stderr.write(`${service} failed to start: ${oneErrorLine(error)}\n`);
    await app?.close().catch(() => undefined);
    exitAfterFlush(1);
    return;
  }
  const started = app;
  const logger = new Logger(service);
  const timeoutMs = started
    .get<ConfigService<BaseConfig, true>>(ConfigService)
    .get('SHUTDOWN_TIMEOUT_MS', { infer: true });
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.log(`${signal} received: draining and shutting down`);
    started.get(ServiceLifecycle).beginShutdown();
    setTimeout(() => {
      logger.error('Shutdown did not finish in time; exiting');
      exitAfterFlush(1);
    }, timeoutMs + CLOSE_GRACE_MS).unref();
    started
      .close()
      .then(shutdownTracing)
      .then(() => {
        logger.log('Shut down cleanly');
        exitAfterFlush(0);
      })
      .catch((error: unknown) => {
        logger.error(`Shutdown failed: ${errorMessage(error)}`);
        exitAfterFlush(1);
      });
  };
  onStopSignals(shutdown, logger);
}

/**
 * The first SIGTERM or SIGINT drains; a second one (Ctrl-C again, SIGINT after SIGTERM) asks
 * not to wait: what is in flight stays unacked, and the broker delivers it again.
 */
function onStopSignals(shutdown: (signal: NodeJS.Signals) => void, logger: Logger): void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!draining) {
      draining = true;
      shutdown(signal);
      return;
    }
    logger.warn(`${signal} received again: exiting without waiting for the drain`);
    exitAfterFlush(1);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Log lines are written asynchronously: send what is pending, in order, before the end. */
function exitAfterFlush(code: number): void {
  flushLogsThen(() => process.exit(code));
}
