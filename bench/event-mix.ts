import { randomUUID } from 'node:crypto';
import type { DisclosureEvent } from '#libs/contracts';

/**
 * A realistic mix of disclosures for benchmarks: mostly compliant sharing, some flagged (wrong recipient, purpose,
 * basis, consent, transfers), and — as raw lines — some that must be rejected.
 */
const TEMPLATES: Omit<DisclosureEvent, 'eventId' | 'subject'>[] = [
  {
    occurredAt: '2026-10-01T10:00:00Z',
    source: { system: 'northgate-housing', serviceArea: 'housing' },
    dataCategories: ['identity', 'contact', 'tenancy'],
    purpose: 'prevention and detection of crime',
    lawfulBasis: { article6: 'public-task', legislation: 'Housing Act 1996' },
    recipient: { name: 'police', category: 'police', country: 'GB' },
    safeguards: { sharingAgreementRef: 'ISA-042' },
  },
  {
    occurredAt: '2026-09-14T08:30:00+01:00',
    source: { system: 'academy-revenues', serviceArea: 'revenues-and-customer-support' },
    dataCategories: ['identity', 'financial'],
    purpose: 'debt recovery',
    lawfulBasis: { article6: 'legal-obligation' },
    recipient: { name: 'DWP' },
  },
  {
    occurredAt: '2026-03-02T14:00:00Z',
    source: { system: 'liquidlogic', serviceArea: 'social-care' },
    dataCategories: ['identity', 'care-records', 'health'],
    purpose: 'safeguarding children & adults',
    lawfulBasis: { article6: 'public-task', specialCondition: 'health-social-care' },
    recipient: { name: 'GP surgeries' },
  },
  {
    occurredAt: '2025-11-20T09:00:00Z',
    source: { system: 'finance-erp', serviceArea: 'finance' },
    dataCategories: ['identity', 'financial'],
    purpose: 'National Fraud Initiative',
    lawfulBasis: { article6: 'legal-obligation' },
    recipient: { name: 'Cabinet Office' },
  },
  {
    occurredAt: '2026-06-01T12:00:00Z',
    source: { system: 'ph-surveillance', serviceArea: 'public-health' },
    dataCategories: ['identity', 'health'],
    purpose: 'public health and protection',
    lawfulBasis: { article6: 'public-task', specialCondition: 'public-health' },
    recipient: { name: 'NHS Digital' },
  },
  {
    occurredAt: '2026-07-07T07:07:00Z',
    source: { system: 'events-crm', serviceArea: 'tourism-culture-and-investment' },
    dataCategories: ['identity', 'contact'],
    purpose: 'communications and marketing',
    lawfulBasis: { article6: 'consent' },
    recipient: { name: 'Acme Lists Ltd', country: 'US' },
  },
  {
    occurredAt: '2026-02-11T16:45:00Z',
    source: { system: 'hr-itrent', serviceArea: 'Human resources (HR)' },
    dataCategories: ['identity', 'employment', 'trade-union-membership'],
    purpose: 'to employ staff',
    lawfulBasis: { article6: 'contract', specialCondition: 'employment-social-security' },
    recipient: { name: 'trade unions' },
  },
  {
    occurredAt: '2026-05-05T10:10:00Z',
    source: { system: 'mosaic', serviceArea: 'children-social-care' },
    controller: 'leicestershire-county-council',
    dataCategories: ['identity', 'care-records'],
    purpose: 'Research',
    lawfulBasis: { article6: 'public-task' },
    recipient: { name: 'Public Health England' },
  },
];

const REJECTED_LINES = [
  '{"eventId":"not-a-uuid","occurredAt":"yesterday"}',
  'this is not JSON',
  '{"eventId":"6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11","occurredAt":"2026-10-01T10:00:00Z","source":{"system":"x","serviceArea":"housing"},"subject":{"ref":"A-1"},"dataCategories":["medical"],"purpose":"p","lawfulBasis":{"article6":"public-task"},"recipient":{"name":"police"},"nickname":"Bob"}',
];

export function mixedEvent(index: number): DisclosureEvent {
  const template = TEMPLATES[index % TEMPLATES.length];
  return {
    ...structuredClone(template),
    eventId: randomUUID(),
    subject: { ref: `SUBJ-${String(index).padStart(8, '0')}` },
  };
}

/** A JSON line: about 1 in 20 are invalid and must be rejected. */
export function mixedLine(index: number): string {
  if (index % 20 === 19) return REJECTED_LINES[index % REJECTED_LINES.length];
  return JSON.stringify(mixedEvent(index));
}
