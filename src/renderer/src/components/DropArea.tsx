import { Paper } from '@mantine/core';
import { useState, type ReactNode } from 'react';

/**
 * A bordered area that takes a drop of files or a folder, tinted while something is dragged over
 * it. Dropping is only a shortcut: every dialog that has one also offers a button to choose.
 */
export function DropArea({
  onDrop,
  children,
  testId,
}: {
  onDrop: (data: DataTransfer) => void;
  children: ReactNode;
  testId?: string;
}) {
  const [dragging, setDragging] = useState(false);
  return (
    <Paper
      withBorder
      p="sm"
      bg={dragging ? 'var(--mantine-color-blue-light)' : undefined}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        onDrop(e.dataTransfer);
      }}
      {...(testId ? { 'data-testid': testId } : {})}
    >
      {children}
    </Paper>
  );
}
