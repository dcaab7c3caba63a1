import { Writable } from 'node:stream';
import { createLogger, maskSubjectRef, PinoNestLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('logger', () => {
  it('masks subject references wherever they appear and never prints them', () => {
    const { lines, logger } = capture();
    logger.info(
      { subject: { ref: 'HSG-000123' }, disclosure: { subject: { ref: 'HSG-000123' } } },
      'recorded',
    );
    logger.info({ subjectRef: 'HSG-000123' }, 'again');
    const output = lines.join('');
    expect(output).not.toContain('HSG-000123');
    expect(output).toContain(maskSubjectRef('HSG-000123'));
    expect(JSON.parse(lines[0]).subject.ref).toBe(maskSubjectRef('HSG-000123'));
  });

  it('drops whole events and raw message values', () => {
    const { lines, logger } = capture();
    logger.warn({ event: { subject: { ref: 'X-1' }, purpose: 'p' }, raw: 'secret bytes' }, 'rejected');
    expect(lines.join('')).not.toContain('X-1');
    expect(lines.join('')).not.toContain('secret bytes');
  });

  it('gives a stable fingerprint', () => {
    expect(maskSubjectRef('A')).toBe(maskSubjectRef('A'));
    expect(maskSubjectRef('A')).not.toBe(maskSubjectRef('B'));
  });

  it('writes NestJS log lines as JSON with their context', () => {
    const { lines, logger } = capture();
    new PinoNestLogger(logger).log('listening', 'Auditor');
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'listening', context: 'Auditor', level: 30 });
  });
});
