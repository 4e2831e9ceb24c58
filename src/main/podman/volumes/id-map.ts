import { LIBPOD, type Engine } from '../engine';

/** One range of a user namespace's map, as `podman info` gives it (host.idMappings). */
export interface IdRange {
  container_id: number;
  host_id: number;
  size: number;
}

/** The owner a file of a volume has for its containers, from the owner this computer sees. */
export interface IdMap {
  uid(hostId: number): number;
  gid(hostId: number): number;
}

export const identityIds: IdMap = { uid: (id) => id, gid: (id) => id };

/** What a user namespace shows for a host id it does not map (the kernel's overflow id, "nobody"). */
const OVERFLOW_ID = 65534;

function toContainer(ranges: IdRange[], hostId: number): number {
  for (const r of ranges) {
    if (hostId >= r.host_id && hostId < r.host_id + r.size) return r.container_id + (hostId - r.host_id);
  }
  return OVERFLOW_ID;
}

/**
 * Rootless Podman runs its containers in a user namespace: the container's root is this user,
 * its uid 1000 is one of this user's subordinate ids (100999, say). Read directly, a volume's
 * files carry those host ids; shown — and backed up — they must carry the containers' ones, as the
 * helper container sees them.
 */
export function idMapFrom(mappings: { uidmap?: IdRange[] | null; gidmap?: IdRange[] | null } | null | undefined): IdMap {
  const uids = mappings?.uidmap ?? [];
  const gids = mappings?.gidmap ?? [];
  if (uids.length === 0 && gids.length === 0) return identityIds;
  return { uid: (id) => toContainer(uids, id), gid: (id) => toContainer(gids, id) };
}

/** The engine's map: a rootful engine's containers share this computer's ids. */
export async function engineIdMap(engine: Engine): Promise<IdMap> {
  const info = await engine.json<{
    host?: { security?: { rootless?: boolean }; idMappings?: { uidmap?: IdRange[] | null; gidmap?: IdRange[] | null } };
  }>('GET', `${LIBPOD}/info`);
  return info.host?.security?.rootless ? idMapFrom(info.host.idMappings) : identityIds;
}
