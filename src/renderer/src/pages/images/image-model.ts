import type { ContainerSummary, ImageSummary } from '../../../../shared/contract';

/** One row per name, as `podman images` shows them; a dangling image is one row of its own. */
export interface ImageRow {
  key: string;
  image: ImageSummary;
  /** repository:tag, or null for a dangling image. */
  name: string | null;
  repository: string;
  tag: string;
  usedBy: ContainerSummary[];
}

export function splitName(name: string): { repository: string; tag: string } {
  const at = name.lastIndexOf(':');
  return at > name.lastIndexOf('/')
    ? { repository: name.slice(0, at), tag: name.slice(at + 1) }
    : { repository: name, tag: 'latest' };
}

export type ImageFilter = 'all' | 'used' | 'unused' | 'dangling';

export function imageRows(
  images: readonly ImageSummary[],
  containers: readonly ContainerSummary[],
  query: string,
  filter: ImageFilter,
): ImageRow[] {
  const users = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    if (c.isInfra) continue;
    const list = users.get(c.imageId) ?? [];
    list.push(c);
    users.set(c.imageId, list);
  }
  const q = query.trim().toLowerCase();
  const rows: ImageRow[] = [];
  for (const image of images) {
    const usedBy = users.get(image.id) ?? [];
    if (filter === 'used' && usedBy.length === 0) continue;
    if (filter === 'unused' && usedBy.length > 0) continue;
    if (filter === 'dangling' && !image.dangling) continue;
    const names = image.tags.length ? image.tags : [null];
    for (const name of names) {
      const { repository, tag } = name ? splitName(name) : { repository: '<none>', tag: '<none>' };
      if (q && ![repository, tag, image.id.slice(0, 12)].some((f) => f.toLowerCase().includes(q))) continue;
      rows.push({ key: `${image.id}:${name ?? ''}`, image, name, repository, tag, usedBy });
    }
  }
  return rows.sort(
    (a, b) =>
      Number(a.name === null) - Number(b.name === null) ||
      a.repository.localeCompare(b.repository) ||
      b.image.created - a.image.created,
  );
}
