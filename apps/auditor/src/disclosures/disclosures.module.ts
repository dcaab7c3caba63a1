import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';

import { ENVIRONMENT, type EnvironmentDto } from '#libs/infrastructure';
import { defaultRegisterDir, loadRegister, type Register } from '#libs/register';

import { LOGGER, REGISTER } from '../auditor.tokens.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { DisclosureBatchController } from './disclosure-batch.controller.js';
import { RecordDisclosuresUseCase } from './record-disclosures.use-case.js';
import { MessageJudge } from './services/message-judge.service.js';

/** Says which register the auditor judges against, once it is loaded. */
@Injectable()
class RegisterAnnouncer implements OnModuleInit {
  constructor(
    @Inject(REGISTER) private readonly register: Register,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const { latestVersion } = this.register;
    this.logger.info(
      {
        register: this.register.directory,
        version: latestVersion.id,
        contentHash: latestVersion.contentHash,
      },
      'register loaded',
    );
  }
}

/** Judges each batch of the disclosures topic against the register and records it in the trail. */
@Module({
  imports: [OutboxModule],
  controllers: [DisclosureBatchController],
  providers: [
    {
      provide: REGISTER,
      useFactory: (environment: EnvironmentDto) =>
        loadRegister(environment.REGISTER_DIR ?? defaultRegisterDir()),
      inject: [ENVIRONMENT],
    },
    RegisterAnnouncer,
    MessageJudge,
    RecordDisclosuresUseCase,
  ],
})
export class DisclosuresModule {}
