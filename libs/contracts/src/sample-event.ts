/**
 * The spec's own example event (section 2), nulls included: a fresh copy each call, for tests and documentation.
 * Every field is set, so that a test can break any one of them.
 */
export function sampleDisclosureEvent(): Record<string, unknown> & {
  source: Record<string, unknown>;
  actor: Record<string, unknown>;
  subject: Record<string, unknown>;
  dataCategories: unknown[];
  lawfulBasis: Record<string, unknown>;
  recipient: Record<string, unknown>;
  safeguards: Record<string, unknown>;
} {
  return {
    eventId: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11',
    occurredAt: '2026-10-01T10:00:00Z',
    controller: 'leicester-city-council',
    source: { system: 'northgate-housing', serviceArea: 'housing' },
    actor: { id: 'staff-4411', role: 'housing officer' },
    subject: { ref: 'HSG-000123', kind: 'tenant' },
    dataCategories: ['identity', 'contact', 'tenancy'],
    purpose: 'prevention and detection of crime',
    lawfulBasis: { article6: 'public-task', legislation: 'Housing Act 1996', specialCondition: null },
    recipient: {
      id: null,
      name: 'Leicestershire Police',
      category: 'police',
      country: 'GB',
      internal: false,
    },
    safeguards: {
      pseudonymised: false,
      anonymised: false,
      consentRef: null,
      sharingAgreementRef: 'ISA-042',
      transferMechanism: null,
      exemption: null,
    },
    collectedAt: '2026-09-12T09:30:00Z',
    recordCount: 1,
  };
}
