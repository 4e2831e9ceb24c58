import { Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleDashed, IconCircleX, IconInfoCircle } from '@tabler/icons-react';
import type { DoctorFix, DoctorProblem, DoctorReport, DoctorStatus } from '../../../../shared/contract';
import { fixLabel } from './fix-text';

const STATUS_WORD: Record<DoctorStatus, string> = {
  pass: 'Passed',
  fail: 'Failed',
  warn: 'Warning',
  info: 'Note',
  skip: 'Skipped',
  pending: 'Checking',
};

function StatusIcon({ status }: { status: DoctorStatus }) {
  const props = { size: 20, className: 'pd-doctor-icon', 'data-status': status, 'aria-hidden': true } as const;
  switch (status) {
    case 'pass':
      return <IconCircleCheck {...props} />;
    case 'fail':
      return <IconCircleX {...props} />;
    case 'warn':
      return <IconAlertTriangle {...props} />;
    case 'info':
      return <IconInfoCircle {...props} />;
    case 'skip':
      return <IconCircleDashed {...props} />;
    case 'pending':
      return (
        <span className="pd-doctor-icon" data-status="pending" aria-hidden>
          <Loader size={16} color="currentColor" />
        </span>
      );
  }
}

function Problem({ problem, onFix, busy }: { problem: DoctorProblem; onFix(fix: DoctorFix): void; busy: boolean }) {
  return (
    <Paper
      withBorder
      p="sm"
      className="pd-doctor-problem"
      data-severity={problem.severity}
      data-testid="doctor-problem"
      data-trap={problem.trap}
      role="group"
      aria-labelledby={`pd-doctor-problem-${problem.trap}`}
    >
      <Stack gap={6}>
        <Title order={4} size="sm" id={`pd-doctor-problem-${problem.trap}`}>
          {problem.severity === 'warning' ? 'Worth knowing: ' : 'Why: '}
          {problem.title}
        </Title>
        <Text size="sm">{problem.explanation}</Text>
        <Text size="sm">
          <Text span fw={600} size="sm">
            How to fix it:{' '}
          </Text>
          {problem.remedy}
        </Text>
        {problem.fixes.length > 0 && (
          <Group gap="xs">
            {problem.fixes.map((fix, i) => (
              <Button
                key={i}
                size="xs"
                variant={i === 0 ? 'filled' : 'default'}
                disabled={busy}
                onClick={() => onFix(fix)}
                data-testid="doctor-fix"
                data-kind={fix.kind}
              >
                {fixLabel(fix)}
              </Button>
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** The answer: a one-line verdict, why and how to fix it, then each step with its result. */
export function DoctorReportView({ report, onFix, busy }: { report: DoctorReport; onFix(fix: DoctorFix): void; busy: boolean }) {
  const verdictStatus: DoctorStatus =
    report.verdict === 'reachable'
      ? 'pass'
      : report.verdict === 'unreachable'
        ? 'fail'
        : report.verdict === 'checking'
          ? 'pending'
          : 'warn';
  return (
    <Stack gap="md" data-testid="doctor-report" data-verdict={report.verdict} data-done={report.done}>
      <Paper withBorder p="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <StatusIcon status={verdictStatus} />
          <div aria-live="polite" aria-atomic>
            <Text fw={600} data-testid="doctor-summary">
              {report.summary}
            </Text>
            {report.via && (
              <Text size="sm">
                {report.via === 'exec'
                  ? `Checked from inside ${report.from.name}.`
                  : `Checked from a helper container in ${report.from.name}’s network.`}
              </Text>
            )}
          </div>
        </Group>
      </Paper>
      {report.problems.map((p) => (
        <Problem key={p.trap} problem={p} onFix={onFix} busy={busy} />
      ))}
      <ol className="pd-doctor-steps" aria-label="Steps of the check">
        {report.steps.map((s) => (
          <li key={s.id} className="pd-doctor-step" data-testid="doctor-step" data-step={s.id} data-status={s.status}>
            <StatusIcon status={s.status} />
            <div>
              <Text size="sm">
                <span className="pd-doctor-status">{STATUS_WORD[s.status]}:</span> {s.title}
              </Text>
              {s.detail && <Text size="sm">{s.detail}</Text>}
              {s.output && (
                <details className="pd-doctor-output">
                  <summary>What the tool said</summary>
                  <pre>{s.output}</pre>
                </details>
              )}
            </div>
          </li>
        ))}
      </ol>
    </Stack>
  );
}
