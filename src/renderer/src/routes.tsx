import { IconBox, IconDatabase, IconNetwork, IconSettings, IconTopologyStar3 } from '@tabler/icons-react';
import type { ComponentType, ReactNode } from 'react';
import { ContainersPage } from './pages/containers/ContainersPage';
import { NetworksPage } from './pages/networks/NetworksPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { TopologyPage } from './pages/topology/TopologyPage';
import { VolumesPage } from './pages/volumes/VolumesPage';

/** The app's pages, in navigation order. A new page is one entry here. */
export interface Route {
  path: string;
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  section: 'Podman' | 'AI' | 'App';
  render: () => ReactNode;
}

export const routes: Route[] = [
  { path: '/containers', label: 'Containers', icon: IconBox, section: 'Podman', render: () => <ContainersPage /> },
  { path: '/volumes', label: 'Volumes', icon: IconDatabase, section: 'Podman', render: () => <VolumesPage /> },
  { path: '/networks', label: 'Networks', icon: IconNetwork, section: 'Podman', render: () => <NetworksPage /> },
  { path: '/topology', label: 'Topology', icon: IconTopologyStar3, section: 'Podman', render: () => <TopologyPage /> },
  { path: '/settings', label: 'Settings', icon: IconSettings, section: 'App', render: () => <SettingsPage /> },
];

export const defaultRoute = '/containers';
