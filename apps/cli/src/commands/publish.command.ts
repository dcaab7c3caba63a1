import { parseArgs } from 'node:util';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { loadEnvironment } from '#libs/infrastructure';
import { readLines, UsageError, type CliContext } from '../cli-io.js';

export const PUBLISH_USAGE = `disclosure-audit publish FILE|- [--topic TOPIC] [--brokers HOST:PORT,...]
  Sends each non-empty line of a JSON Lines file (or stdin) to the disclosures topic as one message, byte for byte:
  the auditor judges, not the publisher. The key is the line's subject.ref when it has one.`;

const SEND_EVERY = 500;

export async function publishCommand(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { topic: { type: 'string' }, brokers: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1)
    throw new UsageError(`publish takes one FILE (or - for stdin)\n\n${PUBLISH_USAGE}`);
  const environment = loadEnvironment();
  const topic = values.topic ?? environment.DISCLOSURES_TOPIC;
  const brokers = (values.brokers ?? environment.KAFKA_BROKERS).split(',');
  const producer = new Kafka({
    clientId: 'disclosure-audit-cli',
    brokers,
    logLevel: logLevel.ERROR,
  }).producer();
  await producer.connect();
  let sent = 0;
  try {
    let pending: Message[] = [];
    for await (const { text } of readLines(positionals[0], context.stdin)) {
      if (text.trim() === '') continue;
      pending.push({ key: subjectKey(text), value: Buffer.from(text, 'utf8') });
      if (pending.length >= SEND_EVERY) {
        await producer.send({ topic, messages: pending, acks: -1 });
        sent += pending.length;
        pending = [];
      }
    }
    if (pending.length > 0) await producer.send({ topic, messages: pending, acks: -1 });
    sent += pending.length;
  } finally {
    await producer.disconnect();
  }
  context.stdout.write(
    `published ${sent} message${sent === 1 ? '' : 's'} to ${topic} on ${brokers.join(',')}\n`,
  );
  return 0;
}

/** Spec section 1 recommends subject.ref as the key, so one person's disclosures keep their order. */
function subjectKey(line: string): string | null {
  try {
    const parsed = JSON.parse(line) as { subject?: { ref?: unknown } };
    return typeof parsed?.subject?.ref === 'string' ? parsed.subject.ref : null;
  } catch {
    return null;
  }
}
