import { IconBox, IconSettings, IconStack2 } from '@tabler/icons-react';
import type { ComponentType, ReactNode } from 'react';
import { ContainersPage } from './pages/containers/ContainersPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { StacksPage } from './pages/stacks/StacksPage';

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
  { path: '/stacks', label: 'Stacks', icon: IconStack2, section: 'Podman', render: () => <StacksPage /> },
  { path: '/settings', label: 'Settings', icon: IconSettings, section: 'App', render: () => <SettingsPage /> },
];

export const defaultRoute = '/containers';
