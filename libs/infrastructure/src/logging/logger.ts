import { createHash } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Fields that may carry personal data. Subject references are replaced by a short, stable fingerprint so that
 * log lines about one person can still be correlated without revealing the reference itself.
 */
export const REDACTED_PATHS = [
  'subject.ref',
  '*.subject.ref',
  '*.*.subject.ref',
  'subjectRef',
  '*.subjectRef',
  'actor.id',
  '*.actor.id',
  '*.*.actor.id',
  'event',
  '*.event',
  'raw',
  '*.raw',
  'value',
  '*.value',
];

/** A short, stable fingerprint of a subject reference, for logs. */
export function maskSubjectRef(ref: unknown): string {
  return `[masked ${createHash('sha256').update(String(ref)).digest('hex').slice(0, 8)}]`;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'disclosure-audit' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: REDACTED_PATHS,
        censor: (value, path) =>
          path[path.length - 1] === 'ref' || path[path.length - 1] === 'subjectRef'
            ? maskSubjectRef(value)
            : '[redacted]',
      },
    },
    destination,
  );
}

/** Lets NestJS write its own log lines through pino, as structured JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...context: unknown[]): void {
    this.write('info', message, context);
  }
  error(message: unknown, ...context: unknown[]): void {
    this.write('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.write('trace', message, context);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace',
    message: unknown,
    context: unknown[],
  ): void {
    const scope =
      typeof context[context.length - 1] === 'string' ? (context[context.length - 1] as string) : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context: scope, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context: scope, ...message });
    } else {
      this.logger[level]({ context: scope }, String(message));
    }
  }
}
