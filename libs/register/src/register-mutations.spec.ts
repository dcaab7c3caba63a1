/**
 * Mutation test of the source comparison: for every condition, Art 6 basis, named organisation and council-service
 * marker in the register, a copy with it removed, or with one added where the source has none, must fail the
 * comparison with the seeds. A mutation that passes is a fact the source test does not check.
 */
import path from 'node:path';
import {
  compareWithSources,
  entryOf,
  readRegisterFiles,
  readSeeds,
  SourceReading,
  type LineEntry,
  type RegisterFiles,
} from './sources/compare-with-sources.js';

const reading = new SourceReading(readSeeds());
const original = readRegisterFiles(path.resolve(process.cwd(), 'register'));
const ARTICLE6 = [
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'public-task',
  'legitimate-interests',
];

interface Mutation {
  name: string;
  /** The notice file the mutation changes, or `recipients` for recipients.yaml. */
  changes: string;
  apply(files: RegisterFiles): void;
}

/** A copy of the register in which only what the mutation changes is copied deeply. */
function copyFor(files: RegisterFiles, mutation: Mutation): RegisterFiles {
  if (mutation.changes === 'recipients') return { ...files, recipients: structuredClone(files.recipients) };
  return {
    ...files,
    notices: { ...files.notices, [mutation.changes]: structuredClone(files.notices[mutation.changes]) },
  };
}

type LineKind = 'purposes' | 'recipients';

/** Makes line `index` of a notice a mapping, so that a mutation can set a field on it. */
function lineAt(files: RegisterFiles, notice: string, kind: LineKind, index: number): LineEntry {
  const lines = files.notices[notice][kind]!;
  const entry = { ...entryOf(lines[index]) };
  lines[index] = entry;
  return entry;
}

function mutations(files: RegisterFiles): Mutation[] {
  const all: Mutation[] = [];
  const organisationIds = files.recipients.organisations.map((organisation) => organisation.id);
  for (const [notice, file] of Object.entries(files.notices)) {
    for (const kind of ['purposes', 'recipients'] as const) {
      (file[kind] ?? []).forEach((line, index) => {
        const entry = entryOf(line);
        const where = `${notice} ${kind}[${index}] "${entry.text.slice(0, 50)}"`;
        if (entry.condition !== undefined) {
          all.push({
            changes: notice,
            name: `${where}: condition removed`,
            apply: (copy) => void delete lineAt(copy, notice, kind, index).condition,
          });
        } else {
          for (const condition of ['consent', 'pseudonymised']) {
            all.push({
              changes: notice,
              name: `${where}: condition ${condition} added`,
              apply: (copy) => void (lineAt(copy, notice, kind, index).condition = condition),
            });
          }
        }
        if (kind !== 'recipients') return;
        for (const name of entry.names ?? []) {
          all.push({
            changes: notice,
            name: `${where}: ${name} no longer named`,
            apply: (copy) => {
              const mutated = lineAt(copy, notice, kind, index);
              mutated.names = (mutated.names ?? []).filter((other) => other !== name);
            },
          });
        }
        const invented = organisationIds.find((id) => !(entry.names ?? []).includes(id))!;
        all.push({
          changes: notice,
          name: `${where}: ${invented} named`,
          apply: (copy) => {
            const mutated = lineAt(copy, notice, kind, index);
            mutated.names = [...(mutated.names ?? []), invented];
          },
        });
        all.push(
          entry.councilServices === undefined
            ? {
                changes: notice,
                name: `${where}: marked as naming council services`,
                apply: (copy) => void (lineAt(copy, notice, kind, index).councilServices = 'all'),
              }
            : {
                changes: notice,
                name: `${where}: no longer naming council services`,
                apply: (copy) => void delete lineAt(copy, notice, kind, index).councilServices,
              },
        );
        if (file.kind === 'council-wide') {
          all.push({
            changes: notice,
            name: `${where}: line deleted`,
            apply: (copy) => void copy.notices[notice].recipients!.splice(index, 1),
          });
        }
      });
    }
    (file.lawfulBases ?? []).forEach((line, index) => {
      const where = `${notice} lawfulBases[${index}] "${line.text.slice(0, 50)}"`;
      for (const basis of line.article6 ?? []) {
        all.push({
          changes: notice,
          name: `${where}: ${basis} removed`,
          apply: (copy) => {
            const mutated = copy.notices[notice].lawfulBases![index];
            mutated.article6 = (mutated.article6 ?? []).filter((other) => other !== basis);
          },
        });
      }
      const invented = ARTICLE6.find((basis) => !(line.article6 ?? []).includes(basis))!;
      all.push({
        changes: notice,
        name: `${where}: ${invented} added`,
        apply: (copy) => {
          const mutated = copy.notices[notice].lawfulBases![index];
          mutated.article6 = [...(mutated.article6 ?? []), invented];
        },
      });
    });
  }
  for (const [controller, services] of Object.entries(files.recipients.services ?? {})) {
    services.forEach((service, index) => {
      all.push({
        changes: 'recipients',
        name: `services ${controller}/${service.id}: enforcement ${service.enforcement === true ? 'removed' : 'added'}`,
        apply: (copy) => {
          const mutated = copy.recipients.services![controller][index];
          mutated.enforcement = !(service.enforcement === true);
        },
      });
    });
  }
  return all;
}

describe('mutation test of the source comparison', () => {
  const all = mutations(original);

  it('starts from a register that follows the sources', () => {
    expect(compareWithSources(original, reading)).toEqual([]);
  });

  it('covers every kind of fact, issue 8’s examples among them', () => {
    const names = all.map((mutation) => mutation.name);
    expect(all.length).toBeGreaterThan(1000);
    for (const example of [
      /tourism-culture-and-investment recipients\[\d+\] "other third parties with consent": condition removed/,
      /planning-and-transport recipients\[\d+\] "The Environment Agency": condition consent added/,
      /housing recipients\[\d+\] "judicial agencies - courts, for example": marked as naming council services/,
      /test-and-trace-support-payment recipients\[\d+\] "HMRC": line deleted/,
      /test-and-trace-support-payment recipients\[\d+\] "HMRC": hmrc no longer named/,
      /housing lawfulBases\[\d+\] "consent": consent removed/,
      /social-care lawfulBases\[\d+\] "consent": \S+ added/,
    ]) {
      expect(names.some((name) => example.test(name))).toBe(true);
    }
  });

  const byFile = new Map<string, Mutation[]>();
  for (const mutation of all)
    byFile.set(mutation.changes, [...(byFile.get(mutation.changes) ?? []), mutation]);

  it.each([...byFile.keys()])('fails the source comparison for every mutation of %s', (changes) => {
    const survivors = byFile
      .get(changes)!
      .filter((mutation) => {
        const copy = copyFor(original, mutation);
        mutation.apply(copy);
        return compareWithSources(copy, reading).length === 0;
      })
      .map((mutation) => mutation.name);
    expect(survivors).toEqual([]);
  });
});
