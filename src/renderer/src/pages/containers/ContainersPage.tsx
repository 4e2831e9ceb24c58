import '../../styles/app.css';
import { useRoute } from '../../lib/router';
import { ContainerList } from './ContainerList';
import { ContainerDetails, TABS, type Tab } from './details/ContainerDetails';
import { RunContainerForm } from './run/RunContainerForm';

/**
 * #/containers — the table; #/containers/new[?image=…] — the Run form;
 * #/containers/<id>[/<tab>] — one container with its tabs.
 */
export function ContainersPage() {
  const path = useRoute();
  const [route, search] = path.split('?') as [string, string | undefined];
  const parts = route.split('/').filter(Boolean).slice(1);
  if (parts[0] === 'new') return <RunContainerForm image={new URLSearchParams(search ?? '').get('image') ?? undefined} />;
  if (parts[0]) {
    const tab = (TABS as readonly string[]).includes(parts[1] ?? '') ? (parts[1] as Tab) : 'logs';
    return <ContainerDetails key={parts[0]} id={decodeURIComponent(parts[0])} tab={tab} />;
  }
  return <ContainerList />;
}
