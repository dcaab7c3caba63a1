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

  it('rejects an occurredAt in the future and a collectedAt after occurredAt, keeping the eventId', async () => {
    const future = disclosureEvent({ occurredAt: new Date(Date.now() + 6 * 60_000).toISOString() });
    const collectedLater = disclosureEvent({
      occurredAt: '2026-10-01T10:00:00Z',
      collectedAt: '2026-10-01T10:00:01Z',
    });
    const soon = disclosureEvent({
      occurredAt: new Date(Date.now() + 60_000).toISOString(),
      collectedAt: undefined,
    });
    const { stdout } = await cli(
      ['check', '--json', '-'],
      [future, collectedLater, soon].map((event) => JSON.stringify(event)).join('\n'),
    );
    const results = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { eventId: string; verdict: string; errors: string[] });
    expect(results.map((result) => [result.eventId, result.verdict])).toEqual([
      [future.eventId, 'rejected'],
      [collectedLater.eventId, 'rejected'],
      [soon.eventId, 'compliant'],
    ]);
    expect(results[0].errors[0]).toMatch(/^occurredAt is in the future/);
    expect(results[1].errors[0]).toMatch(/^collectedAt is later than occurredAt/);
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
    // Spec section 7: 001 before 2018-05-25, 003 from then; COVID-19 notices from 2020-03-20 and 2020-09-24; COPI
    // ends on 2022-06-30.
    expect(shown.versions.map((version) => version.id)).toEqual([
      '2015-04-01',
      '2018-05-25',
      '2020-03-20',
      '2020-09-24',
      '2022-06-30',
    ]);
    for (const version of shown.versions) expect(version.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('show prints the notes a DPO reads with each notice', async () => {
    const { stdout } = await cli(['register', 'show']);
    expect(stdout).toContain('note (opting out; 002_3b9c8d17dc1330c8.txt, Public Health)');
    expect(stdout).toContain(
      'note (monitoring communications; 003_8b15156f99e16b26.txt, Monitoring communications)',
    );
    expect(stdout).toContain('may use the information we hold to prevent and detect fraud');
  });

  it('lint warns, without failing, about near-duplicate purposes with different conditions', async () => {
    const { status, stdout } = await cli(['register', 'lint']);
    expect(status).toBe(0);
    expect(stdout).toContain(
      'warning NEAR_DUPLICATE_PURPOSES: notices/leicestershire-county-council/children-social-care.yaml: purposes "Research;" and "To assist with social care research and development;"',
    );
  });

  it('ropa prints an Art 30 table per notice in Markdown or CSV', async () => {
    const markdown = (await cli(['register', 'ropa'])).stdout;
    expect(markdown).toContain('| Controller | Notice |');
    expect(markdown).toMatch(/\| Leicester City Council \| housing \|/);
    const csv = (await cli(['register', 'ropa', '--format', 'csv'])).stdout;
    expect(csv.split('\r\n')[0]).toBe(
      'Controller,Notice,Title,Kind,In force from,No longer in force from,Purposes,Art 6 bases,Legislation and other grounds,Recipient categories,Conditions,Data categories,Retention,Notes,Sources',
    );
    expect(csv).toContain('kept safely for 21 days');
    expect(csv).toContain('uses beyond your individual care: The information collected about you');
    const before2018 = (await cli(['register', 'ropa', '--format', 'csv', '--at', '2017-01-01'])).stdout;
    expect(before2018).toContain('001_699988db41a48b06.txt');
    expect(before2018).not.toContain('monitoring communications');
    expect((await cli(['register', 'ropa', '--format', 'pdf'])).status).toBe(2);
  });
});
