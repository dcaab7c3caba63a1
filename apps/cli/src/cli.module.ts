import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ConfigModule, ENVIRONMENT, type EnvironmentDto } from '#libs/infrastructure';
import { LedgerModule } from '#libs/ledger';

/**
 * What the CLI's trail commands run on: the same Config and Ledger modules as the auditor, so they connect as the
 * writer role and start-up fails, as the auditor's does, when that role is not in force.
 */
@Module({})
export class CliLedgerModule {
  static forRoot(environment?: EnvironmentDto): DynamicModule {
    return {
      module: CliLedgerModule,
      imports: [
        ConfigModule.forRoot(environment),
        LedgerModule.forRootAsync({
          inject: [ENVIRONMENT],
          useFactory: (env: EnvironmentDto) => ({
            databaseUrl: env.DATABASE_URL,
            topics: { flagged: env.FLAGGED_TOPIC, deadLetter: env.DLQ_TOPIC },
            poolSize: 2,
            applicationName: 'disclosure-audit-cli',
          }),
        }),
      ],
    };
  }
}

/** Runs `work` in a Nest application context of {@link CliLedgerModule}, closed afterwards. */
export async function withCliContext<T>(work: (context: INestApplicationContext) => Promise<T>): Promise<T> {
  // abortOnError off: a start-up failure (database down, wrong role) is thrown to the caller, not process.exit.
  const context = await NestFactory.createApplicationContext(CliLedgerModule.forRoot(), {
    logger: false,
    abortOnError: false,
  });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}
