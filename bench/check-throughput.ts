/**
 * Checker throughput on one core: `npm run bench:check [-- --events N]`.
 * Measures the pure checker (valid events) and the whole judgement of a raw message (parse + validate + check).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkDisclosure, judgeMessage } from '#libs/checker';
import { loadRegister } from '#libs/register';
import { mixedEvent, mixedLine } from './event-mix.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' } } });
const count = Number(values.events);
const register = loadRegister(resolve(process.cwd(), 'register'));

function measure(label: string, run: (index: number) => string): number {
  for (let index = 0; index < Math.min(count, 20_000); index++) run(index); // warm-up for the JIT
  const verdicts = new Map<string, number>();
  const started = process.hrtime.bigint();
  for (let index = 0; index < count; index++) {
    const verdict = run(index);
    verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = Math.round(count / seconds);
  const mix = [...verdicts.entries()].map(([verdict, n]) => `${verdict} ${n}`).join(', ');
  console.log(
    `${label.padEnd(34)} ${count} events in ${seconds.toFixed(2)} s = ${perSecond.toLocaleString('en-GB')} events/s (${mix})`,
  );
  return perSecond;
}

const events = Array.from({ length: Math.min(count, 50_000) }, (_, index) => mixedEvent(index));
const lines = Array.from({ length: Math.min(count, 50_000) }, (_, index) => mixedLine(index));
console.log(`node ${process.version}, one core, register version ${register.latestVersion.id}`);
const checker = measure(
  'checkDisclosure (valid events)',
  (index) => checkDisclosure(events[index % events.length], register).verdict,
);
const judged = measure(
  'judgeMessage (parse+validate+check)',
  (index) => judgeMessage(lines[index % lines.length], register, Date.now()).verdict,
);
console.log(JSON.stringify({ events: count, checkerEventsPerSec: checker, judgeEventsPerSec: judged }));
