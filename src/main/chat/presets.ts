import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Preset } from '../../shared/contract';
import { presetSchema } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { writeFileAtomic } from '../store/atomic-file';

/** Sensible starting points; users add their own (kept in chat/presets.json). */
export const builtInPresets: Preset[] = [
  { id: 'balanced', name: 'Balanced', builtIn: true, system: '', params: {} },
  { id: 'precise', name: 'Precise', builtIn: true, system: '', params: { temperature: 0.2, top_p: 0.9 } },
  { id: 'creative', name: 'Creative', builtIn: true, system: '', params: { temperature: 1.1, top_p: 0.95, top_k: 80 } },
  {
    id: 'coder',
    name: 'Code helper',
    builtIn: true,
    system: 'You are a careful programming assistant. Answer with working code in fenced blocks and short explanations.',
    params: { temperature: 0.2 },
  },
];

export function presetStore(dir: string) {
  const path = join(dir, 'presets.json');
  const readUser = async (): Promise<Preset[]> => {
    try {
      const raw = JSON.parse(await readFile(path, 'utf8')) as unknown[];
      return (Array.isArray(raw) ? raw : [])
        .map((p) => presetSchema.safeParse(p))
        .filter((r) => r.success)
        .map((r) => ({ ...r.data!, builtIn: false }));
    } catch {
      return [];
    }
  };
  const all = async () => [...builtInPresets, ...(await readUser())];
  const writeUser = (presets: Preset[]) =>
    writeFileAtomic(
      path,
      JSON.stringify(
        presets.map(({ builtIn: _b, ...p }) => p),
        null,
        2,
      ),
    );
  return {
    all,
    async save(preset: Omit<Preset, 'builtIn'>) {
      if (builtInPresets.some((p) => p.id === preset.id)) throw new AppError('CONFLICT', 'Built-in presets cannot be changed');
      const user = (await readUser()).filter((p) => p.id !== preset.id);
      await writeUser([...user, { ...preset, builtIn: false }]);
      return all();
    },
    async remove(id: string) {
      if (builtInPresets.some((p) => p.id === id)) throw new AppError('CONFLICT', 'Built-in presets cannot be deleted');
      const user = await readUser();
      if (!user.some((p) => p.id === id)) throw new AppError('NOT_FOUND', 'No such preset');
      await writeUser(user.filter((p) => p.id !== id));
      return all();
    },
  };
}
