import { Writable } from 'node:stream';

import { createLogger } from '#libs/infrastructure';
import {
  LedgerErrorCode,
  LedgerException,
  type AppendResult,
  type LedgerRecord,
  type TrailAppendRepository,
} from '#libs/ledger';
import { defaultRegisterDir, loadRegister } from '#libs/register';
import { disclosureEvent } from '#libs/testing';

import { AuditorMetrics } from '../observability/auditor-metrics.js';
import type { OutboxRelay } from '../outbox/outbox-relay.service.js';
import {
  InvalidRecordDisclosuresCommand,
  RecordDisclosuresCommand,
  type DisclosureMessage,
} from './dtos/record-disclosures.command.js';
import {
  internalErrorReason,
  recoveryFrom,
  RecordDisclosuresUseCase,
} from './record-disclosures.use-case.js';
import { MessageJudge } from './services/message-judge.service.js';

const register = loadRegister(defaultRegisterDir());

function message(offset: number, value: string): DisclosureMessage {
  return {
    offset: String(offset),
    timestamp: '1796000000000',
    key: null,
    value: Buffer.from(value),
    headers: {},
  };
}

const EMPTY_RESULT: AppendResult = { appended: 0, duplicates: 0, redelivered: 0, conflicts: 0, entries: [] };

/** A trail that fails the first calls with the given exceptions, then records what it is given. */
class ScriptedTrail {
  readonly calls: LedgerRecord[][] = [];
  constructor(private readonly failures: LedgerException[]) {}

  async appendBatch(records: readonly LedgerRecord[]): Promise<AppendResult> {
    this.calls.push([...records]);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    return { ...EMPTY_RESULT, appended: records.length };
  }
}

function useCase(trail: ScriptedTrail, judge: MessageJudge = new MessageJudge(register)) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    }),
  );
  const metrics = new AuditorMetrics();
  const outbox = { wake: () => undefined } as unknown as OutboxRelay;
  const recorder = new RecordDisclosuresUseCase(
    trail as unknown as TrailAppendRepository,
    judge,
    metrics,
    outbox,
    logger,
  );
  return { recorder, lines, metrics };
}

describe('recoveryFrom', () => {
  it.each(Object.values(LedgerErrorCode))(
    'retries %s exactly when the exception says it is retryable',
    (code) => {
      const error = new LedgerException(code, 'x');

      const recovery = recoveryFrom(error, 1);

      expect(recovery.kind === 'retry').toBe(error.retryable);
    },
  );

  it('gives up after the fifth attempt', () => {
    const error = new LedgerException(LedgerErrorCode.CONCURRENT_WRITE, 'x');

    expect(recoveryFrom(error, 4).kind).toBe('retry');
    expect(recoveryFrom(error, 5).kind).toBe('fail');
  });

  it('rejects the one record the ledger names as invalid, and fails when it names none', () => {
    expect(
      recoveryFrom(new LedgerException(LedgerErrorCode.INVALID_RECORD, 'x', { recordIndex: 2 }), 1),
    ).toEqual({
      kind: 'reject-record',
      index: 2,
    });
    expect(recoveryFrom(new LedgerException(LedgerErrorCode.INVALID_RECORD, 'x'), 1)).toEqual({
      kind: 'fail',
    });
  });
});

describe('internalErrorReason', () => {
  it('names the error by its first line, without the stack', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'notices')\nsecond line");

    const reason = internalErrorReason(error);

    expect(reason).toBe("internal error: Cannot read properties of undefined (reading 'notices')");
    expect(reason).not.toMatch(/\n|\s+at\s/);
  });
});

describe('RecordDisclosuresCommand', () => {
  it.each([
    ['an empty topic', () => new RecordDisclosuresCommand('', 0, [], 0)],
    ['a negative partition', () => new RecordDisclosuresCommand('t', -1, [], 0)],
    [
      'an offset that is not decimal',
      () => new RecordDisclosuresCommand('t', 0, [message(0, 'x'), { ...message(1, 'x'), offset: '1e3' }], 0),
    ],
  ])('refuses %s', (_what, make) => {
    expect(make).toThrow(InvalidRecordDisclosuresCommand);
  });
});

describe('RecordDisclosuresUseCase', () => {
  const events = [disclosureEvent(), disclosureEvent(), disclosureEvent()];
  const command = () =>
    new RecordDisclosuresCommand(
      'disclosures.v1',
      4,
      events.map((event, index) => message(10 + index, JSON.stringify(event))),
      0,
    );

  it('tries the same batch again after a concurrent write, and records it', async () => {
    const trail = new ScriptedTrail([new LedgerException(LedgerErrorCode.CONCURRENT_WRITE, 'clash')]);
    const { recorder, lines } = useCase(trail);

    const result = await recorder.execute(command());

    expect(result.appended).toBe(3);
    expect(trail.calls).toHaveLength(2);
    expect(trail.calls[1]).toEqual(trail.calls[0]);
    expect(lines.filter((line) => line.level === 40)).toHaveLength(1);
  });

  it('does not retry what cannot succeed again: the writer role missing', async () => {
    const trail = new ScriptedTrail([new LedgerException(LedgerErrorCode.WRITER_ROLE_NOT_ACTIVE, 'role')]);
    const { recorder } = useCase(trail);

    await expect(recorder.execute(command())).rejects.toMatchObject({
      code: LedgerErrorCode.WRITER_ROLE_NOT_ACTIVE,
    });
    expect(trail.calls).toHaveLength(1);
  });

  it('records a record the ledger refuses as rejected (internal error) and keeps its neighbours', async () => {
    const trail = new ScriptedTrail([
      new LedgerException(LedgerErrorCode.INVALID_RECORD, 'record 1: event is not plain JSON', {
        recordIndex: 1,
      }),
    ]);
    const { recorder, metrics } = useCase(trail);

    await recorder.execute(command());

    const [, retried] = trail.calls;
    expect(retried.map((record) => record.kind)).toEqual(['disclosure', 'rejected', 'disclosure']);
    expect(retried[1].errors).toEqual(['internal error: record 1: event is not plain JSON']);
    expect(retried[1].raw.toString()).toBe(JSON.stringify(events[1]));
    expect(await metrics.registry.getSingleMetricAsString('disclosure_audit_internal_errors_total')).toMatch(
      /disclosure_audit_internal_errors_total 1$/m,
    );
  });

  it('records a message whose judging throws as rejected, logs it at error level, and records the others', async () => {
    class ThrowingOnSecond extends MessageJudge {
      override judge(candidate: DisclosureMessage) {
        if (candidate.offset === '11') throw new RangeError('checker bug');
        return super.judge(candidate);
      }
    }
    const trail = new ScriptedTrail([]);
    const { recorder, lines } = useCase(trail, new ThrowingOnSecond(register));

    await recorder.execute(command());

    const [records] = trail.calls;
    expect(records.map((record) => [record.kind, record.eventId])).toEqual([
      ['disclosure', events[0].eventId],
      ['rejected', null],
      ['disclosure', events[2].eventId],
    ]);
    expect(records[1].errors).toEqual(['internal error: checker bug']);
    const errors = lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ topic: 'disclosures.v1', partition: 4, offset: '11' });
  });
});
