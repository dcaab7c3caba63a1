import { EnvironmentException, loadEnvironment } from './environment.dto.js';

describe('loadEnvironment', () => {
  it('applies the documented defaults', () => {
    const config = loadEnvironment({});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      KAFKA_BROKERS: '127.0.0.1:9092',
      DISCLOSURES_TOPIC: 'disclosures.v1',
      FLAGGED_TOPIC: 'disclosures.flagged.v1',
      DLQ_TOPIC: 'disclosures.dlq.v1',
      KAFKA_GROUP_ID: 'disclosure-auditor',
      HTTP_PORT: 3000,
    });
  });

  it('reads and converts what is set', () => {
    const config = loadEnvironment({
      HTTP_PORT: '8080',
      KAFKA_BROKERS: 'a:1,b:2',
      DISCLOSURES_TOPIC: 'x.v1',
    });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toBe('a:1,b:2');
    expect(config.DISCLOSURES_TOPIC).toBe('x.v1');
  });

  it('names every invalid variable', () => {
    let error: unknown;
    try {
      loadEnvironment({ HTTP_PORT: 'eighty', KAFKA_BROKERS: 'no port here', DATABASE_URL: 'mysql://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvironmentException);
    const message = (error as Error).message;
    expect(message).toContain('HTTP_PORT="eighty"');
    expect(message).toContain('KAFKA_BROKERS="no port here"');
    expect(message).toContain('DATABASE_URL must be a postgres:// URL');
  });
});
