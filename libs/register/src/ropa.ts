import type { Register } from './register.js';
import { headOf } from './wording.js';

/** One row of an Art 30-style record of processing: what one notice tells the public. */
export interface RopaRow {
  controller: string;
  notice: string;
  title: string;
  kind: string;
  inForceFrom: string;
  inForceTo: string;
  purposes: string[];
  lawfulBases: string[];
  legislation: string[];
  recipientCategories: string[];
  conditions: string[];
  dataCategories: string[];
  retention: string;
  /** Passages of the notice the checker does not apply (opt-outs, secondary uses), for the DPO. */
  notes: string[];
  sources: string[];
}

/** The record of processing for the register version in force at `atMs` (default: the latest version). */
export function recordOfProcessing(register: Register, atMs?: number): RopaRow[] {
  const version = atMs === undefined ? register.latestVersion : register.versionAt(atMs);
  if (version === undefined) return [];
  return version.notices.map(({ edition, bases }) => ({
    controller: register.controllerName(edition.controller) ?? edition.controller,
    notice: edition.code,
    title: edition.title,
    kind: edition.kind,
    inForceFrom: edition.effectiveFrom,
    inForceTo: edition.effectiveTo ?? '',
    purposes: [...new Set(edition.purposes.map((line) => line.text))],
    lawfulBases: [...bases],
    legislation: edition.lawfulBases.filter((line) => line.article6.length === 0).map((line) => line.text),
    recipientCategories: [...new Set(edition.recipients.map((line) => headOf(line.text)))],
    conditions: [
      ...edition.purposes.flatMap((line) =>
        line.condition ? [`purpose "${line.text}": ${line.condition}`] : [],
      ),
      ...edition.recipients.flatMap((line) =>
        line.condition ? [`recipient "${line.text}": ${line.condition}`] : [],
      ),
    ],
    dataCategories: edition.dataCategories ?? [],
    retention: edition.retention?.text ?? 'not stated in the notice',
    notes: edition.notes.map((note) => `${note.topic}: ${note.text.replace(/\s+/g, ' ')}`),
    sources: edition.sources.map((source) => `${source.file} (${source.section})`),
  }));
}

const COLUMNS: [keyof RopaRow, string][] = [
  ['controller', 'Controller'],
  ['notice', 'Notice'],
  ['title', 'Title'],
  ['kind', 'Kind'],
  ['inForceFrom', 'In force from'],
  ['inForceTo', 'No longer in force from'],
  ['purposes', 'Purposes'],
  ['lawfulBases', 'Art 6 bases'],
  ['legislation', 'Legislation and other grounds'],
  ['recipientCategories', 'Recipient categories'],
  ['conditions', 'Conditions'],
  ['dataCategories', 'Data categories'],
  ['retention', 'Retention'],
  ['notes', 'Notes'],
  ['sources', 'Sources'],
];

function cell(value: string | string[]): string {
  return Array.isArray(value) ? value.join('; ') : value;
}

/** RFC 4180 CSV. */
export function ropaCsv(rows: RopaRow[]): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [COLUMNS.map(([, header]) => quote(header)).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([key]) => quote(cell(row[key]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function ropaMarkdown(rows: RopaRow[]): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `| ${COLUMNS.map(([, header]) => header).join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${COLUMNS.map(([key]) => escape(cell(row[key]))).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
