import {
  CAUSATION_ID_KEY,
  CORRELATION_ID_HEADER,
  CorrelationContext,
  loggerParams,
} from '@app/correlation';
import { MetricsModule } from '@app/telemetry';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import type { BaseConfig } from '../config/base-config.schema';
import { DatabaseModule } from '../database/database.module';
import { type DatabaseModuleOptions } from '../database/database.tokens';
import { DrizzleTransactionsAdapter } from '../database/drizzle-transactions.adapter';
import { TransactionStatements } from '../database/transaction-statements';
import { clsRootModule } from './cls-root';
import { ServiceLifecycle } from './service-lifecycle';

/** The service's name (`order`, `payment`, …), as given to `PlatformModule.forRoot`. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

export interface PlatformModuleOptions {
  service: string;
  database: Omit<DatabaseModuleOptions, 'applicationName'>;
}

/**
 * What every service stands on: JSON logs carrying the correlation id, a CLS context per
 * request (and per message, opened by the consumers), the database with its migrations,
 * CLS-bound transactions that the outbox writer and the inbox join, and /metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const database = DatabaseModule.forRoot({
      ...options.database,
      applicationName: options.service,
    });
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<BaseConfig, true>) =>
            loggerParams({
              service: options.service,
              level: config.get('LOG_LEVEL', { infer: true }),
              format: config.get('LOG_FORMAT', { infer: true }),
            }),
        }),
        clsRootModule({
          global: true,
          middleware: {
            mount: true,
            generateId: true,
            idGenerator: (req: Request) => String(req.headers[CORRELATION_ID_HEADER]),
            setup: (cls) => cls.set(CAUSATION_ID_KEY, cls.getId()),
          },
          plugins: [
            new ClsPluginTransactional({
              imports: [database],
              adapter: new DrizzleTransactionsAdapter(),
            }),
          ],
        }),
        database,
        MetricsModule,
      ],
      providers: [
        CorrelationContext,
        ServiceLifecycle,
        TransactionStatements,
        { provide: SERVICE_NAME, useValue: options.service },
      ],
      exports: [CorrelationContext, ServiceLifecycle, TransactionStatements, SERVICE_NAME],
    };
  }
}
