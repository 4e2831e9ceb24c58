import { IconBox, IconPhoto, IconSettings, IconTopologyRing3 } from '@tabler/icons-react';
import type { ComponentType, ReactNode } from 'react';
import { ContainersPage } from './pages/containers/ContainersPage';
import { ImagesPage } from './pages/images/ImagesPage';
import { PodsPage } from './pages/pods/PodsPage';
import { SettingsPage } from './pages/settings/SettingsPage';

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
  { path: '/images', label: 'Images', icon: IconPhoto, section: 'Podman', render: () => <ImagesPage /> },
  { path: '/pods', label: 'Pods', icon: IconTopologyRing3, section: 'Podman', render: () => <PodsPage /> },
  { path: '/settings', label: 'Settings', icon: IconSettings, section: 'App', render: () => <SettingsPage /> },
];

export const defaultRoute = '/containers';
