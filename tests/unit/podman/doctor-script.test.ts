import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  parseConnect,
  parseHttp,
  parseListeners,
  parseResolve,
  parseTools,
  missingTools,
  probeCommand,
  scriptRan,
} from '../../../src/main/podman/doctor/script';
import { containerFacts } from '../../../src/main/podman/doctor/facts';

/** What the tools print, as busybox, glibc, OpenBSD netcat, bash and curl word it. */
describe('the doctor’s probe output', () => {
  it('keeps the page’s words out of the script: they are positional parameters', () => {
    const argv = probeCommand('connect', 'db; rm -rf /', 5432);
    expect(argv.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(argv.slice(3)).toEqual(['doctor', 'connect', 'db; rm -rf /', '5432']);
    expect(argv[2]).not.toContain('db;');
  });

  it('is valid POSIX sh, and reads /etc/hosts the way the C library does', () => {
    // The host's own sh runs the script: `localhost` is in every /etc/hosts.
    const out = execFileSync('sh', ['-c', probeCommand('resolve', 'localhost')[2]!, 'doctor', 'resolve', 'localhost']).toString();
    expect(scriptRan(out)).toBe(true);
    const r = parseResolve(out);
    expect(r.ok && r.addresses).toContain('127.0.0.1');
    const tools = execFileSync('sh', ['-c', probeCommand('tools')[2]!, 'doctor', 'tools']).toString();
    expect(parseTools(tools).names.length).toBeGreaterThan(0);
  });

  it('knows which tools suffice', () => {
    expect(missingTools(parseTools('@ran\nnslookup\nnc\nwget\ntimeout\n'))).toEqual([]);
    // python:3.12-slim: getent and bash, nothing else.
    expect(missingTools(parseTools('@ran\ngetent\nbash\n'))).toEqual([]);
    expect(missingTools(parseTools('@ran\ngetent\n'))).toEqual([
      'a way to open a port (nc or bash)',
      'an HTTP client (wget or curl)',
    ]);
  });

  it('reads busybox nslookup: the answer, not the server it asked', () => {
    const ok = parseResolve(
      '@ran\n@tool nslookup\nServer:\t\t10.89.0.1\nAddress:\t10.89.0.1:53\n\nNon-authoritative answer:\nName:\tweb.dns.podman\nAddress: 10.89.0.5\n\nNon-authoritative answer:\n\n@exit 0\n',
    );
    expect(ok).toMatchObject({ ok: true, addresses: ['10.89.0.5'] });
    const missing = parseResolve(
      '@ran\n@tool nslookup\nServer:\t\t10.89.0.1\nAddress:\t10.89.0.1:53\n\n** server can’t find web.dns.podman: NXDOMAIN\n\n@exit 1\n',
    );
    expect(missing).toMatchObject({ ok: false, reason: 'not-found' });
    expect(parseResolve('@ran\n@tool nslookup\n;; connection timed out; no servers could be reached\n@exit 1\n')).toMatchObject({
      ok: false,
      reason: 'timeout',
    });
    // Cut by the deadline: no exit line at all.
    expect(parseResolve('')).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('reads getent ahosts once per address', () => {
    const r = parseResolve(
      '@ran\n@tool getent\n10.89.0.5       STREAM db\n10.89.0.5       DGRAM\n10.89.0.5       RAW\nfd00::5 STREAM db\n@exit 0\n',
    );
    expect(r).toMatchObject({ ok: true, addresses: ['10.89.0.5', 'fd00::5'] });
    expect(parseResolve('@ran\n@tool getent\n@exit 2\n')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(parseResolve('@ran\n@tool none\n')).toMatchObject({ ok: false, reason: 'no-tool' });
  });

  it('tells the causes of a failed connection apart', () => {
    const c = (text: string, code: number | null = 1) =>
      parseConnect(`@ran\n@tool nc\n${text}\n${code === null ? '' : `@exit ${code}`}`).outcome;
    expect(c('', 0)).toBe('open');
    expect(c('Connection to db (10.89.0.5) 5432 port [tcp/postgresql] succeeded!', 0)).toBe('open');
    expect(c('nc: can’t connect to remote host (10.89.0.5): Connection refused')).toBe('refused');
    expect(c('nc: connect to db port 5432 (tcp) failed: Connection refused')).toBe('refused');
    expect(c("nc: bad address 'db'")).toBe('unresolved');
    expect(c('nc: getaddrinfo for host "db" port 5432: Name or service not known')).toBe('unresolved');
    expect(c('nc: timed out')).toBe('timeout');
    expect(c('', 143)).toBe('timeout');
    expect(c('', null)).toBe('timeout');
    expect(c("nc: can't connect to remote host (10.89.0.3): Network is unreachable")).toBe('unreachable');
    expect(c('bash: connect: No route to host\nbash: line 1: /dev/tcp/10.1.2.3/80: No route to host')).toBe('unreachable');
    expect(parseConnect('@ran\n@tool none\n').outcome).toBe('no-tool');
  });

  it('reads the HTTP status line from wget -S, curl and a raw request', () => {
    expect(
      parseHttp(
        '@ran\n@tool wget\nConnecting to db:80 (10.89.0.2:80)\n  HTTP/1.1 200 OK\n  Date: x\nsaving to /dev/null\n@exit 0\n',
      ),
    ).toMatchObject({ outcome: 'http', status: 200, statusLine: 'HTTP/1.1 200 OK' });
    expect(
      parseHttp('@ran\n@tool wget\n  HTTP/1.1 404 Not Found\nwget: server returned error: HTTP/1.1 404 Not Found\n@exit 1\n'),
    ).toMatchObject({ outcome: 'http', status: 404 });
    expect(parseHttp('@ran\n@tool curl\nHTTP/curl 302\n@exit 0\n')).toMatchObject({ outcome: 'http', status: 302 });
    expect(parseHttp('@ran\n@tool curl\ncurl: (52) Empty reply from server\nHTTP/curl 000\n@exit 52\n')).toMatchObject({
      outcome: 'not-http',
    });
    expect(parseHttp('@ran\n@tool bash\n  HTTP/1.0 200 OK\r\n@exit 0\n')).toMatchObject({ outcome: 'http', status: 200 });
    expect(parseHttp('@ran\n@tool wget\nwget: bad header line: -ERR unknown command\n@exit 1\n')).toMatchObject({
      outcome: 'not-http',
    });
  });

  it('reads listening sockets from /proc/net/tcp and tcp6, loopback told from every address', () => {
    const out = [
      '@ran',
      '@file /proc/net/tcp',
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
      '   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0',
      '   2: 0500590A:0050 0200590A:D9F8 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0',
      '   3: 0500590A:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0',
      '@file /proc/net/tcp6',
      '  sl  local_address                         remote_address                        st',
      '   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5',
      '   1: 00000000000000000000000001000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 6',
      '   2: 0000000000000000FFFF00000100007F:0FA0 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7',
      '@exit 0',
    ].join('\n');
    expect(parseListeners(out)).toEqual([
      { address: '::', port: 80, scope: 'all' },
      { address: '0.0.0.0', port: 80, scope: 'all' },
      { address: '::1', port: 3000, scope: 'loopback' },
      { address: '127.0.0.1', port: 4000, scope: 'loopback' },
      { address: '127.0.0.1', port: 5000, scope: 'loopback' },
      { address: '10.89.0.5', port: 8080, scope: 'address' },
    ]);
    expect(parseListeners('@ran\n@exit 0\n')).toBeNull();
  });

  it('tells a container without a shell from one whose check printed nothing', () => {
    expect(scriptRan('')).toBe(false);
    expect(scriptRan('@ran\n')).toBe(true);
  });

  it('maps libpod inspect: the pod’s namespace, published and exposed ports, the service, health', () => {
    const f = containerFacts({
      Id: 'c'.repeat(64),
      Name: '/shop-api-1',
      Pod: 'p'.repeat(64),
      State: { Status: 'running', Running: true, Health: { Status: 'unhealthy' } },
      Config: { ExposedPorts: { '5000/tcp': {}, '53/udp': {} }, Labels: { 'com.docker.compose.service': 'api' } },
      HostConfig: { NetworkMode: `container:${'i'.repeat(64)}` },
      NetworkSettings: {
        Networks: { shop: { IPAddress: '10.89.0.3', Gateway: '10.89.0.1', Aliases: ['api', 'cccccccccccc'] } },
        Ports: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': null },
      },
    });
    expect(f).toMatchObject({
      name: 'shop-api-1',
      netns: 'i'.repeat(64),
      mode: 'bridge',
      health: 'unhealthy',
      service: 'api',
      exposed: [5000],
      published: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 5000, protocol: 'tcp' }],
      endpoints: [{ network: 'shop', ipv4: '10.89.0.3', gateway: '10.89.0.1', aliases: ['api'] }],
    });
  });
});
