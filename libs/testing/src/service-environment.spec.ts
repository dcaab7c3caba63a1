import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  chooseServiceStrategy,
  describeDatabaseUrl,
  dockerEndpointCandidates,
  isDockerAvailable,
} from './service-environment.js';

describe('chooseServiceStrategy', () => {
  const configured = {
    KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
    DATABASE_URL: 'postgres://ci@db:5432/audit',
  };

  it('uses configured services whether or not Docker is there', () => {
    for (const dockerAvailable of [true, false]) {
      expect(chooseServiceStrategy({ env: configured, dockerAvailable })).toEqual({
        kafka: 'configured',
        postgres: 'configured',
      });
    }
  });

  it('starts containers for unconfigured services when a Docker engine answers', () => {
    expect(chooseServiceStrategy({ env: {}, dockerAvailable: true })).toEqual({
      kafka: 'testcontainers',
      postgres: 'testcontainers',
    });
  });

  it('falls back to the local broker script and local Postgres without Docker', () => {
    expect(chooseServiceStrategy({ env: {}, dockerAvailable: false })).toEqual({
      kafka: 'local',
      postgres: 'local',
    });
  });

  it('decides for each service separately', () => {
    expect(
      chooseServiceStrategy({ env: { KAFKA_BROKERS: configured.KAFKA_BROKERS }, dockerAvailable: false }),
    ).toEqual({ kafka: 'configured', postgres: 'local' });
    expect(
      chooseServiceStrategy({ env: { DATABASE_URL: configured.DATABASE_URL }, dockerAvailable: true }),
    ).toEqual({ kafka: 'testcontainers', postgres: 'configured' });
  });

  it('treats empty or blank variables as not configured', () => {
    expect(
      chooseServiceStrategy({ env: { KAFKA_BROKERS: '', DATABASE_URL: '  ' }, dockerAvailable: false }),
    ).toEqual({
      kafka: 'local',
      postgres: 'local',
    });
  });
});

describe('dockerEndpointCandidates', () => {
  it('follows a unix DOCKER_HOST only', () => {
    expect(
      dockerEndpointCandidates({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, '/home/dev'),
    ).toEqual([{ kind: 'socket', socketPath: '/run/user/1000/docker.sock' }]);
  });

  it('reads host, port and TLS from a tcp DOCKER_HOST', () => {
    expect(dockerEndpointCandidates({ DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1' })).toEqual([
      { kind: 'tcp', host: '10.0.0.5', port: 2376, tls: true },
    ]);
    expect(dockerEndpointCandidates({ DOCKER_HOST: 'tcp://docker' })).toEqual([
      { kind: 'tcp', host: 'docker', port: 2375, tls: false },
    ]);
  });

  it('does not look elsewhere when DOCKER_HOST names a transport it cannot ping', () => {
    expect(dockerEndpointCandidates({ DOCKER_HOST: 'ssh://builder@docker-host' })).toEqual([]);
  });

  it('tries the usual socket locations when DOCKER_HOST is unset', () => {
    expect(dockerEndpointCandidates({ XDG_RUNTIME_DIR: '/run/user/1000' }, '/home/dev')).toEqual([
      { kind: 'socket', socketPath: '/var/run/docker.sock' },
      { kind: 'socket', socketPath: '/home/dev/.docker/run/docker.sock' },
      { kind: 'socket', socketPath: '/run/user/1000/docker.sock' },
    ]);
  });
});

describe('isDockerAvailable', () => {
  let dir: string;
  let server: Server | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'docker-ping-'));
  });

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function fakeEngine(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const socketPath = join(dir, 'docker.sock');
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(socketPath, resolve));
    return socketPath;
  }

  it('is true when the engine answers its ping', async () => {
    const socketPath = await fakeEngine((request, response) => {
      response.statusCode = request.url === '/_ping' ? 200 : 404;
      response.end('OK');
    });
    await expect(isDockerAvailable({ env: { DOCKER_HOST: `unix://${socketPath}` } })).resolves.toBe(true);
  });

  it('is false when the engine answers with an error', async () => {
    const socketPath = await fakeEngine((_request, response) => {
      response.statusCode = 500;
      response.end();
    });
    await expect(isDockerAvailable({ env: { DOCKER_HOST: `unix://${socketPath}` } })).resolves.toBe(false);
  });

  it('is false when nothing listens', async () => {
    await expect(
      isDockerAvailable({ env: { DOCKER_HOST: `unix://${join(dir, 'absent.sock')}` } }),
    ).resolves.toBe(false);
    await expect(isDockerAvailable({ env: { DOCKER_HOST: 'tcp://127.0.0.1:1' } })).resolves.toBe(false);
  });

  it('gives up on an engine that never answers, and drops the connection it left hanging', async () => {
    let hungUp!: () => void;
    const clientHungUp = new Promise<void>((resolve) => (hungUp = resolve));
    const socketPath = await fakeEngine((request) => {
      // Never answers; the only way this request ends is the client giving up on it.
      request.socket.once('close', hungUp);
    });

    await expect(
      isDockerAvailable({ env: { DOCKER_HOST: `unix://${socketPath}` }, timeoutMs: 200 }),
    ).resolves.toBe(false);
    await clientHungUp;
  });
});

describe('describeDatabaseUrl', () => {
  it('masks the password and keeps where the database is', () => {
    expect(describeDatabaseUrl('postgres://audit:s3cret@db.internal:5432/audit')).toBe(
      'postgres://audit:***@db.internal:5432/audit',
    );
    expect(describeDatabaseUrl('postgres://postgres@127.0.0.1:5432/disclosure_audit_test')).toBe(
      'postgres://postgres@127.0.0.1:5432/disclosure_audit_test',
    );
  });
});
