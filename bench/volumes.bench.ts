import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../src/main/app';
import { createApp } from '../src/main/app';
import { memorySettings } from '../src/main/store/settings';
import type { StreamInput, StreamName, TransferProgress } from '../src/shared/contract';
import { fakeHostFiles } from '../tests/support/host-files';
import { dropped } from '../tests/support/app';
import { buildBusyboxImage, podman, podmanEnv, preparePodman, startService, type PodmanInfo } from '../tests/support/podman';

/**
 * The volume browser against the CLI, in one run on one private Podman:
 * - listing a folder of 10,000 files that sits beside a 1 GB file (PodDesk direct and through
 *   the helper, against `podman exec … ls -la`);
 * - uploading and downloading a 1 GB file (PodDesk direct and helper, against `podman cp`),
 *   with the process's peak memory while it runs.
 */
const FILES = 10_000;
const BIG = 1024 * 1024 * 1024;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (bytes: number, ms: number) => Math.round((bytes / 1024 / 1024 / (ms / 1000)) * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function timeCli(info: PodmanInfo, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile('podman', [...info.args, ...args], { env: podmanEnv(info), maxBuffer: 256 * 1024 * 1024 }, (error) =>
      error ? reject(error) : resolve(performance.now() - started),
    );
  });
}

function runStream<N extends StreamName>(app: App, name: N, input: StreamInput<N>): Promise<TransferProgress[]> {
  return new Promise((resolve, reject) => {
    const items: TransferProgress[] = [];
    const session = app.dispatcher.session((event) => {
      if (event.type === 'batch') items.push(...(event.items as TransferProgress[]));
      else {
        session.closeAll();
        if (event.error) reject(new Error(event.error.message));
        else resolve(items);
      }
    });
    session.open('bench', name, input);
  });
}

/** Peak resident memory above the start, sampled while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssDeltaMB: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  try {
    const result = await work();
    return { result, peakRssDeltaMB: Math.round((peak - base) / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

async function bigFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  const slice = Buffer.alloc(8 * 1024 * 1024, 0x5a);
  for (let i = 0; i < BIG / slice.length; i++)
    if (!out.write(slice)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

export default async function () {
  const base = await preparePodman();
  const info: PodmanInfo = { ...base, socketPath: join(base.dir, 'podman.sock') };
  const work = await mkdtemp(join(tmpdir(), 'poddesk-bench-'));
  await buildBusyboxImage(base);
  const service = await startService(base, info.socketPath);
  const apps: App[] = [];
  const appFor = async (volumeAccess: 'auto' | 'helper') => {
    const app = await createApp({
      settings: memorySettings({
        connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'bench' },
        volumeAccess,
        volumeHelperImage: info.busybox,
      }),
      dataDir: work,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...info.env },
      hostFiles: fakeHostFiles(join(work, `saved-${volumeAccess}`)),
      log: () => undefined,
    });
    await app.connection.connect();
    apps.push(app);
    return app;
  };
  try {
    const volume = 'bench-data';
    await podman(info, 'volume', 'create', volume);
    await podman(info, 'run', '-d', '--name', 'bench-box', '-v', `${volume}:/v`, info.busybox, 'sleep', '3600');
    await podman(
      info,
      'exec',
      'bench-box',
      'sh',
      '-c',
      `mkdir -p /v/many && cd /v/many && i=0; while [ $i -lt ${FILES} ]; do echo $i > file-$i.txt; i=$((i+1)); done; head -c ${BIG} /dev/zero > /v/many/huge.bin`,
    );

    const direct = await appFor('auto');
    const helper = await appFor('helper');
    const list = async (app: App) => {
      const started = performance.now();
      const result = await app.dispatcher.call('volumes.files.list', { volume, path: 'many' });
      if (!result.ok) throw new Error(result.error.message);
      const entries = (result.data as { entries: unknown[] }).entries.length;
      if (entries !== FILES + 1) throw new Error(`listed ${entries} entries`);
      return performance.now() - started;
    };
    const helperFirst = await list(helper); // creates and starts the helper
    const listing = { direct: [] as number[], helper: [] as number[], podmanExecLs: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      listing.direct.push(await list(direct));
      listing.helper.push(await list(helper));
      listing.podmanExecLs.push(await timeCli(info, ['exec', 'bench-box', 'ls', '-la', '/v/many']));
    }

    // One 1 GB file, each way.
    for (const sub of ['src', 'saved-auto', 'saved-helper', 'cp-out']) await mkdir(join(work, sub));
    const source = join(work, 'src', 'upload.bin');
    await bigFile(source);
    const transfers: Record<
      string,
      { uploadMBps: number; downloadMBps: number; uploadPeakRssMB?: number; downloadPeakRssMB?: number }
    > = {};
    for (const [label, app] of [
      ['poddeskDirect', direct],
      ['poddeskHelper', helper],
    ] as const) {
      await podman(info, 'exec', 'bench-box', 'rm', '-f', '/v/upload.bin');
      const up = await withPeakRss(async () => {
        const t = performance.now();
        await runStream(app, 'volumes.files.upload', { volume, dir: '', source: dropped(app, source) });
        return performance.now() - t;
      });
      const down = await withPeakRss(async () => {
        const t = performance.now();
        const items = await runStream(app, 'volumes.files.download', { volume, path: 'upload.bin', format: 'file' });
        const ms = performance.now() - t;
        const saved = (items.at(-1) as { savedTo: string }).savedTo;
        if ((await stat(saved)).size !== BIG) throw new Error('short download');
        await rm(saved);
        return ms;
      });
      transfers[label] = {
        uploadMBps: mbps(BIG, up.result),
        downloadMBps: mbps(BIG, down.result),
        uploadPeakRssMB: up.peakRssDeltaMB,
        downloadPeakRssMB: down.peakRssDeltaMB,
      };
    }
    await podman(info, 'exec', 'bench-box', 'rm', '-f', '/v/upload.bin');
    const cpUp = await timeCli(info, ['cp', source, 'bench-box:/v/upload.bin']);
    const cpDown = await timeCli(info, ['cp', 'bench-box:/v/upload.bin', join(work, 'cp-out', 'upload.bin')]);
    transfers.podmanCp = { uploadMBps: mbps(BIG, cpUp), downloadMBps: mbps(BIG, cpDown) };

    const d = median(listing.direct);
    const h = median(listing.helper);
    const cli = median(listing.podmanExecLs);
    return {
      podman: await podman(info, 'version', '--format', '{{.Client.Version}}'),
      listing: {
        folder: `${FILES} files beside a 1 GB file`,
        runs: RUNS,
        poddeskDirectMs: Math.round(d),
        poddeskHelperMs: Math.round(h),
        poddeskHelperFirstMsIncludingHelperStart: Math.round(helperFirst),
        podmanExecLsMs: Math.round(cli),
        directVsExecLs: ratio(d, cli),
        helperVsExecLs: ratio(h, cli),
      },
      transfers1GB: transfers,
      uploadDirectVsPodmanCp: ratio(transfers.poddeskDirect!.uploadMBps, transfers.podmanCp.uploadMBps),
      downloadDirectVsPodmanCp: ratio(transfers.poddeskDirect!.downloadMBps, transfers.podmanCp.downloadMBps),
      uploadHelperVsPodmanCp: ratio(transfers.poddeskHelper!.uploadMBps, transfers.podmanCp.uploadMBps),
      downloadHelperVsPodmanCp: ratio(transfers.poddeskHelper!.downloadMBps, transfers.podmanCp.downloadMBps),
    };
  } finally {
    for (const app of apps) await app.close().catch(() => undefined);
    await podman(info, 'rm', '-f', '-t', '0', 'bench-box').catch(() => undefined);
    await podman(info, 'volume', 'rm', '-f', 'bench-data').catch(() => undefined);
    await service.stop();
    await podman(info, 'system', 'reset', '--force').catch(() => undefined);
    await rm(base.dir, { recursive: true, force: true }).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
