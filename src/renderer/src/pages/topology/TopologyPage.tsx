import { Group, Loader, Text } from '@mantine/core';
import { lazy, Suspense } from 'react';

// The graph library and the layout engine are large: they load when the page is first opened.
const TopologyView = lazy(() => import('./TopologyView'));

export function TopologyPage() {
  return (
    <Suspense
      fallback={
        <Group>
          <Loader size="sm" />
          <Text size="sm">Loading the topology…</Text>
        </Group>
      }
    >
      <TopologyView />
    </Suspense>
  );
}
