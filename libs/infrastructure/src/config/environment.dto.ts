import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { TOPICS } from '#libs/contracts';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

/** The services' configuration, read from the environment and validated at boot. */
export class EnvironmentDto {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  @IsString()
  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS: string = DEFAULT_KAFKA_BROKERS;

  @IsString()
  @IsNotEmpty()
  DISCLOSURES_TOPIC: string = TOPICS.disclosures;

  @IsString()
  @IsNotEmpty()
  FLAGGED_TOPIC: string = TOPICS.flagged;

  @IsString()
  @IsNotEmpty()
  DLQ_TOPIC: string = TOPICS.deadLetter;

  @IsString()
  @IsNotEmpty()
  KAFKA_GROUP_ID: string = 'disclosure-auditor';

  @IsString()
  @IsNotEmpty()
  KAFKA_CLIENT_ID: string = 'disclosure-auditor';

  @IsOptional()
  @IsString()
  REGISTER_DIR?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3000;

  @IsString()
  @IsNotEmpty()
  HTTP_HOST: string = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20000)
  /** Messages written to the trail per database transaction. */
  BATCH_MAX_MESSAGES: number = 2000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  /** Partitions processed at once by one auditor instance. */
  PARTITIONS_CONCURRENTLY: number = 6;

  @Transform(toInt)
  @IsInt()
  @Min(6000)
  @Max(300000)
  /** How long the broker waits for a silent instance before giving its partitions to the others. */
  KAFKA_SESSION_TIMEOUT_MS: number = 30_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';
}

/** Thrown at boot when the environment is invalid; the message names every bad variable. */
export class EnvironmentException extends Error {
  override name = 'EnvironmentException';
}

/** Reads and validates the environment; throws EnvironmentException naming each invalid variable. */
export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): EnvironmentDto {
  const known = Object.keys(new EnvironmentDto());
  const provided = Object.fromEntries(
    Object.entries(env).filter(
      ([key, value]) => (known.includes(key) || key === 'REGISTER_DIR') && value !== '',
    ),
  );
  const config = plainToInstance(EnvironmentDto, provided);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const problems = errors.flatMap((error) =>
      Object.values(error.constraints ?? {}).map(
        (message) => `  - ${error.property}=${JSON.stringify(env[error.property])}: ${message}`,
      ),
    );
    throw new EnvironmentException(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return config;
}
