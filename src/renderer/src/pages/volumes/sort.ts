import type { FileEntry } from '../../../../shared/contract';

export type SortKey = 'name' | 'size' | 'mtime' | 'permissions' | 'owner';

/** Folders first, then by the chosen column; names compare the way people count (file2 < file10). */
export function sortEntries(entries: FileEntry[], key: SortKey, descending: boolean, filter: string): FileEntry[] {
  const q = filter.trim().toLowerCase();
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const value = (e: FileEntry): number | string =>
    key === 'size'
      ? e.size
      : key === 'mtime'
        ? e.mtime
        : key === 'permissions'
          ? e.permissions
          : key === 'owner'
            ? e.uid * 1e6 + e.gid
            : e.name;
  return entries
    .filter((e) => !q || e.name.toLowerCase().includes(q))
    .sort((a, b) => {
      const folders = Number(b.type === 'dir') - Number(a.type === 'dir');
      if (folders) return folders;
      const va = value(a);
      const vb = value(b);
      const order = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
      return (descending ? -order : order) || collator.compare(a.name, b.name);
    });
}

export function ownerText(uid: number, gid: number): string {
  const name = (id: number) => (id === 0 ? 'root' : String(id));
  return `${name(uid)}:${name(gid)}`;
}
