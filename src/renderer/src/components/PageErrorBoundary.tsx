import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { Component, type ReactNode } from 'react';

interface Props {
  /** The page's name, said in the message. */
  page: string;
  children: ReactNode;
}

/**
 * One page failing (a render bug, or its code not loading) must not blank the whole window: the
 * navigation and the other pages stay usable, and the page says what happened. Keyed by the page
 * in App, so opening another page starts afresh.
 */
export class PageErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    // A page's code that failed to load stays failed for this window: only a reload fetches it again.
    const notLoaded = /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(
      error.message,
    );
    return (
      <Alert
        data-testid="page-error"
        color="red"
        variant="light"
        icon={<IconAlertTriangle />}
        title={notLoaded ? `The ${this.props.page} page could not be loaded` : `The ${this.props.page} page stopped working`}
        maw={720}
      >
        <Stack gap="sm">
          <Text size="sm">
            {notLoaded
              ? 'Its code did not arrive. Reloading PodDesk fetches it again; nothing you made is lost.'
              : 'The other pages still work. Trying again redraws this page; nothing you made is lost.'}
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {error.message}
          </Code>
          <Group>
            {notLoaded ? (
              <Button leftSection={<IconRefresh size={16} />} onClick={() => window.location.reload()}>
                Reload PodDesk
              </Button>
            ) : (
              <Button leftSection={<IconRefresh size={16} />} onClick={() => this.setState({ error: null })}>
                Try again
              </Button>
            )}
          </Group>
        </Stack>
      </Alert>
    );
  }
}
