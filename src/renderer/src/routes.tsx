import {
  IconBox,
  IconHome,
  IconBrain,
  IconDatabase,
  IconMessageChatbot,
  IconNetwork,
  IconPhoto,
  IconSettings,
  IconStack2,
  IconTopologyRing3,
  IconTopologyStar3,
} from '@tabler/icons-react';
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * The app's pages, in navigation order. A new page is one entry here. Pages load when first
 * opened, so the heavy ones (the terminal, the topology graph, Markdown and highlighting) do not
 * slow the app's start.
 */
export interface Route {
  path: string;
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  section: 'Start' | 'Podman' | 'AI' | 'App';
  page: LazyExoticComponent<ComponentType>;
}

/**
 * A named export as a lazy page. A page's code that fails to arrive is asked for once more after
 * a moment (a busy machine, a host restarting); a second failure is shown by the page's error
 * boundary.
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => {
    const module = await load().catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return load();
    });
    return { default: module[name] };
  });
}

export const routes: Route[] = [
  {
    path: '/home',
    label: 'Home',
    icon: IconHome,
    section: 'Start',
    page: page(() => import('./pages/home/HomePage'), 'HomePage'),
  },
  {
    path: '/containers',
    label: 'Containers',
    icon: IconBox,
    section: 'Podman',
    page: page(() => import('./pages/containers/ContainersPage'), 'ContainersPage'),
  },
  {
    path: '/images',
    label: 'Images',
    icon: IconPhoto,
    section: 'Podman',
    page: page(() => import('./pages/images/ImagesPage'), 'ImagesPage'),
  },
  {
    path: '/pods',
    label: 'Pods',
    icon: IconTopologyRing3,
    section: 'Podman',
    page: page(() => import('./pages/pods/PodsPage'), 'PodsPage'),
  },
  {
    path: '/stacks',
    label: 'Stacks',
    icon: IconStack2,
    section: 'Podman',
    page: page(() => import('./pages/stacks/StacksPage'), 'StacksPage'),
  },
  {
    path: '/volumes',
    label: 'Volumes',
    icon: IconDatabase,
    section: 'Podman',
    page: page(() => import('./pages/volumes/VolumesPage'), 'VolumesPage'),
  },
  {
    path: '/networks',
    label: 'Networks',
    icon: IconNetwork,
    section: 'Podman',
    page: page(() => import('./pages/networks/NetworksPage'), 'NetworksPage'),
  },
  {
    path: '/topology',
    label: 'Topology',
    icon: IconTopologyStar3,
    section: 'Podman',
    page: page(() => import('./pages/topology/TopologyPage'), 'TopologyPage'),
  },
  {
    path: '/chat',
    label: 'Chat',
    icon: IconMessageChatbot,
    section: 'AI',
    page: page(() => import('./pages/chat/ChatPage'), 'ChatPage'),
  },
  {
    path: '/models',
    label: 'Models',
    icon: IconBrain,
    section: 'AI',
    page: page(() => import('./pages/models/ModelsPage'), 'ModelsPage'),
  },
  {
    path: '/settings',
    label: 'Settings',
    icon: IconSettings,
    section: 'App',
    page: page(() => import('./pages/settings/SettingsPage'), 'SettingsPage'),
  },
];

/** Where the app opens: Home, with the first-hour checklist and the state of things. */
export const defaultRoute = '/home';
