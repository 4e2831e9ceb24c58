import { AppShell, Group, Loader, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { Suspense } from 'react';
import { ConnectionIndicator } from './components/ConnectionIndicator';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import { navigate, useRoute } from './lib/router';
import { DoctorHost } from './pages/doctor/DoctorHost';
import { defaultRoute, routes, type Route } from './routes';

function findRoute(path: string): Route {
  return routes.find((r) => path === r.path || path.startsWith(`${r.path}/`)) ?? routes.find((r) => r.path === defaultRoute)!;
}

export function App() {
  const path = useRoute();
  const active = findRoute(path);
  const sections = [...new Set(routes.map((r) => r.section))];

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 0 }} padding="lg">
      {/* The first thing Tab reaches: past the header and the navigation, to the page itself.
          Routes live in the hash, so the link moves focus itself instead of following its href. */}
      <a
        href="#main-content"
        className="pd-skip-link"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main-content')?.focus();
        }}
      >
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <img src="./icon.svg" alt="" width={26} height={26} />
            <Title order={4}>PodDesk</Title>
          </Group>
          <ConnectionIndicator />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        <ScrollArea>
          {sections.map((section) => (
            <div key={section}>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
                {section}
              </Text>
              {routes
                .filter((r) => r.section === section)
                .map((r) => (
                  <NavLink
                    key={r.path}
                    href={`#${r.path}`}
                    label={r.label}
                    leftSection={<r.icon size={18} stroke={1.6} />}
                    active={r === active}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(r.path);
                    }}
                  />
                ))}
            </div>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main-content" tabIndex={-1}>
        <PageErrorBoundary key={active.path} page={active.label}>
          <Suspense fallback={<Loader size="sm" m="xl" />}>
            <active.page />
          </Suspense>
        </PageErrorBoundary>
        <DoctorHost />
      </AppShell.Main>
    </AppShell>
  );
}
