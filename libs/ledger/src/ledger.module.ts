import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { OutputTopics } from './ledger.types.js';
import {
  assertWriterRole,
  createDataSource,
  type LedgerDataSourceOptions,
} from './persistence/data-source.js';
import { OutboxRepository } from './persistence/outbox.repository.js';
import { TrailAppendRepository } from './persistence/trail-append.repository.js';
import { TrailQueryRepository } from './persistence/trail-query.repository.js';

export interface LedgerModuleOptions extends Omit<LedgerDataSourceOptions, 'asWriter' | 'migrations'> {
  databaseUrl: string;
  topics?: OutputTopics;
}

export interface LedgerModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...injected: never[]) => LedgerModuleOptions;
}

const LEDGER_OPTIONS = Symbol('LEDGER_OPTIONS');
const LEDGER_DATA_SOURCE = Symbol('LEDGER_DATA_SOURCE');

@Injectable()
class LedgerDataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(LEDGER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Provides the ledger's repositories on one DataSource that runs as the writer role. Start-up fails when the role
 * is not in force, rather than running with a connection that could alter the trail.
 */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerModuleOptions): DynamicModule {
    return LedgerModule.forRootAsync({ useFactory: () => options });
  }

  /** Options from other providers, e.g. the validated environment. */
  static forRootAsync(options: LedgerModuleAsyncOptions): DynamicModule {
    return {
      module: LedgerModule,
      // One DataSource for the application: every feature module that imports nothing gets the same repositories.
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: LEDGER_OPTIONS,
          useFactory: options.useFactory as (...injected: unknown[]) => LedgerModuleOptions,
          inject: options.inject ?? [],
        },
        {
          provide: LEDGER_DATA_SOURCE,
          useFactory: async (ledgerOptions: LedgerModuleOptions): Promise<DataSource> => {
            const dataSource = createDataSource(ledgerOptions.databaseUrl, {
              ...ledgerOptions,
              asWriter: true,
            });
            await dataSource.initialize();
            try {
              await assertWriterRole(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
          inject: [LEDGER_OPTIONS],
        },
        {
          provide: TrailAppendRepository,
          useFactory: (dataSource: DataSource, ledgerOptions: LedgerModuleOptions) =>
            new TrailAppendRepository(dataSource, ledgerOptions.topics),
          inject: [LEDGER_DATA_SOURCE, LEDGER_OPTIONS],
        },
        {
          provide: TrailQueryRepository,
          useFactory: (dataSource: DataSource) => new TrailQueryRepository(dataSource),
          inject: [LEDGER_DATA_SOURCE],
        },
        {
          provide: OutboxRepository,
          useFactory: (dataSource: DataSource) => new OutboxRepository(dataSource),
          inject: [LEDGER_DATA_SOURCE],
        },
        LedgerDataSourceCloser,
      ],
      exports: [TrailAppendRepository, TrailQueryRepository, OutboxRepository],
    };
  }
}
