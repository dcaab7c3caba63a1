import { resolve } from 'node:path';
import type { DataCategory } from '#libs/contracts';
import { loadRegister, recipientKey } from '#libs/register';
import { disclosureEvent } from '#libs/testing';
import { checkDisclosure } from './check-disclosure.js';
import { FlagCode } from './verdict.js';

const register = loadRegister(resolve(process.cwd(), 'register'));
const version = register.latestVersion;
const COVERAGE = new Set([
  FlagCode.PURPOSE_NOT_IN_NOTICE,
  FlagCode.RECIPIENT_NOT_IN_NOTICE,
  FlagCode.LAWFUL_BASIS_NOT_IN_NOTICE,
]);
const applied = version.notices.filter((notice) => notice.edition.kind !== 'reference');

function serviceAreaFor(controller: string, noticeKind: string, code: string): string {
  if (noticeKind === 'service-area') return code;
  // A council-wide notice applies to every service area of its controller; any one will do.
  return version.notices.find(
    (notice) => notice.edition.kind === 'service-area' && notice.edition.controller === controller,
  )!.edition.code;
}

describe('every notice covers what it lists', () => {
  it.each(applied.map((notice) => [`${notice.edition.controller}/${notice.edition.code}`, notice]))(
    '%s: each purpose × recipient × basis it lists raises no coverage flag',
    (_name, notice) => {
      const { edition } = notice;
      const categories: DataCategory[] = edition.dataCategories ? [...edition.dataCategories] : ['identity'];
      let checked = 0;
      for (const purpose of edition.purposes) {
        for (const recipient of edition.recipients) {
          for (const basis of notice.bases) {
            const result = checkDisclosure(
              disclosureEvent({
                controller: edition.controller,
                source: { serviceArea: serviceAreaFor(edition.controller, edition.kind, edition.code) },
                purpose: purpose.text,
                // A line naming the council's services resolves, by its own wording, to the council itself.
                recipient: { name: recipient.text, category: undefined },
                lawfulBasis: { article6: basis },
                dataCategories: categories,
                collectedAt: undefined,
              }),
              register,
            );
            const coverage = result.flags.filter((flag) => COVERAGE.has(flag.code));
            if (coverage.length > 0) {
              throw new Error(
                `"${purpose.text}" → "${recipient.text}" under ${basis}: ${coverage[0].message}`,
              );
            }
            checked += 1;
          }
        }
      }
      expect(checked).toBe(edition.purposes.length * edition.recipients.length * notice.bases.size);
    },
  );
});

describe('a recipient only other notices list is flagged', () => {
  const serviceAreas = applied.filter((notice) => notice.edition.kind === 'service-area');

  it.each(serviceAreas.map((notice) => [`${notice.edition.controller}/${notice.edition.code}`, notice]))(
    '%s: RECIPIENT_NOT_IN_NOTICE for every recipient line of the other service areas it does not name',
    (_name, notice) => {
      const { edition } = notice;
      const purpose = edition.purposes[0].text;
      const basis = [...notice.bases][0];
      const categories: DataCategory[] = edition.dataCategories ? [...edition.dataCategories] : ['identity'];
      const elsewhere = serviceAreas
        .filter((other) => other !== notice)
        .flatMap((other) => other.edition.recipients)
        .filter((line) => line.councilServices === undefined && line.services.length === 0);
      // A recipient a council-wide notice names is listed by an applicable notice too, so it is not "only another's".
      const councilWide = version.councilWideNotices(edition.controller);
      let flagged = 0;
      for (const line of elsewhere) {
        const recipientId = recipientKey(register.resolveRecipient({ name: line.text }, edition.controller));
        if (recipientId === undefined || notice.recipientLines.has(recipientId)) continue;
        if (councilWide.some((other) => other.recipientLines.has(recipientId))) continue;
        const result = checkDisclosure(
          disclosureEvent({
            controller: edition.controller,
            source: { serviceArea: edition.code },
            purpose,
            recipient: { name: line.text, category: undefined },
            lawfulBasis: { article6: basis },
            dataCategories: categories,
          }),
          register,
        );
        expect({ recipient: line.text, flags: result.flags.map((flag) => flag.code) }).toEqual({
          recipient: line.text,
          flags: expect.arrayContaining([FlagCode.RECIPIENT_NOT_IN_NOTICE]),
        });
        flagged += 1;
      }
      expect(flagged).toBeGreaterThan(0);
    },
  );
});
