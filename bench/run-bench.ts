/**
 * `npm run bench [-- --events N]`: the auditor's throughput side by side with a straightforward NestJS baseline,
 * Kafka Connect + Debezium JDBC sink (the peer) and plain COPY (the physical limit), on the local broker and
 * Postgres. Prints a table and, as its last line, one JSON object. docs/performance.md explains the figures.
 */
import { parseArgs } from 'node:util';
import { runBaseline, type BaselineResult } from './baseline-stage.js';
import { Cleanup, describeError, ensureBroker, ratio, stopBroker } from './bench-support.js';
import { runCopyLimit, type CopyResult } from './copy-limit.js';
import { runOurs, type OursResult } from './ours.js';
import { runPeer, type PeerResult } from './peer-connect.js';

export interface BenchOptions {
  events: number;
  baselineEvents: number;
  steadyRate: number;
  steadySeconds: number;
  peer: boolean;
}

export function parseBenchArgs(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '200000' },
      'baseline-events': { type: 'string' },
      'steady-rate': { type: 'string', default: '2000' },
      'steady-seconds': { type: 'string', default: '15' },
      'no-peer': { type: 'boolean', default: false },
    },
  });
  const events = positiveInteger('--events', values.events);
  return {
    events,
    // One save() per message is slow enough that the full run would take many minutes; the rate is steady anyway.
    baselineEvents: positiveInteger(
      '--baseline-events',
      values['baseline-events'] ?? String(Math.min(events, 20_000)),
    ),
    steadyRate: positiveInteger('--steady-rate', values['steady-rate']),
    steadySeconds: positiveInteger('--steady-seconds', values['steady-seconds']),
    peer: !values['no-peer'],
  };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${flag} must be a positive integer, not ${text}`);
  return value;
}

export interface BenchFigures {
  options: BenchOptions;
  ours: OursResult;
  baseline: BaselineResult;
  copy: CopyResult;
  peer: PeerResult | { failed: string } | { skipped: true };
}

export function summaryJson(figures: BenchFigures): Record<string, number | null> {
  const { ours, baseline, copy, peer } = figures;
  const peerRate = 'eventsPerSec' in peer ? peer.eventsPerSec : null;
  return {
    events: figures.options.events,
    oursEventsPerSec: ours.eventsPerSec,
    baselineEventsPerSec: baseline.eventsPerSec,
    baselineEvents: baseline.events,
    peerEventsPerSec: peerRate,
    copyRowsPerSec: copy.rowsPerSec,
    oursOverBaseline: ratio(ours.eventsPerSec, baseline.eventsPerSec),
    oursOverPeer: ratio(ours.eventsPerSec, peerRate),
    oursOverCopy: ratio(ours.eventsPerSec, copy.rowsPerSec),
    p50Ms: ours.p50Ms,
    p99Ms: ours.p99Ms,
    steadyRatePerSec: ours.steady.perSecond,
    steadyP50Ms: ours.steady.p50Ms,
    steadyP99Ms: ours.steady.p99Ms,
    auditorPeakRssMb: ours.peakRssMb,
  };
}

export function formatTable(figures: BenchFigures): string {
  const { options, ours, baseline, copy, peer } = figures;
  const number = (value: number) => value.toLocaleString('en-GB');
  const peerRow =
    'eventsPerSec' in peer
      ? [
          'peer: Kafka Connect + Debezium JDBC sink',
          number(options.events),
          number(peer.eventsPerSec),
          `upsert, ${peer.tasks} tasks, batch ${peer.batchSize}; first to last row (${number(peer.eventsPerSecFromStart)}/s incl. JVM start)`,
        ]
      : [
          'peer: Kafka Connect + Debezium JDBC sink',
          number(options.events),
          'n/a',
          'failed' in peer ? `did not run: ${peer.failed}` : 'skipped (--no-peer)',
        ];
  const rows = [
    ['what', 'events', 'events/s', 'notes'],
    [
      'ours: auditor (dist/apps/auditor)',
      number(options.events),
      number(ours.eventsPerSec),
      `first publish to last commit, ${ours.seconds.toFixed(1)} s; peak RSS ${ours.peakRssMb ?? '?'} MiB`,
    ],
    [
      'baseline: stock Nest Kafka + save()',
      number(baseline.events),
      number(baseline.eventsPerSec),
      `first publish to last row, ${baseline.seconds.toFixed(1)} s; peak RSS ${baseline.peakRssMb ?? '?'} MiB`,
    ],
    peerRow,
    [
      'limit: COPY into Postgres',
      number(copy.rows),
      number(copy.rowsPerSec),
      'no Kafka, no checks, one transaction',
    ],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row.map((cell, column) => (column === 3 ? cell : cell.padEnd(widths[column]))).join('  '),
  );
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  lines.push(
    '',
    `ours, latency publish -> commit under full load: p50 ${ours.p50Ms} ms, p99 ${ours.p99Ms} ms`,
    `ours, latency at a steady ${number(ours.steady.perSecond)} events/s for ${options.steadySeconds} s: ` +
      `p50 ${ours.steady.p50Ms} ms, p99 ${ours.steady.p99Ms} ms, max ${ours.steady.maxMs} ms (goal p99 < 250 ms)`,
    `ours over baseline ${ratio(ours.eventsPerSec, baseline.eventsPerSec) ?? 'n/a'}x, over peer ` +
      `${ratio(ours.eventsPerSec, 'eventsPerSec' in peer ? peer.eventsPerSec : null) ?? 'n/a'}x, ` +
      `${ratio(ours.eventsPerSec, copy.rowsPerSec) ?? 'n/a'}x of COPY`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const cleanup = new Cleanup();
  const interrupted = () => {
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  // A stray error in a client library must still drop this run's databases and topics.
  process.once('uncaughtException', (error) => {
    console.error(`bench: failed: ${describeError(error)}`);
    void cleanup.runAll().finally(() => process.exit(1));
  });
  let startedBroker = false;
  try {
    startedBroker = ensureBroker();
    if (startedBroker) cleanup.add('stop the broker this run started', stopBroker);
    console.log(`bench: ${options.events} events; COPY limit ...`);
    const copy = await runCopyLimit(options.events, cleanup);
    console.log(`bench: COPY ${copy.rowsPerSec}/s; auditor ...`);
    const ours = await runOurs(options.events, options.steadyRate, options.steadySeconds, cleanup);
    console.log(`bench: auditor ${ours.eventsPerSec}/s; baseline (${options.baselineEvents} events) ...`);
    const baseline = await runBaseline(options.baselineEvents, cleanup);
    console.log(`bench: baseline ${baseline.eventsPerSec}/s; peer ...`);
    let peer: BenchFigures['peer'] = { skipped: true };
    if (options.peer) {
      try {
        peer = await runPeer(options.events, cleanup);
      } catch (error) {
        peer = { failed: describeError(error) };
      }
    }
    const figures: BenchFigures = { options, ours, baseline, copy, peer };
    console.log(`\n${formatTable(figures)}`);
    await cleanup.runAll();
    console.log(JSON.stringify(summaryJson(figures)));
  } catch (error) {
    console.error(`bench: failed: ${describeError(error)} (child logs in .cache/bench/)`);
    await cleanup.runAll();
    process.exitCode = 1;
  }
}

const isEntryPoint =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntryPoint) await main();
