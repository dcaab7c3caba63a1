import { parseArgs } from 'node:util';
import { loadEnvironment } from '#libs/infrastructure';
import { createDataSource, LedgerRepository, type TrailEntry } from '#libs/ledger';
import { createMigrationDataSource } from '#migrations';
import type { CliContext } from '../cli-io.js';

export const LEDGER_USAGE = `disclosure-audit migrate
  Applies the database migrations (DATABASE_URL; default postgres://postgres@127.0.0.1:5432/test).
disclosure-audit trail [--json] [--limit N]
  Prints the audit trail, oldest first: disclosures and rejected messages alike.
disclosure-audit verify
  Recomputes every hash chain; exit status 0 only when every chain verifies.`;

const PAGE = 1000;

export async function migrateCommand(_args: string[], context: CliContext): Promise<number> {
  const dataSource = createMigrationDataSource(loadEnvironment().DATABASE_URL);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    context.stdout.write(
      applied.length === 0
        ? 'database schema is up to date\n'
        : applied.map((migration) => `applied ${migration.name}\n`).join(''),
    );
  } finally {
    await dataSource.destroy();
  }
  return 0;
}

async function withLedger<T>(run: (ledger: LedgerRepository) => Promise<T>): Promise<T> {
  const dataSource = createDataSource(loadEnvironment().DATABASE_URL, {
    poolSize: 2,
    applicationName: 'disclosure-audit-cli',
  });
  await dataSource.initialize();
  try {
    return await run(new LedgerRepository(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

export async function trailCommand(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, limit: { type: 'string' } },
  });
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  return withLedger(async (ledger) => {
    let afterId: string | undefined;
    let printed = 0;
    while (printed < limit) {
      const page = await ledger.readTrail({ afterId, limit: Math.min(PAGE, limit - printed) });
      if (page.length === 0) break;
      for (const entry of page)
        context.stdout.write(values.json ? `${JSON.stringify(trailJson(entry))}\n` : trailLine(entry));
      printed += page.length;
      afterId = page[page.length - 1].id;
    }
    if (!values.json) context.stdout.write(`${printed} entr${printed === 1 ? 'y' : 'ies'}\n`);
    return 0;
  });
}

function trailJson(entry: TrailEntry) {
  return {
    id: entry.id,
    kind: entry.kind,
    eventId: entry.eventId,
    verdict: entry.verdict,
    flags: entry.flags.map((flag) => flag.code),
    errors: entry.errors,
    notice: entry.notice,
    registerVersion: entry.registerVersion,
    chain: entry.chainId,
    seq: entry.seq,
    source: { topic: entry.topic, partition: entry.partition, offset: entry.offset },
    receivedAt: entry.receivedAt,
    prevHash: entry.prevHash,
    entryHash: entry.entryHash,
  };
}

function trailLine(entry: TrailEntry): string {
  const flags =
    entry.verdict === 'rejected'
      ? entry.errors.slice(0, 1).join('')
      : entry.flags.map((flag) => flag.code).join(',');
  return (
    `${entry.chainId}#${String(entry.seq).padEnd(6)} ${entry.kind.padEnd(10)} ${entry.verdict.padEnd(9)} ` +
    `${(entry.eventId ?? '(no eventId)').padEnd(36)} ${entry.entryHash.slice(0, 16)}  ${flags}\n`
  );
}

export async function verifyCommand(_args: string[], context: CliContext): Promise<number> {
  return withLedger(async (ledger) => {
    const report = await ledger.verifyChains();
    if (report.ok) {
      context.stdout.write(
        `verified: ${report.chains} chains, ${report.entries} entries, every hash matches\n`,
      );
      return 0;
    }
    const first = report.firstMismatch!;
    context.stdout.write(
      `NOT VERIFIED: ${report.mismatches} of ${report.entries} entries fail. First: chain ${first.chainId} seq ${first.seq} ` +
        `(id ${first.id}, eventId ${first.eventId ?? 'none'}): ${first.reason}; expected ${first.expected}, found ${first.actual}\n`,
    );
    return 1;
  });
}
