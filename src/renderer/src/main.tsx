import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { MantineProvider, useMantineColorScheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { call } from './api/client';
import { cssVariablesResolver, theme } from './theme';

const queryClient = new QueryClient({
  defaultOptions: {
    // Main pushes changes through streams; queries are for things that do not change by themselves.
    queries: { refetchOnWindowFocus: false, retry: false, staleTime: 30_000 },
  },
});

/** Follows the theme setting (System, Light, Dark). */
function ThemeFromSettings() {
  const { setColorScheme } = useMantineColorScheme();
  const settings = useQuery({ queryKey: ['settings.get'], queryFn: () => call('settings.get') });
  useEffect(() => {
    if (settings.data) setColorScheme(settings.data.theme);
  }, [settings.data, setColorScheme]);
  return null;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
        <ThemeFromSettings />
        <Notifications position="bottom-right" />
        <App />
      </MantineProvider>
    </QueryClientProvider>
  </StrictMode>,
);
