import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  exchange,
  exchangeFrames,
  frame,
  handshake,
  INDEX_HTML,
  openSocket,
  random,
  startTestHost,
  statuses,
  textFrame,
  type TestHost,
} from './raw-client';

/**
 * Thousands of malformed requests, handshakes, frames and messages, from a seeded generator (a
 * failure names its seed and case), against one host: none may end it, none may get past its
 * checks, and afterwards it still serves its page and answers calls. Raw TCP for the request
 * lines, headers and frames a browser or fetch would never send.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
const COUNTS = { http: 2_600, upgrades: 800, frames: 1_000, messages: 2_000, firstMessages: 100 };
const CONCURRENCY = 24;
// Each part takes a few seconds alone; the limit leaves room for a machine busy with other work.
const TIMEOUT = { timeout: 45_000 };
// A client that has said everything gives up soon: on a busy machine some answers are then lost,
// which costs coverage, not correctness (the checks are on the answers that came).
const QUICK = { idleMs: 40 };

let h: TestHost;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
const cases = { total: 0 };

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  h = await startTestHost();
});

// An exception or rejection nothing caught would have ended a real host: it fails the case that caused it.
afterEach(() => {
  expect(crashes).toEqual([]);
});

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await h.close();
  console.log(`host fuzz: ${cases.total} cases (seed ${SEED})`);
});

/** Runs `count` cases, `CONCURRENCY` at a time. */
async function run(count: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await one(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  cases.total += count;
}

function nastyTargets(port: number, token: string): string[] {
  return [
    '/',
    '//[',
    '/%',
    '/%zz',
    '/%E0%A4%A',
    '/%C0%AE%C0%AE/',
    '/..',
    '/../../etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/',
    '/a%5c..%5c..',
    '/%00',
    '/index.html%00.js',
    'http://a:99999/rpc',
    `http://127.0.0.1:${port}/`,
    'http://evil.example/',
    '*',
    '',
    'rpc',
    '?token=',
    '/?token=%',
    `/?token=${token}x`,
    `/?token=${token.slice(1)}`,
    '/?token[]=x&token=y',
    '/assets/a.js',
    '/assets/',
    '/assets',
    '/upload/x/1',
    '/upload/%/%',
    '/upload/x/99999999999',
    '/upload',
    '/rpc',
    '/\u00ff\u0100',
    '/\u{1F600}',
    `/${'a'.repeat(9_000)}`,
    `/${'%2f'.repeat(2_000)}`,
    '/index.html?%%%',
    '/./index.html',
    '/ /',
    '/\t',
  ];
}

/**
 * One request: a third are broken at the protocol level (request line, header syntax, framing),
 * the rest are well-formed HTTP with nasty targets and header values, so they reach the host's
 * own checks.
 */
function httpRequest(rng: ReturnType<typeof random>, port: number, token: string, cookie: string): string {
  const broken = rng.chance(0.33);
  const method = broken
    ? rng.pick(['get', 'G ET', '', 'GET\0', 'X'.repeat(300), 'GET', 'PUT'])
    : rng.pick(['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH']);
  let target = rng.chance(0.5)
    ? rng.pick([
        '/',
        '/assets/a.js',
        '/index.html',
        `/?token=${token}`,
        `/assets/a.js?token=${token}`,
        '/upload/x/0',
        '/missing.js',
        '/assets/',
      ])
    : rng.pick(nastyTargets(port, token));
  if (rng.chance(0.3)) {
    // A random byte somewhere in the target: percent-encoded, or raw if this one is broken anyway.
    const at = rng.int(target.length + 1);
    const byte = rng.int(256);
    const insert = broken ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`;
    target = target.slice(0, at) + insert + target.slice(at);
  }
  if (!broken) target = target.replace(/[^\x21-\x7e]/gu, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16)}`).join(''));
  const version = broken
    ? rng.pick(['HTTP/2.0', 'HTTP/9.9', 'http/1.1', '', 'HTTP/1.1 extra', 'HTTP/1.1'])
    : rng.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0']);
  const headers: string[] = [];
  const own = `127.0.0.1:${port}`;
  const host = rng.pick([
    own,
    own,
    own,
    own,
    own,
    `localhost:${port}`,
    `LOCALHOST:${port}`,
    'evil.example',
    `evil.example:${port}`,
    `127.0.0.1:${port + 1}`,
    `[::1]:${port}`,
    '',
    null,
  ]);
  if (host !== null) headers.push(`Host: ${host}`);
  if (rng.chance(0.05)) headers.push(`Host: evil.example`);
  const cookieHeader = rng.pick([
    cookie,
    cookie,
    cookie,
    cookie,
    cookie,
    cookie,
    `${cookie}; other=1`,
    `a=1;${cookie}`,
    `poddesk_token=${token}`,
    `poddesk_${port}=`,
    `poddesk_${port}`,
    ';;;=;',
    `${cookie}x`,
    'a'.repeat(5_000),
    null,
  ]);
  if (cookieHeader !== null) headers.push(`Cookie: ${cookieHeader}`);
  if (rng.chance(0.3))
    headers.push(
      `Origin: ${rng.pick([`http://127.0.0.1:${port}`, 'null', 'http://evil.example', '', `http://127.0.0.1:${port + 1}`])}`,
    );
  if (rng.chance(0.3)) headers.push(`Sec-Fetch-Site: ${rng.pick(['same-origin', 'same-site', 'cross-site', 'none', '?'])}`);
  if (rng.chance(0.2)) headers.push(`Sec-Fetch-Mode: ${rng.pick(['navigate', 'no-cors', 'cors', 'websocket'])}`);
  let body = '';
  if (rng.chance(0.3)) {
    body = rng.bytes(rng.int(64)).toString('latin1');
    const lengths = broken
      ? ['-1', 'abc', '99999999999999999999', `${body.length}, ${body.length + 1}`]
      : [String(body.length), String(body.length + 10), String(Math.max(0, body.length - 5))];
    headers.push(`Content-Length: ${rng.pick(lengths)}`);
  }
  if (broken && rng.chance(0.2))
    headers.push(`Transfer-Encoding: ${rng.pick(['chunked', 'gzip', 'chunked, chunked', 'identity'])}`);
  if (broken && rng.chance(0.3))
    headers.push(
      rng.pick([
        'Bad Header: x',
        'NoColon',
        ' folded: line',
        'X-Null: a\0b',
        'Upgrade: h2c',
        ':',
        rng.bytes(rng.int(40)).toString('latin1'),
      ]),
    );
  if (rng.chance(0.03)) headers.push(`X-Long: ${'b'.repeat(20_000)}`);
  if (!broken && rng.chance(0.2)) headers.push(`X-Odd: ${rng.pick(['\u00ff', '%', '//[', '\t', 'a;b=c'])}`);
  if (rng.chance(0.6)) headers.push('Connection: close');
  const eol = broken && rng.chance(0.3) ? rng.pick(['\n', '\r', '\r\r\n']) : '\r\n';
  let text = `${method} ${target} ${version}${eol}${headers.join(eol)}${eol}${eol}${body}`;
  if (broken && rng.chance(0.15)) text = text.slice(0, rng.int(text.length));
  if (broken && rng.chance(0.15)) text = rng.bytes(rng.int(200)).toString('latin1');
  return text;
}

function upgradeRequest(rng: ReturnType<typeof random>, t: TestHost): string {
  const bad = <T>(good: T, ...others: (T | undefined)[]) => (rng.chance(0.75) ? good : rng.pick(others));
  const target = bad('/rpc', 'http://a:99999/rpc', '//[', '/%', '/rpc?x=%', '/rpc/', '/', '*', '/RPC', '/rpc%00');
  return handshake(
    t,
    {
      Host: bad(`127.0.0.1:${t.port}`, `evil.example:${t.port}`, undefined, '', `localhost:${t.port}`),
      Origin: bad(
        t.url,
        'null',
        undefined,
        'http://evil.example',
        `http://localhost:${t.port}`,
        `http://127.0.0.1:${t.port + 1}`,
        '%',
      ),
      Cookie: bad(t.cookie, undefined, `poddesk_token=${t.token}`, `${t.cookie}x`, '===;'),
      Upgrade: bad('websocket', 'WebSocket', 'h2c', undefined, ''),
      Connection: bad('Upgrade', 'upgrade, keep-alive', 'close', undefined),
      'Sec-WebSocket-Key': bad('dGhlIHNhbXBsZSBub25jZQ==', undefined, '', 'short', '!!!!!!!!!!!!!!!!!!!!!!!!', 'a'.repeat(1000)),
      'Sec-WebSocket-Version': bad('13', undefined, '8', 'x', '13, 8', '-1'),
      'Sec-WebSocket-Protocol': bad(undefined, 'a,,b', ' ', 'chat, chat', '\u00ff'),
      'Sec-WebSocket-Extensions': bad(undefined, 'permessage-deflate; client_max_window_bits=99', ';;;', 'x'),
    },
    target,
  );
}

/** One to four frames of every wrong kind (and a few right ones), after a hello or instead of it. */
function frames(rng: ReturnType<typeof random>, pageKey: string): Buffer[] {
  const out: Buffer[] = [];
  if (rng.chance(0.7)) out.push(textFrame(JSON.stringify({ t: 'hello', key: pageKey })));
  const payload = () =>
    rng.pick([
      () => rng.bytes(rng.int(200)),
      () => Buffer.from(JSON.stringify({ t: 'call', n: rng.int(100), name: 'demo.echo', input: { text: 'x' } })),
      () => Buffer.from([0xff, 0xfe, 0xc3, 0x28]), // not UTF-8
      () => Buffer.from('null'),
      () => Buffer.alloc(0),
    ])();
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    const kind = rng.int(10);
    if (kind === 0) out.push(rng.bytes(1 + rng.int(64)));
    else if (kind === 1) out.push(frame({ opcode: 1, payload: payload(), masked: false }));
    else if (kind === 2) out.push(frame({ opcode: rng.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: payload() }));
    else if (kind === 3) out.push(frame({ opcode: 1, payload: payload(), rsv: 1 + rng.int(7) }));
    else if (kind === 4) out.push(frame({ opcode: rng.pick([8, 9, 10]), payload: rng.bytes(126 + rng.int(10)), lengthBytes: 2 }));
    else if (kind === 5) out.push(frame({ opcode: 9, payload: payload(), fin: false }));
    else if (kind === 6)
      out.push(
        frame({
          opcode: 8,
          payload: rng.pick([
            Buffer.from([0x03]),
            Buffer.from([0x00, 0x00]),
            Buffer.from([0x03, 0xed]),
            Buffer.from([0x13, 0x88, 0xff]),
          ]),
        }),
      );
    else if (kind === 7) out.push(frame({ opcode: 0, payload: payload(), fin: rng.chance(0.5) }));
    else if (kind === 8)
      out.push(
        frame({
          opcode: rng.pick([1, 2]),
          payload: Buffer.alloc(4),
          length: rng.pick([2 ** 31, 2 ** 53 - 1, 128 * 1024 * 1024, 2 ** 32 + 5]),
          lengthBytes: 8,
        }),
      );
    else
      out.push(
        frame({ opcode: rng.pick([1, 2]), payload: payload(), fin: rng.chance(0.8), lengthBytes: rng.pick([0, 2, 8] as const) }),
      );
  }
  return out;
}

/** A message after the hello, and the `n` it must be answered with, if any. */
function message(rng: ReturnType<typeof random>, i: number): { data: string | Buffer; answer?: number; binary?: boolean } {
  const n = 1_000_000 + i;
  const notAnN = rng.pick<unknown>(['1', 1.5, -1, 1e300, null, true, [1], { n: 1 }, Number.MAX_SAFE_INTEGER + 2]);
  const junk = () =>
    rng.pick<unknown>([
      null,
      true,
      0,
      -1,
      'text',
      [],
      [1, 2],
      {},
      { t: null },
      { t: 'call' },
      { t: 'hello', key: 'x' },
      { t: 'close' },
      { t: 'close', id: 5 },
      'x'.repeat(5000),
      { a: { b: { c: [[[[]]]] } } },
    ]);
  const kind = rng.int(16);
  switch (kind) {
    case 0:
      return { data: JSON.stringify(junk()) };
    case 1:
      return {
        data: rng.pick(['not json', '', '{', '{"t":"call",', '\u0000', '{"__proto__":{"t":"call","n":1}}', '['.repeat(5000)]),
      };
    case 2:
      return { data: rng.bytes(rng.int(100)), binary: true };
    case 3:
      return { data: JSON.stringify({ t: 'call', n: notAnN, name: 'demo.echo', input: { text: 'x' } }) };
    case 4:
      return {
        data: JSON.stringify({
          t: rng.pick(['call', 'open', 'nope', '', 'close']),
          n,
          name: rng.pick<unknown>([42, '', 'x'.repeat(300), null]),
        }),
        answer: n,
      };
    case 5:
      return {
        data: JSON.stringify({
          t: 'call',
          n,
          name: rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'demo', 'demo.echo.x']),
          input: junk(),
        }),
        answer: n,
      };
    case 6:
      return {
        data: JSON.stringify({ t: 'call', n, name: 'demo.echo', input: rng.chance(0.5) ? { text: `t${i}` } : junk() }),
        answer: n,
      };
    case 7:
      return { data: JSON.stringify({ t: 'call', n, name: rng.pick(['demo.big', 'demo.crash']) }), answer: n };
    case 8:
      return {
        data: JSON.stringify({
          t: 'open',
          n,
          id: rng.pick([`s${i}`, 'same', '', 'x'.repeat(300)]),
          name: 'demo.ticks',
          input: rng.chance(0.7) ? { count: rng.int(8) } : junk(),
        }),
        answer: n,
      };
    case 9:
      return {
        data: JSON.stringify({ t: 'open', n, id: `f${i}`, name: rng.pick(['demo.forever', 'demo.nothing', '__proto__']) }),
        answer: n,
      };
    case 10:
      return { data: JSON.stringify({ t: 'close', id: rng.pick([`f${i - 1}`, `s${i - 1}`, 'same', 'never', '__proto__']) }) };
    case 11:
      return { data: JSON.stringify({ t: 'open', n: notAnN, id: `g${i}`, name: 'demo.forever' }) };
    case 12:
      return {
        data: JSON.stringify({ t: 'call', n, name: 'demo.echo', input: { text: 'x'.repeat(rng.int(100_000)) } }),
        answer: n,
      };
    case 13:
      return { data: JSON.stringify({ t: 'call', n, name: 'demo.echo', input: { text: 'x' }, extra: junk() }), answer: n };
    case 14:
      return { data: `{"t":"call","n":${n},"name":"demo.echo","input":{"text":"\\ud800"}}`, answer: n };
    default:
      return {
        data: JSON.stringify({ t: 'call', n, name: 'demo.echo', input: { text: 'x', toString: 1, __proto__: { a: 1 } } }),
        answer: n,
      };
  }
}

describe('the browser host under malformed input', () => {
  it(`answers ${COUNTS.http} malformed HTTP requests over raw TCP without letting one in`, TIMEOUT, async () => {
    const rng = random(SEED);
    const requests = Array.from({ length: COUNTS.http }, () => httpRequest(rng, h.port, h.token, h.cookie));
    const wrong: string[] = [];
    const seen = new Map<number | 'none', number>();
    await run(requests.length, async (i) => {
      const request = requests[i]!;
      const answer = await exchange(h.port, request, { ...QUICK, reset: i % 10 === 9 });
      const all = statuses(answer);
      for (const key of all.length ? all : ['none' as const]) seen.set(key, (seen.get(key) ?? 0) + 1);
      for (const status of all) {
        // A 200 or the cookie only for a request that carried a credential; never a 5xx.
        const credentialed = request.includes(h.cookie) || request.includes(`token=${h.token}`);
        if (status >= 500 || (!credentialed && status < 400) || (answer.includes('PodDesk page') && !credentialed)) {
          wrong.push(`case ${i}: ${status} for ${JSON.stringify(request.slice(0, 300))}`);
        }
      }
    });
    expect(wrong).toEqual([]);
    // Every path ran: served, traded, refused at each check.
    console.log('host fuzz, HTTP answers:', Object.fromEntries(seen));
    for (const status of [200, 302, 400, 403, 404]) expect(seen.get(status), String(status)).toBeGreaterThan(0);
  });

  it(`refuses or completes ${COUNTS.upgrades} malformed WebSocket handshakes`, TIMEOUT, async () => {
    const rng = random(SEED + 1);
    const requests = Array.from({ length: COUNTS.upgrades }, () => upgradeRequest(rng, h));
    const wrong: string[] = [];
    let accepted = 0;
    await run(requests.length, async (i) => {
      const request = requests[i]!;
      const answer = await exchange(h.port, request, { ...QUICK, reset: i % 5 === 4 });
      const status = statuses(answer)[0];
      if (status === 101) {
        accepted++;
        const ok =
          request.includes(`Cookie: ${h.cookie}\r\n`) && /Origin: http:\/\/(127\.0\.0\.1|localhost):\d+\r\n/.test(request);
        if (!ok || request.includes('evil') || request.includes(`:${h.port + 1}`))
          wrong.push(`case ${i}: 101 for ${JSON.stringify(request)}`);
      } else if (status !== undefined && status >= 500) wrong.push(`case ${i}: ${status}`);
    });
    expect(wrong).toEqual([]);
    // The generator keeps most fields right, so the good path runs too.
    expect(accepted).toBeGreaterThan(0);
  });

  it(`survives ${COUNTS.frames} sockets of malformed WebSocket frames`, TIMEOUT, async () => {
    const rng = random(SEED + 2);
    const batches = Array.from({ length: COUNTS.frames }, () => frames(rng, h.pageKey));
    let upgraded = 0;
    await run(batches.length, async (i) => {
      const answer = await exchangeFrames(h.port, handshake(h), batches[i]!, { ...QUICK, reset: i % 5 === 4 });
      if (statuses(answer)[0] === 101) upgraded++;
    });
    expect(upgraded).toBe(COUNTS.frames);
  });

  it(`closes ${COUNTS.firstMessages} sockets whose first message is not the hello, answering nothing`, TIMEOUT, async () => {
    const rng = random(SEED + 3);
    const wrong: string[] = [];
    await run(COUNTS.firstMessages, async (i) => {
      const first = rng.pick<unknown>([
        null,
        { t: 'hello', key: h.pageKey.slice(1) },
        { t: 'hello', key: `${h.pageKey}x` },
        { t: 'hello', key: h.token },
        { t: 'call', n: 1, name: 'demo.echo', input: { text: 'x' } },
        'hello',
        { t: 'hello', key: h.pageKey.toUpperCase() },
      ]);
      const ws = new WebSocket(`ws://127.0.0.1:${h.port}/rpc`, { headers: { origin: h.url, cookie: h.cookie } });
      const heard: string[] = [];
      ws.on('message', (m) => heard.push(m.toString()));
      ws.on('open', () => {
        ws.send(JSON.stringify(first));
        ws.send(JSON.stringify({ t: 'call', n: 2, name: 'demo.echo', input: { text: 'x' } }));
      });
      const code = await new Promise<number>((resolve) => ws.on('close', resolve));
      if (code !== 4401 || heard.length > 0) wrong.push(`case ${i}: ${code} ${heard.join()} for ${JSON.stringify(first)}`);
    });
    expect(wrong).toEqual([]);
  });

  it(`answers each of ${COUNTS.messages} malformed messages that has a number, and nothing else`, TIMEOUT, async () => {
    const rng = random(SEED + 4);
    const ws = await openSocket(h);
    const expected = new Set<number>();
    const results = new Map<number, number>();
    const strays: unknown[] = [];
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as { t: string; n?: number };
      if (m.t !== 'result') return;
      results.set(m.n!, (results.get(m.n!) ?? 0) + 1);
      if (!expected.has(m.n!)) strays.push(m);
    });
    for (let i = 0; i < COUNTS.messages; i++) {
      const m = message(rng, i);
      if (m.answer !== undefined) expected.add(m.answer);
      ws.send(m.data, { binary: m.binary ?? false });
    }
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (results.size >= expected.size || crashes.length > 0) {
          clearInterval(check);
          resolve();
        }
      }, 20);
      ws.once('close', (code) => {
        clearInterval(check);
        reject(new Error(`closed with ${code} after ${results.size} of ${expected.size} answers`));
      });
    });
    expect(crashes).toEqual([]);
    expect(strays).toEqual([]);
    expect([...results.values()].every((count) => count === 1)).toBe(true);
    expect(results.size).toBe(expected.size);
    ws.close();
    cases.total += COUNTS.messages;
  });

  it('still serves its page and answers calls afterwards, and nothing escaped', TIMEOUT, async () => {
    expect(crashes).toEqual([]);
    const entry = await fetch(h.entryUrl, { redirect: 'manual' });
    expect(entry.status).toBe(302);
    const page = await fetch(`${h.url}/`, { headers: { cookie: h.cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(INDEX_HTML.slice(INDEX_HTML.indexOf('<title>')));
    const ws = await openSocket(h);
    const answer = new Promise((resolve) => ws.once('message', (m) => resolve(JSON.parse(m.toString()))));
    ws.send(JSON.stringify({ t: 'call', n: 1, name: 'demo.echo', input: { text: 'alive' } }));
    expect(await answer).toEqual({ t: 'result', n: 1, result: { ok: true, data: 'ALIVE' } });
    ws.close();
    expect(h.logged.filter((m) => !m.startsWith('Dropped'))).toEqual([]);
    expect(cases.total).toBeGreaterThanOrEqual(5_000);
  });
});
