import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import type { ModelDetails, ModelExportPlan, OllamaCandidate } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Env } from '../system/types';

/**
 * Ollama has no export API. What it keeps on disk is documented by its layout: a manifest per
 * model under <models>/manifests/<host>/<namespace>/<model>/<tag> listing blobs by digest, the
 * blobs under <models>/blobs/sha256-<hex>. For an Ollama on this computer PodDesk reads them
 * there — only after checking the manifest found is the one the server serves (its sha256 is the
 * digest /api/tags reports), so a stale folder of another installation is never exported.
 */

/** Where an Ollama on this computer keeps models: $OLLAMA_MODELS, the user's, the Linux service's. */
export function modelsDirs(env: Env, home: string, platform: NodeJS.Platform = process.platform): string[] {
  if (env.OLLAMA_MODELS) return [env.OLLAMA_MODELS];
  const dirs = [join(home, '.ollama', 'models')];
  if (platform === 'linux') dirs.push('/usr/share/ollama/.ollama/models');
  return dirs;
}

/** The manifest's place for a model name, filled in as Ollama fills it: registry.ollama.ai/library/<model>/latest. */
export function manifestPath(modelsDir: string, name: string): string {
  const [repo, tag = 'latest'] = name.split(/:(?=[^:/]*$)/) as [string, string?];
  const parts = repo.split('/');
  const full =
    parts.length === 1
      ? ['registry.ollama.ai', 'library', ...parts]
      : parts.length === 2
        ? ['registry.ollama.ai', ...parts]
        : parts;
  return join(modelsDir, 'manifests', ...full, tag);
}

export function blobPath(modelsDir: string, digest: string): string {
  return join(modelsDir, 'blobs', digest.replace(':', '-'));
}

const LOOPBACK = /^https?:\/\/(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?$/i;

interface Layer {
  mediaType: string;
  digest: string;
  size: number;
}

export interface LocalModel {
  modelsDir: string;
  /** The GGUF weights. */
  model: Layer;
}

/**
 * Where this model's weights are, or why they cannot be read from here: Ollama in a container or
 * on another machine keeps them out of reach; a folder with no such manifest, or with another one.
 */
export async function findLocalModel(
  name: string,
  digest: string,
  candidate: OllamaCandidate,
  dirs: string[],
): Promise<LocalModel | { reason: string }> {
  if (candidate.source === 'container') {
    return {
      reason: `Ollama runs in a container here (${candidate.label}): its model files are inside the container's volume, where PodDesk does not copy them from. You can save the Modelfile, and copy the weights out of the volume yourself.`,
    };
  }
  if (!LOOPBACK.test(candidate.host)) {
    return {
      reason: `Ollama runs on another machine (${candidate.host}): its model files are there, not on this computer. You can save the Modelfile; copy the weights on that machine.`,
    };
  }
  const problems: string[] = [];
  for (const dir of dirs) {
    const text = await readFile(manifestPath(dir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') problems.push(`${dir}: ${error.code === 'EACCES' ? 'permission denied' : error.message}`);
      return null;
    });
    if (!text) continue;
    if (createHash('sha256').update(text).digest('hex') !== digest.replace(/^sha256:/, '')) {
      problems.push(`${dir} holds another version of ${name} than the running Ollama serves`);
      continue;
    }
    let manifest: { layers?: Layer[] };
    try {
      manifest = JSON.parse(text.toString('utf8')) as typeof manifest;
    } catch {
      problems.push(`${dir}: the manifest of ${name} is not readable`);
      continue;
    }
    const model = (manifest.layers ?? []).find((l) => l.mediaType === 'application/vnd.ollama.image.model');
    if (!model)
      return {
        reason: `${name} has no GGUF weights layer (it may be a cloud or safetensors model): only its Modelfile can be saved.`,
      };
    const blob = await stat(blobPath(dir, model.digest)).catch(() => null);
    if (!blob?.isFile()) {
      problems.push(`${dir}: the weights file of ${name} is missing`);
      continue;
    }
    return { modelsDir: dir, model };
  }
  return {
    reason: `PodDesk did not find ${name}'s files in Ollama's folder on this computer (${problems.length > 0 ? problems.join('; ') : `looked in ${dirs.join(', ')}`}). If Ollama keeps its models elsewhere, start PodDesk with OLLAMA_MODELS set to that folder. You can still save the Modelfile.`,
  };
}

export function toPlan(found: LocalModel | { reason: string }): ModelExportPlan {
  return 'reason' in found
    ? { files: false, reason: found.reason }
    : { files: true, size: found.model.size, modelsDir: found.modelsDir };
}

/** A file name for this model: llama3.2:3b → llama3.2-3b. */
export function exportBaseName(name: string): string {
  return name.replace(/:latest$/, '').replace(/[/:]/g, '-') || 'model';
}

const quoteBlock = (text: string) => `"""${text.replace(/"""/g, '\\"\\"\\"')}"""`;

/**
 * A Modelfile with what /api/show reports: template, system prompt, parameters, license. With a
 * weights file beside it `ollama create <name> -f Modelfile` recreates the model elsewhere.
 */
export function buildModelfile(details: ModelDetails, weightsFile: string | null): string {
  const lines = [`# ${details.name}, exported by PodDesk.`];
  if (weightsFile) {
    lines.push(
      '# On the other computer, in this folder:',
      `#   ollama create ${details.name} -f Modelfile`,
      `FROM ./${weightsFile}`,
    );
  } else {
    lines.push(
      "# The weights are not included. Put the model's .gguf file beside this Modelfile and change FROM to",
      '# "FROM ./<file>.gguf", or keep FROM as it is where the model can be pulled. Then:',
      `#   ollama create ${details.name} -f Modelfile`,
      `FROM ${details.name}`,
    );
  }
  if (details.template) lines.push(`TEMPLATE ${quoteBlock(details.template)}`);
  if (details.system) lines.push(`SYSTEM ${quoteBlock(details.system)}`);
  for (const line of details.parameters.split('\n')) {
    const m = /^(\S+)\s+(.+)$/.exec(line.trim());
    if (m) lines.push(`PARAMETER ${m[1]} ${m[2]}`);
  }
  if (details.license) lines.push(`LICENSE ${quoteBlock(details.license)}`);
  return `${lines.join('\n')}\n`;
}

/** A pass-through that fails at the end when the bytes are not the digest's: a blob changed or damaged on disk. */
export function digestCheck(digest: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const got = `sha256:${hash.digest('hex')}`;
      callback(
        got === digest
          ? null
          : new AppError(
              'CONFLICT',
              "The weights file in Ollama's folder does not match its checksum (damaged, or changed while copying): nothing was exported.",
            ),
      );
    },
  });
}

export const openBlob = (modelsDir: string, digest: string) => createReadStream(blobPath(modelsDir, digest));

/** The folder the save dialog named: created, or an existing folder (the dialog agreed to use it). */
export async function exportFolder(path: string): Promise<void> {
  await mkdir(path, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new AppError(
      'CONFLICT',
      `Cannot create the folder ${path}: ${error.code === 'EEXIST' ? 'a file has that name' : error.message}`,
    );
  });
  const info = await stat(path);
  if (!info.isDirectory()) throw new AppError('CONFLICT', `${path} is a file: choose a name for a new folder`);
}
