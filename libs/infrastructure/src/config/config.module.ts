import { Module, type DynamicModule } from '@nestjs/common';

import { loadEnvironment, type EnvironmentDto } from './environment.dto.js';

/** The injection token of the validated environment (an {@link EnvironmentDto}). */
export const ENVIRONMENT = Symbol('ENVIRONMENT');

/**
 * Provides the validated environment to every module. It is validated once, when the application is built: from
 * the given DTO (tests, embedding) or from process.env, so a bad variable stops start-up with a clear message.
 */
@Module({})
export class ConfigModule {
  static forRoot(environment?: EnvironmentDto): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: ENVIRONMENT, useFactory: () => environment ?? loadEnvironment() }],
      exports: [ENVIRONMENT],
    };
  }
}
