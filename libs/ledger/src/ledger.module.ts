import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { assertWriterRole, createDataSource, type LedgerDataSourceOptions } from './data-source.js';
import { LEDGER_OUTPUT_TOPICS, LedgerRepository } from './ledger.repository.js';
import type { OutputTopics } from './ledger.types.js';

export interface LedgerModuleOptions extends Omit<LedgerDataSourceOptions, 'asWriter'> {
  databaseUrl: string;
  topics?: OutputTopics;
}

const LEDGER_DATA_SOURCE = Symbol('LEDGER_DATA_SOURCE');

@Injectable()
class LedgerDataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(LEDGER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Provides LedgerRepository on a DataSource that runs as the writer role. Start-up fails when the role is not in
 * force, rather than running with a connection that could alter the trail.
 */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerModuleOptions): DynamicModule {
    return {
      module: LedgerModule,
      providers: [
        {
          provide: LEDGER_DATA_SOURCE,
          useFactory: async (): Promise<DataSource> => {
            const dataSource = createDataSource(options.databaseUrl, { ...options, asWriter: true });
            await dataSource.initialize();
            try {
              await assertWriterRole(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        },
        { provide: LEDGER_OUTPUT_TOPICS, useValue: options.topics ?? null },
        {
          provide: LedgerRepository,
          useFactory: (dataSource: DataSource, topics: OutputTopics | null) =>
            new LedgerRepository(dataSource, topics ?? undefined),
          inject: [LEDGER_DATA_SOURCE, LEDGER_OUTPUT_TOPICS],
        },
        LedgerDataSourceCloser,
      ],
      exports: [LedgerRepository],
    };
  }
}
