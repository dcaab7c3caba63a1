import { parseArgs } from 'node:util';
import { judgeMessage, type Judgement } from '#libs/checker';
import { loadRegister, defaultRegisterDir } from '#libs/register';
import { readLines, UsageError, type CliContext } from '../cli-io.js';

export const CHECK_USAGE = `disclosure-audit check FILE|- [--json] [--register DIR]
  Checks each line of a JSON Lines file (or stdin, with -) against the register. An occurredAt more than 5
  minutes after the time of the check, or a collectedAt after occurredAt, is rejected.
  --json      one JSON object per input line, in input order
  --register  the register directory (default: the project's register/)
  Exit status: 0 all compliant, 1 any flagged or rejected, 2 usage or register error.`;

interface CheckedLine {
  line: number;
  judgement: Judgement;
}

export async function checkCommand(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, register: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1)
    throw new UsageError(`check takes one FILE (or - for stdin)\n\n${CHECK_USAGE}`);
  const register = loadRegister(values.register ?? defaultRegisterDir());
  // Spec section 7: for the CLI the moment of receipt is the time of the check.
  const checkedAtMs = Date.now();
  const totals = new Map<string, number>();
  const flagTotals = new Map<string, number>();
  let allCompliant = true;

  for await (const { line, text } of readLines(positionals[0], context.stdin)) {
    // Blank lines carry no message (as when publishing); they are skipped, not judged.
    if (text.trim() === '') continue;
    const judgement = judgeMessage(text, register, checkedAtMs);
    allCompliant &&= judgement.verdict === 'compliant';
    totals.set(judgement.verdict, (totals.get(judgement.verdict) ?? 0) + 1);
    for (const flag of judgement.flags) flagTotals.set(flag.code, (flagTotals.get(flag.code) ?? 0) + 1);
    context.stdout.write(
      values.json ? `${jsonLine({ line, judgement })}\n` : readableLine({ line, judgement }),
    );
  }
  if (!values.json) context.stdout.write(summary(totals, flagTotals));
  return allCompliant ? 0 : 1;
}

function jsonLine({ line, judgement }: CheckedLine): string {
  return JSON.stringify({
    line,
    eventId: judgement.eventId,
    verdict: judgement.verdict,
    flags: judgement.flags.map(({ code, severity, message }) => ({ code, severity, message })),
    errors: judgement.errors,
    notice: judgement.notice,
  });
}

function readableLine({ line, judgement }: CheckedLine): string {
  const head = `line ${String(line).padStart(4)}  ${judgement.verdict.padEnd(9)}  ${judgement.eventId ?? '(no eventId)'}`;
  const notice = judgement.notice ? `  notice ${judgement.notice}` : '';
  const details =
    judgement.verdict === 'rejected'
      ? judgement.errors.map((error) => `      ✗ ${error}`)
      : judgement.flags.map((flag) => `      ⚑ ${flag.code} (${flag.severity}): ${flag.message}`);
  return [`${head}${notice}`, ...details].join('\n') + '\n';
}

function summary(totals: Map<string, number>, flagTotals: Map<string, number>): string {
  const events = [...totals.values()].reduce((sum, count) => sum + count, 0);
  const verdicts = ['compliant', 'flagged', 'rejected'].map(
    (verdict) => `${verdict} ${totals.get(verdict) ?? 0}`,
  );
  const flags = [...flagTotals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, count]) => `  ${code.padEnd(30)} ${count}`);
  return [
    '',
    `${events} event${events === 1 ? '' : 's'}: ${verdicts.join(', ')}`,
    ...(flags.length > 0 ? ['flags:', ...flags] : []),
    '',
  ].join('\n');
}
