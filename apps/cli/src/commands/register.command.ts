import { parseArgs } from 'node:util';
import {
  defaultRegisterDir,
  describeWarning,
  lintRegister,
  loadRegister,
  recordOfProcessing,
  ropaCsv,
  ropaMarkdown,
  type Register,
} from '#libs/register';
import { UsageError, type CliContext } from '../cli-io.js';

export const REGISTER_USAGE = `disclosure-audit register lint [DIR]
  Validates a register directory; prints every problem with its file and entry (exit 2), then warnings for the
  DPO to review, such as near-duplicate purposes with different conditions (exit 0).
disclosure-audit register show [--json] [--register DIR]
  Lists the register's versions (effective date, content hash) and notices.
disclosure-audit register ropa [--format csv|md] [--at DATE] [--register DIR]
  An Art 30-style record: per notice its purposes, bases, recipient categories, retention.`;

export async function registerCommand(args: string[], context: CliContext): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'lint':
      return lint(rest, context);
    case 'show':
      return show(rest, context);
    case 'ropa':
      return ropa(rest, context);
    default:
      throw new UsageError(`register needs one of lint, show, ropa\n\n${REGISTER_USAGE}`);
  }
}

function lint(args: string[], context: CliContext): number {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  if (positionals.length > 1)
    throw new UsageError(`register lint takes at most one DIR\n\n${REGISTER_USAGE}`);
  const directory = positionals[0] ?? defaultRegisterDir();
  const register = loadRegister(directory);
  const notices = register.data.notices.length;
  const warnings = lintRegister(register);
  context.stdout.write(
    `${directory}: valid — ${notices} notice editions, ${register.recipients.size} recipients, ` +
      `${register.versions.length} versions (latest ${register.latestVersion.id}, sha256 ${register.latestVersion.contentHash})` +
      `${warnings.length === 0 ? '' : `; ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`}\n`,
  );
  for (const warning of warnings)
    context.stdout.write(`  warning ${warning.code}: ${describeWarning(warning)}\n`);
  return 0;
}

function show(args: string[], context: CliContext): number {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, register: { type: 'string' } },
  });
  const register = loadRegister(values.register ?? defaultRegisterDir());
  if (values.json) {
    context.stdout.write(`${JSON.stringify(describeRegister(register), null, 2)}\n`);
    return 0;
  }
  const lines = [`${register.data.name} (${register.directory})`, ''];
  for (const version of register.versions) {
    lines.push(
      `version ${version.id}  in force ${version.effectiveFrom} → ${version.effectiveTo ?? 'now'}  sha256 ${version.contentHash}`,
    );
  }
  lines.push('');
  for (const notice of register.latestVersion.notices) {
    const { edition } = notice;
    lines.push(
      `${edition.controller}/${edition.code.padEnd(42)} ${edition.kind.padEnd(12)} ` +
        `${String(edition.purposes.length).padStart(3)} purposes ${String(edition.recipients.length).padStart(3)} recipients  ` +
        `bases ${[...notice.bases].join(', ')}`,
    );
    for (const note of edition.notes) {
      lines.push(
        `    note (${note.topic}; ${note.source.file}, ${note.source.section}): ${note.text.replace(/\s+/g, ' ')}`,
      );
    }
  }
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function describeRegister(register: Register) {
  return {
    name: register.data.name,
    versions: register.versions.map((version) => ({
      id: version.id,
      effectiveFrom: version.effectiveFrom,
      effectiveTo: version.effectiveTo ?? null,
      contentHash: version.contentHash,
      notices: version.notices.map((notice) => `${notice.edition.controller}/${notice.edition.code}`),
    })),
    controllers: register.data.controllers,
    notices: register.data.notices,
    recipients: [...register.recipients.values()],
    services: register.data.services,
    adequacy: register.data.adequacy,
    exemptions: register.data.exemptions,
  };
}

function ropa(args: string[], context: CliContext): number {
  const { values } = parseArgs({
    args,
    options: {
      format: { type: 'string', default: 'md' },
      at: { type: 'string' },
      register: { type: 'string' },
    },
  });
  if (values.format !== 'csv' && values.format !== 'md') {
    throw new UsageError(`--format must be csv or md, not "${values.format}"`);
  }
  const atMs = values.at === undefined ? undefined : Date.parse(values.at);
  if (atMs !== undefined && Number.isNaN(atMs))
    throw new UsageError(`--at must be a date such as 2024-01-31, not "${values.at}"`);
  const rows = recordOfProcessing(loadRegister(values.register ?? defaultRegisterDir()), atMs);
  context.stdout.write(values.format === 'csv' ? ropaCsv(rows) : ropaMarkdown(rows));
  return 0;
}
