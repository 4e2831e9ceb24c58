import { Group, Paper, Stack, Text } from '@mantine/core';

/**
 * A small line chart of the latest samples (SVG, no chart library): enough to see a trend and
 * a spike, with the current value in words beside it.
 */
export function Sparkline(props: {
  label: string;
  values: number[];
  /** The top of the scale; the largest sample when not given. */
  max?: number;
  value: string;
  detail?: string;
  color?: string;
  testId?: string;
}) {
  const width = 260;
  const height = 64;
  const values = props.values.length > 1 ? props.values : [props.values[0] ?? 0, props.values[0] ?? 0];
  const top = Math.max(props.max ?? 0, ...values, 1e-9);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / top) * (height - 4) - 2).toFixed(1)}`);
  const color = props.color ?? 'var(--mantine-color-violet-6)';
  return (
    <Paper withBorder p="sm" data-testid={props.testId}>
      <Stack gap={4}>
        <Group justify="space-between" align="baseline">
          <Text size="sm" c="dimmed">
            {props.label}
          </Text>
          <Text fw={600} size="sm" data-testid={props.testId ? `${props.testId}-value` : undefined}>
            {props.value}
          </Text>
        </Group>
        <svg
          width="100%"
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={props.label}
        >
          <polygon points={`0,${height} ${points.join(' ')} ${width},${height}`} fill={color} opacity={0.12} />
          <polyline points={points.join(' ')} fill="none" stroke={color} strokeWidth={1.8} vectorEffect="non-scaling-stroke" />
        </svg>
        {props.detail && (
          <Text size="xs" c="dimmed">
            {props.detail}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
