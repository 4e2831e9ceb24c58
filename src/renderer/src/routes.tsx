import { IconBox, IconBrain, IconMessageChatbot, IconSettings } from '@tabler/icons-react';
import type { ComponentType, ReactNode } from 'react';
import { ContainersPage } from './pages/containers/ContainersPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { ChatPage } from './pages/chat/ChatPage';
import { ModelsPage } from './pages/models/ModelsPage';

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
  { path: '/chat', label: 'Chat', icon: IconMessageChatbot, section: 'AI', render: () => <ChatPage /> },
  { path: '/models', label: 'Models', icon: IconBrain, section: 'AI', render: () => <ModelsPage /> },
  { path: '/settings', label: 'Settings', icon: IconSettings, section: 'App', render: () => <SettingsPage /> },
];

export const defaultRoute = '/containers';
