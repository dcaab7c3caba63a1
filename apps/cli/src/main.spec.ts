import { mkdtempSync, writeFileSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FLAG_ORDER } from '#libs/checker';
import { disclosureEvent } from '#libs/testing';
import { runCli } from './main.js';

async function cli(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    stdin: Readable.from([stdin]),
  });
  return { status, stdout, stderr };
}

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'da-cli-')), 'events.jsonl');
  writeFileSync(path, content);
  return path;
}

describe('disclosure-audit check', () => {
  it('prints exactly one JSON object per input line, in order, covering every verdict and flag code', async () => {
    const { status, stdout } = await cli(['check', '--json', 'examples/events.jsonl']);
    const results = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(results.map((result) => result.line)).toEqual(results.map((_, index) => index + 1));
    for (const result of results) {
      expect(Object.keys(result)).toEqual(['line', 'eventId', 'verdict', 'flags', 'errors', 'notice']);
    }
    expect(new Set(results.map((result) => result.verdict))).toEqual(
      new Set(['compliant', 'flagged', 'rejected']),
    );
    const codes = new Set(
      results.flatMap((result) => (result.flags as { code: string }[]).map((flag) => flag.code)),
    );
    expect([...codes].sort()).toEqual([...FLAG_ORDER].sort());
    expect(status).toBe(1);
  });

  it('rejects a line that is not JSON instead of crashing, and names why', async () => {
    const valid = JSON.stringify(disclosureEvent());
    const { status, stdout } = await cli(['check', '--json', '-'], `${valid}\n{not json\n${valid}\n`);
    const results = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { verdict: string; errors: string[] });
    expect(results.map((result) => result.verdict)).toEqual(['compliant', 'rejected', 'compliant']);
    expect(results[1].errors[0]).toMatch(/not valid JSON/);
    expect(status).toBe(1);
  });

  it('exits 0 when every event is compliant, with a readable report and summary', async () => {
    const lines = [disclosureEvent(), disclosureEvent({ recipient: { name: 'HMRC' } })].map((event) =>
      JSON.stringify(event),
    );
    const { status, stdout } = await cli(['check', tempFile(`${lines.join('\n')}\n`)]);
    expect(status).toBe(0);
    expect(stdout).toContain('2 events: compliant 2, flagged 0, rejected 0');
  });

  it('exits 2 for usage errors and for an invalid register, naming the file and entry', async () => {
    expect((await cli(['check'])).status).toBe(2);
    expect((await cli(['check', 'no-such-file.jsonl'])).stderr).toContain('no such file');
    const broken = mkdtempSync(join(tmpdir(), 'da-register-'));
    cpSync('register', broken, { recursive: true });
    writeFileSync(
      join(broken, 'notices', 'leicester-city-council', 'housing.yaml'),
      'code: housing\nkind: nonsense\n',
    );
    const result = await cli(['check', '--register', broken, 'examples/events.jsonl']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('notices/leicester-city-council/housing.yaml: kind');
  });
});

describe('disclosure-audit register', () => {
  it('lint accepts the shipped register and rejects a broken one', async () => {
    expect((await cli(['register', 'lint'])).stdout).toMatch(/valid — \d+ notice editions/);
    const broken = mkdtempSync(join(tmpdir(), 'da-register-'));
    cpSync('register', broken, { recursive: true });
    mkdirSync(join(broken, 'notices', 'extra'));
    writeFileSync(
      join(broken, 'notices', 'extra', 'x.yaml'),
      'code: x\ncontroller: nobody\nkind: service-area\ntitle: X\neffectiveFrom: 2018-05-25\nsources: []\npurposes: [a]\nrecipients: [{ text: b, names: [not-an-organisation] }]\nlawfulBases: [{ text: c, article6: [public-task] }]\n',
    );
    const result = await cli(['register', 'lint', broken]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('controller: "nobody" is not a controller');
    expect(result.stderr).toContain('names "not-an-organisation"');
  });

  it('show lists versions with content hashes', async () => {
    const { stdout } = await cli(['register', 'show', '--json']);
    const shown = JSON.parse(stdout) as { versions: { id: string; contentHash: string }[] };
    expect(shown.versions.map((version) => version.id)).toEqual(['2018-05-25', '2021-01-01']);
    for (const version of shown.versions) expect(version.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ropa prints an Art 30 table per notice in Markdown or CSV', async () => {
    const markdown = (await cli(['register', 'ropa'])).stdout;
    expect(markdown).toContain('| Controller | Notice |');
    expect(markdown).toMatch(/\| Leicester City Council \| housing \|/);
    const csv = (await cli(['register', 'ropa', '--format', 'csv'])).stdout;
    expect(csv.split('\r\n')[0]).toBe(
      'Controller,Notice,Title,Kind,In force from,Purposes,Art 6 bases,Legislation and other grounds,Recipient categories,Conditions,Data categories,Retention,Sources',
    );
    expect(csv).toContain('kept safely for 21 days');
    expect((await cli(['register', 'ropa', '--format', 'pdf'])).status).toBe(2);
  });
});
