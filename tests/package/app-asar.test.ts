import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { extractFile, getRawHeader } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { build, Platform } from 'electron-builder';
import { describe, expect, inject, it } from 'vitest';
import { appResourcesDir } from '../../src/main/resources-dir';
import { packagedExecutable } from '../support/packaged-app';

/**
 * What electron-builder put in the app (tests/support/package-setup.ts packs it): the app.asar
 * opened with @electron/asar, resources/ beside it, the fuses of the binary.
 *
 * The size budget: app.asar at most 20 MB and 2,500 files (14.8 MB and 1,950 files when set).
 */
const BUDGET = { bytes: 20 * 1000 * 1000, files: 2500 };

const root = process.cwd();
const unpacked = inject('unpackedDir');
const asar = join(unpacked, 'resources', 'app.asar');

interface Entry {
  files?: Record<string, Entry>;
  size?: number;
  unpacked?: boolean;
  integrity?: { algorithm: string; hash: string };
}

/** Every file in the archive, by its path inside it ('/'-separated). */
function asarFiles(): Map<string, Entry> {
  const files = new Map<string, Entry>();
  const walk = (entry: Entry, prefix: string) => {
    for (const [name, child] of Object.entries(entry.files ?? {})) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (child.files) walk(child, path);
      else files.set(path, child);
    }
  };
  walk(getRawHeader(asar).header as Entry, '');
  return files;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

const files = asarFiles();
const paths = [...files.keys()];
const packagesIn = (list: string[]) =>
  new Set(list.flatMap((path) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(path)?.[1] ?? []));
const installed = packagesIn(paths);

describe('the packaged app.asar', () => {
  it('holds the built app, byte for byte, less the browser host’s entry and page bridge', () => {
    const built = filesUnder(join(root, 'out')).map((path) => `out/${path}`);
    const left = ['out/main/serve.js', 'out/renderer/ws-bridge.js'];
    expect(built).toEqual(expect.arrayContaining(left));
    expect(paths.filter((path) => path.startsWith('out/')).sort()).toEqual(built.filter((path) => !left.includes(path)).sort());
    for (const path of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(extractFile(asar, path).equals(readFileSync(join(root, path))), path).toBe(true);
    }
  });

  it('has nothing at its top but out/, node_modules/ and package.json: no sources, tests, scripts or resources', () => {
    expect(new Set(paths.map((path) => path.split('/')[0]))).toEqual(new Set(['out', 'node_modules', 'package.json']));
    const manifest = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string };
    expect(files.has(manifest.main)).toBe(true);
  });

  it('carries production dependencies only: each package in it is one the lockfile has outside devDependencies', () => {
    // By name and version: electron-builder lays node_modules out its own way, not npm's.
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { name?: string; version?: string; dev?: boolean }>;
    };
    const production = new Set(
      Object.entries(lock.packages)
        .filter(([path, entry]) => path && !entry.dev)
        .map(([path, entry]) => `${entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 13)}@${entry.version}`),
    );
    const shipped = [...installed].map((dir) => {
      const { name, version } = JSON.parse(extractFile(asar, `${dir}/package.json`).toString('utf8')) as {
        name: string;
        version: string;
      };
      return `${name}@${version}`;
    });
    expect(shipped.filter((pkg) => !production.has(pkg))).toEqual([]);
    const direct = Object.keys(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
    );
    for (const name of direct) expect(installed.has(`node_modules/${name}`), name).toBe(true);
    // The renderer's libraries are bundled into out/renderer by Vite; none of them ships again.
    for (const name of ['react', 'react-dom', '@mantine/core', '@tabler/icons-react', 'electron', 'vitest', 'electron-builder']) {
      expect(installed.has(`node_modules/${name}`), name).toBe(false);
    }
  });

  it('has every module the main process imports, and what each of those depends on', () => {
    const mainCode = paths.filter((path) => path.startsWith('out/main/')).map((path) => extractFile(asar, path).toString('utf8'));
    // Rolldown's output: `import … from "x"`, `import "x"`, `import("x")`, `require("x")` (renamed
    // `require$1` where a module makes its own with createRequire, as engine.ts does for dockerode).
    const specifiers =
      /\bfrom\s*"([^"]+)"|^import\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire(?:\$\d+)?\(\s*"([^"]+)"\s*\)/gm;
    const imported = new Set(
      mainCode.flatMap((code) => [...code.matchAll(specifiers)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!)),
    );
    const external = [...imported]
      .filter((name) => !name.startsWith('.') && !name.startsWith('node:') && name !== 'electron')
      .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!));
    // Main's pure-JavaScript dependencies are bundled into out/main; these load from node_modules.
    expect(external).toEqual(expect.arrayContaining(['dockerode', 'ssh2', 'electron-store']));
    for (const bundled of ['zod', 'yaml', 'ollama']) expect(external).not.toContain(bundled);

    // Node's lookup: the package's own node_modules, then each parent's, up to the top.
    const resolve = (from: string, name: string): string | undefined => {
      for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
        const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
        if (installed.has(candidate)) return candidate;
        if (!dir) return undefined;
      }
    };
    const missing: string[] = [];
    const seen = new Set<string>();
    const visit = (from: string, name: string) => {
      const found = resolve(from, name);
      if (!found) return void missing.push(`${name} (needed by ${from || 'out/main'})`);
      if (seen.has(found)) return;
      seen.add(found);
      const manifest = JSON.parse(extractFile(asar, `${found}/package.json`).toString('utf8')) as {
        main?: string;
        dependencies?: Record<string, string>;
      };
      if (manifest.main) {
        const main = `${found}/${manifest.main.replace(/^\.\//, '')}`.replace(/\/$/, '');
        const candidates = [main, `${main}.js`, `${main}/index.js`];
        if (!candidates.some((path) => files.has(path))) missing.push(`${main} (the main file of ${found})`);
      }
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        // The Bare runtime's modules are left out on purpose (electron-builder.ts says why).
        if (!dep.startsWith('bare-')) visit(found, dep);
      }
    };
    for (const name of external) visit('', name);
    expect(missing).toEqual([]);
  });

  it('leaves out what no running app reads: tests, TypeScript, source maps, Markdown', () => {
    const stray = paths.filter(
      (path) =>
        /(^|\/)(tests?|__tests__)\//.test(path) ||
        /\.(ts|mts|cts|tsx|map|md)$/i.test(path) ||
        /\.(test|spec)\.[cm]?js$/.test(path),
    );
    expect(stray).toEqual([]);
  });

  it('records the hash of every file, which the asar-integrity fuse checks on Windows and macOS', () => {
    const index = files.get('out/main/index.js')!;
    expect(index.integrity?.algorithm).toBe('SHA256');
    expect(index.integrity?.hash).toBe(createHash('sha256').update(extractFile(asar, 'out/main/index.js')).digest('hex'));
    expect(paths.filter((path) => !files.get(path)!.integrity)).toEqual([]);
    expect(paths.filter((path) => files.get(path)!.unpacked)).toEqual([]);
  });

  it(`keeps within its size budget (${BUDGET.bytes / 1e6} MB, ${BUDGET.files} files)`, () => {
    const bytes = statSync(asar).size;
    expect(bytes, `app.asar is ${(bytes / 1e6).toFixed(1)} MB`).toBeLessThanOrEqual(BUDGET.bytes);
    expect(paths.length, `app.asar holds ${paths.length} files`).toBeLessThanOrEqual(BUDGET.files);
  });
});

describe('beside app.asar', () => {
  it('has resources/ with the built-in stacks and templates, where the app looks for them', () => {
    const shipped = join(unpacked, 'resources', 'resources');
    expect(appResourcesDir({ isPackaged: true, resourcesPath: join(unpacked, 'resources') })).toBe(shipped);
    const expected = filesUnder(join(root, 'resources')).filter((path) => /^(stacks|templates)\//.test(path));
    expect(expected).toEqual(expect.arrayContaining(['stacks/jupyter.yaml', 'templates/flask-chat/app.py']));
    expect(filesUnder(shipped).sort()).toEqual(expected.sort());
    for (const path of expected)
      expect(readFileSync(join(shipped, path)).equals(readFileSync(join(root, 'resources', path))), path).toBe(true);
  });

  it('has the binary, named for the app and where the smoke test looks, with PodDesk’s fuses flipped', async () => {
    expect(packagedExecutable(dirname(unpacked), 'linux', process.arch)).toBe(join(unpacked, 'poddesk'));
    const wire = await getCurrentFuseWire(join(unpacked, 'poddesk'));
    const state = (fuse: FuseV1Options) => String.fromCharCode(Number(wire[fuse]));
    expect(state(FuseV1Options.RunAsNode)).toBe('0');
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe('1');
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
  });
});

describe('electron-builder.ts', () => {
  it('is checked against electron-builder’s schema: a misspelt option is refused before anything is built', async () => {
    const attempt = build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir'),
      config: { nsis: { perMachin: false } as never, directories: { output: join(unpacked, '..', 'never') } },
      publish: 'never',
    });
    await expect(attempt).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.nsis/);
  });
});
