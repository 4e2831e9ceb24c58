import { connectedApp } from './tests/support/app';
import { openStream } from './tests/support/streams';
const app = await connectedApp({ socketPath: '/tmp/i3p/podman.sock', args: [], env: {}, dir: '/tmp/i3p', busybox: '' } as never);
const s = openStream(app, 'containers.statsAll', undefined);
await new Promise((r) => setTimeout(r, 7000));
console.log(s.items.length, JSON.stringify(s.items.at(-1)?.map((x) => [x.name, x.cpuPercent, x.memUsed])), s.isEnded(), s.isEnded() ? await s.ended : '');
s.close(); await app.close();
