/**
 * Kysely introspection of the warehouse's one schema through the SQL-standard information schema,
 * which DuckDB and BigQuery both provide (columns and tables views with the same column names).
 */
import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  type RawBuilder,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
  table_type: string;
}

export class InformationSchemaIntrospector implements DatabaseIntrospector {
  /**
   * @param relation the engine's name for an information-schema view ('columns' or 'tables'),
   *   already qualified as the engine needs (BigQuery: per dataset).
   */
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string,
    private readonly relation: (view: 'columns' | 'tables') => RawBuilder<unknown>,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    return [{ name: this.schema }];
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select c.table_name, c.column_name, c.data_type, c.is_nullable, t.table_type
      from ${this.relation('columns')} as c
      inner join ${this.relation('tables')} as t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = ${this.schema}
      order by c.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const row of rows) {
      const table = tables.get(row.table_name) ?? {
        name: row.table_name,
        schema: this.schema,
        isView: row.table_type === 'VIEW',
        columns: [],
      };
      tables.set(row.table_name, {
        ...table,
        columns: [
          ...table.columns,
          {
            name: row.column_name,
            dataType: row.data_type,
            isNullable: row.is_nullable === 'YES',
            isAutoIncrementing: false,
            hasDefaultValue: false,
          },
        ],
      });
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
