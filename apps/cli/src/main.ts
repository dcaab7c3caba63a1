import { EnvironmentException } from '#libs/infrastructure';
import { RegisterLoadException } from '#libs/register';
import { checkCommand, CHECK_USAGE } from './commands/check.command.js';
import { LEDGER_USAGE, migrateCommand, trailCommand, verifyCommand } from './commands/ledger.commands.js';
import { publishCommand, PUBLISH_USAGE } from './commands/publish.command.js';
import { registerCommand, REGISTER_USAGE } from './commands/register.command.js';
import { UsageError, type CliContext } from './cli-io.js';

const USAGE = `Disclosure Audit: checks councils' disclosures of personal data against their privacy notices.

${CHECK_USAGE}

${REGISTER_USAGE}

${PUBLISH_USAGE}

${LEDGER_USAGE}`;

type Command = (args: string[], context: CliContext) => Promise<number> | number;

const COMMANDS: Record<string, Command> = {
  check: checkCommand,
  register: registerCommand,
  publish: publishCommand,
  migrate: migrateCommand,
  trail: trailCommand,
  verify: verifyCommand,
};

/** Runs one CLI invocation and returns its exit status. */
export async function runCli(
  argv: string[],
  context: CliContext = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new UsageError(`unknown command "${name}"\n\n${USAGE}`);
    return await command(args, context);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof RegisterLoadException ||
      error instanceof EnvironmentException
    ) {
      context.stderr.write(`disclosure-audit: ${error.message}\n`);
      return 2;
    }
    if (
      error instanceof TypeError &&
      (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      context.stderr.write(`disclosure-audit: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
