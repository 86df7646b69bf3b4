/** Problems found in model input data, collected so that one run reports all of them at once. */

export interface DataIssue {
  column?: string;
  /** 1-based CSV line (or table row of a warehouse extract). */
  row?: number;
  geo?: string;
  date?: string;
  /** The offending value as it appeared in the source. */
  value?: string;
  /** What is wrong, as a full sentence fragment that already quotes the value. */
  message: string;
}

/** How many issues the error message lists before summarising the rest as a count. */
const LISTED_ISSUES = 20;

/** "column 'x1', row 17 (geo 'Geo3', date 2019-01-07): negative spend -3.2" */
export function formatIssue(issue: DataIssue): string {
  const where: string[] = [];
  if (issue.column !== undefined) where.push(`column '${issue.column}'`);
  if (issue.row !== undefined) where.push(`row ${issue.row}`);
  const context: string[] = [];
  if (issue.geo !== undefined) context.push(`geo '${issue.geo}'`);
  if (issue.date !== undefined) context.push(`date ${issue.date}`);
  const location = [where.join(', '), context.length > 0 ? `(${context.join(', ')})` : ''].filter((part) => part.length > 0).join(' ');
  return location.length > 0 ? `${location}: ${issue.message}` : issue.message;
}

export class DataValidationError extends Error {
  readonly issues: DataIssue[];
  readonly source: string;

  constructor(source: string, issues: DataIssue[]) {
    const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
    const listed = issues.slice(0, LISTED_ISSUES).map((issue) => `  - ${formatIssue(issue)}`);
    if (issues.length > LISTED_ISSUES) listed.push(`  ... and ${issues.length - LISTED_ISSUES} more`);
    super(`${source}: ${count}:\n${listed.join('\n')}`);
    this.name = 'DataValidationError';
    this.issues = issues;
    this.source = source;
  }
}
