import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BASELINE_REPOSITORY, BaselineController } from './baseline.controller.js';
import { BaselineDisclosure, CREATE_BASELINE_TABLE } from './baseline-disclosure.entity.js';

@Module({})
export class BaselineModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: BaselineModule,
      controllers: [BaselineController],
      providers: [
        {
          provide: DataSource,
          useFactory: async () => {
            const dataSource = new DataSource({
              type: 'postgres',
              url: databaseUrl,
              entities: [BaselineDisclosure],
              synchronize: false,
            });
            await dataSource.initialize();
            await dataSource.query(CREATE_BASELINE_TABLE);
            return dataSource;
          },
        },
        {
          provide: BASELINE_REPOSITORY,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => dataSource.getRepository(BaselineDisclosure),
        },
      ],
    };
  }
}
