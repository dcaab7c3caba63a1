import { Cleanup, perSecond, ratio } from './bench-support.js';
import { copyTextRow } from './copy-limit.js';
import { auditorMessages } from './ours.js';
import { connectEnvelope, fillTemplate } from './peer-connect.js';
import { formatTable, parseBenchArgs, summaryJson, type BenchFigures } from './run-bench.js';

function figures(peer: BenchFigures['peer']): BenchFigures {
  return {
    options: { events: 1000, baselineEvents: 500, steadyRate: 2000, steadySeconds: 15, peer: true },
    ours: {
      eventsPerSec: 8000,
      seconds: 0.125,
      p50Ms: 40,
      p99Ms: 90,
      peakRssMb: 200,
      steady: { perSecond: 2000, events: 30000, p50Ms: 20, p99Ms: 60, maxMs: 80 },
    },
    baseline: { events: 500, eventsPerSec: 400, seconds: 1.25, peakRssMb: 120 },
    copy: { rows: 1000, rowsPerSec: 64000, seconds: 0.016 },
    peer,
  };
}

describe('bench arguments', () => {
  it('caps the baseline at 20,000 events unless told otherwise', () => {
    expect(parseBenchArgs([])).toMatchObject({ events: 200_000, baselineEvents: 20_000, peer: true });
    expect(parseBenchArgs(['--events', '5000'])).toMatchObject({ events: 5000, baselineEvents: 5000 });
    expect(parseBenchArgs(['--events', '5000', '--baseline-events', '100', '--no-peer'])).toMatchObject({
      baselineEvents: 100,
      peer: false,
    });
  });

  it('refuses counts that are not positive integers', () => {
    expect(() => parseBenchArgs(['--events', '0'])).toThrow('--events must be a positive integer');
    expect(() => parseBenchArgs(['--steady-rate', '1.5'])).toThrow('--steady-rate');
  });
});

describe('bench summary', () => {
  it('divides ours by each comparison and keeps the JSON keys the lead asked for', () => {
    const summary = summaryJson(
      figures({ eventsPerSec: 16000, eventsPerSecFromStart: 900, seconds: 1, tasks: 2, batchSize: 2000 }),
    );
    expect(summary).toMatchObject({
      events: 1000,
      oursEventsPerSec: 8000,
      baselineEventsPerSec: 400,
      peerEventsPerSec: 16000,
      copyRowsPerSec: 64000,
      oursOverBaseline: 20,
      oursOverPeer: 0.5,
      oursOverCopy: 0.13,
      p50Ms: 40,
      p99Ms: 90,
      auditorPeakRssMb: 200,
    });
  });

  it('reports a peer that failed as null and says why in the table', () => {
    const failed = figures({ failed: 'mvn could not fetch the Connect jars' });
    expect(summaryJson(failed)).toMatchObject({ peerEventsPerSec: null, oursOverPeer: null });
    expect(formatTable(failed)).toContain('did not run: mvn could not fetch the Connect jars');
  });

  it('computes rates and ratios without dividing by zero', () => {
    expect(perSecond(3000, 1500)).toBe(2000);
    expect(perSecond(10, 0)).toBe(0);
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(5, 0)).toBeNull();
  });
});

describe('bench payloads', () => {
  it('keys auditor messages by subject.ref and leaves unparseable lines unkeyed', () => {
    const messages = auditorMessages(20);
    expect(messages[0].key).toBe('SUBJ-00000000');
    expect(messages[19].key).toBeNull();
    expect(messages.filter((message) => message.key === null)).toHaveLength(1);
  });

  it('wraps an event in a Connect JSON envelope whose schema marks uuid and json fields', () => {
    const envelope = JSON.parse(connectEnvelope('6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11', '{"a":1}')) as {
      schema: { fields: { field: string; name: string }[] };
      payload: Record<string, string>;
    };
    expect(envelope.schema.fields.map((field) => [field.field, field.name])).toEqual([
      ['event_id', 'io.debezium.data.Uuid'],
      ['event', 'io.debezium.data.Json'],
    ]);
    expect(envelope.payload).toEqual({ event_id: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11', event: '{"a":1}' });
  });

  it('fills every placeholder of a properties template and refuses an unknown one', () => {
    expect(fillTemplate('a=@ONE@\nb=@TWO@', { ONE: 1, TWO: 'x' })).toBe('a=1\nb=x');
    expect(() => fillTemplate('a=@MISSING@', {})).toThrow('no value for @MISSING@');
  });

  it('escapes backslashes for COPY text format so JSON escapes survive', () => {
    expect(copyTextRow('id', '{"a":"x\\"y"}')).toBe('id\t{"a":"x\\\\"y"}\n');
  });
});

describe('cleanup', () => {
  it('runs every step in reverse order even when one fails', async () => {
    const ran: string[] = [];
    const cleanup = new Cleanup();
    cleanup.add('first', () => {
      ran.push('first');
    });
    cleanup.add('broken', () => {
      throw new Error('boom');
    });
    cleanup.add('last', () => {
      ran.push('last');
    });
    const reported: string[] = [];
    const originalError = console.error;
    console.error = (message: string) => reported.push(message);
    try {
      await cleanup.runAll();
    } finally {
      console.error = originalError;
    }
    expect(ran).toEqual(['last', 'first']);
    expect(reported).toEqual([expect.stringContaining('cleanup "broken" failed: boom')]);
  });
});
