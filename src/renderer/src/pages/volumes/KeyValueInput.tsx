import { Textarea } from '@mantine/core';

/** "key=value" lines, as `podman volume create --label` takes them. */
export function parseKeyValues(text: string): { values: Record<string, string>; error?: string } {
  const values: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { values, error: `Line ${i + 1}: write key=value` };
    values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { values };
}

export function KeyValueInput(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  testId?: string;
  /** A problem with what the lines say (the parse error comes first). */
  problem?: string | undefined;
}) {
  const error = parseKeyValues(props.value).error ?? props.problem;
  return (
    <Textarea
      label={props.label}
      description="One key=value per line"
      placeholder={props.placeholder}
      autosize
      minRows={2}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      error={error}
      data-testid={props.testId}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  );
}
