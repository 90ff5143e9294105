import type { DemoReport } from './demo-report.js';

/** Where the run's files are, shown under the figures. */
export interface RunLocation {
  readonly logDir: string;
  readonly database: string;
}

/** The report as a few aligned lines for a person. */
export function formatSummary(
  report: DemoReport,
  location: RunLocation,
): string {
  const rows: [string, string][] = [
    [
      'Orders',
      `${report.orders} placed: ${report.confirmed} confirmed, ` +
        `${report.cancelled} cancelled, ${report.pending} pending`,
    ],
    [
      '',
      `decline rule expects ${report.expectedConfirmed} confirmed, ` +
        `${report.expectedCancelled} cancelled`,
    ],
    [
      'Payments',
      `${report.payments} (${report.paymentsSucceeded} succeeded, ` +
        `${report.paymentsDeclined} declined)`,
    ],
    ['Notifications', String(report.notifications)],
    [
      'Retries',
      `${report.retries} (${report.retriedPayments} payments retried after ` +
        `${report.transientFailures} simulated gateway failures)`,
    ],
    [
      'Duplicates',
      `${report.duplicates} order.created redeliveries ignored by ` +
        "payment-service's inbox",
    ],
    [
      'Dead letters',
      `${report.deadLetters} (payment-service ${report.paymentDeadLetters}` +
        `${errorList(report.deadLetterErrors)}; ` +
        `${report.poison} poison messages sent)`,
    ],
    [
      'Latency',
      `p50 ${ms(report.p50Ms)}, p95 ${ms(report.p95Ms)}, ` +
        `p99 ${ms(report.p99Ms)}, max ${ms(report.maxMs)} ` +
        '(order placed -> final)',
    ],
    [
      'Throughput',
      `${report.throughputPerSec} orders/s over ${seconds(report.sagaMs)} ` +
        '(first order sent -> last order final)',
    ],
    ['Elapsed', `${seconds(report.elapsedMs)} in all`],
    ['Logs', location.logDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = [
    '',
    `Demo ${report.ok ? 'passed' : 'FAILED'}: transport ${report.transport}, ` +
      `namespace ${report.namespace}, ${location.database}`,
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`),
  ];
  if (!report.ok) {
    lines.push('', 'What is wrong:');
    lines.push(...report.problems.map((problem) => `  - ${problem}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The report as the one JSON line `--json` ends with. */
export function formatJson(report: DemoReport, location: RunLocation): string {
  return `${JSON.stringify({ ...report, logDir: location.logDir })}\n`;
}

/** `: PayloadValidationError 2, MalformedMessageError 1`, or nothing. */
function errorList(errors: Readonly<Record<string, number>>): string {
  const entries = Object.entries(errors);
  return entries.length === 0
    ? ''
    : `: ${entries.map(([name, count]) => `${name} ${count}`).join(', ')}`;
}

function ms(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value)} ms`;
}

function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(1)} s`;
}
