/**
 * SQL written once for every engine, dbt's `adapter.dispatch` idea without Jinja: a migration under
 * sql/shared/ spells what the engines write differently as {{token}}s (types, the current time, JSON
 * access), and each engine's dialect renders them. {{schema}} is left for the migration runner (the
 * schema or dataset of the warehouse at hand). The engines are the keys of DIALECTS: adding one starts
 * here, and the compiler then names every place that must know it (docs/design.md section 5).
 */
export const DIALECT_TOKENS = ['string', 'int', 'float', 'bool', 'date', 'timestamp', 'json', 'now', 'json_text'] as const;
export type DialectToken = (typeof DIALECT_TOKENS)[number];
export type SqlDialect = Readonly<Record<DialectToken, string>>;

export const DIALECTS = {
  duckdb: {
    string: 'varchar',
    int: 'bigint',
    float: 'double',
    bool: 'boolean',
    date: 'date',
    timestamp: 'timestamptz',
    json: 'json',
    now: 'current_timestamp',
    json_text: 'json_extract_string',
  },
  bigquery: {
    string: 'string',
    int: 'int64',
    float: 'float64',
    bool: 'bool',
    date: 'date',
    timestamp: 'timestamp',
    json: 'json',
    now: 'current_timestamp()',
    json_text: 'json_value',
  },
} as const satisfies Record<string, SqlDialect>;

export type Engine = keyof typeof DIALECTS;

const TOKEN = /\{\{\s*([a-z_]+)\s*\}\}/g;

export class SqlTemplateError extends Error {
  override readonly name = 'SqlTemplateError';
}

/**
 * The SQL of a template on one engine: every {{token}} of the dialect replaced, {{schema}} kept for
 * the runner. An unknown token is refused naming the file and the tokens there are.
 */
export function renderDialect(template: string, dialect: SqlDialect, file: string): string {
  return template.replace(TOKEN, (whole, name: string) => {
    if (name === 'schema') return whole;
    if ((DIALECT_TOKENS as readonly string[]).includes(name)) return dialect[name as DialectToken];
    throw new SqlTemplateError(
      `${file}: unknown token {{${name}}}; the tokens are {{schema}}, ${DIALECT_TOKENS.map((t) => `{{${t}}}`).join(', ')}`,
    );
  });
}
