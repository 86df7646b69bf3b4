/**
 * Loads a folder of raw export files (as the demo generator writes them) into BigQuery tables shaped
 * as dbt's `raw` sources expect on BigQuery: every CSV column as STRING plus `filename`, the export
 * file a row came from. In production a managed loader fills these tables; this serves the demo and
 * tests of the bigquery dbt target.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { parseCsv } from '../../data/csv.ts';

/** Raw tables and the files under the raw folder each is loaded from (dbt/models/staging/_sources.yml). */
export const RAW_TABLES: { table: string; folder: string; file?: string }[] = [
  { table: 'google_ads', folder: 'google_ads' },
  { table: 'microsoft_ads', folder: 'microsoft_ads' },
  { table: 'meta_ads', folder: 'meta_ads' },
  { table: 'tiktok_ads', folder: 'tiktok_ads' },
  { table: 'dv360', folder: 'dv360' },
  { table: 'tv', folder: 'tv' },
  { table: 'commerce', folder: 'commerce' },
  { table: 'holidays', folder: 'calendars', file: 'holidays.csv' },
  { table: 'promotions', folder: 'calendars', file: 'promotions.csv' },
  { table: 'consumer_confidence', folder: 'calendars', file: 'consumer_confidence.csv' },
  { table: 'media_plan', folder: 'media_plan' },
  { table: 'experiments', folder: 'experiments' },
];

export interface RawLoadReport {
  table: string;
  files: number;
  rows: number;
}

export async function loadRawExports(client: BigQuery, rawDir: string, dataset: string, location: string): Promise<RawLoadReport[]> {
  await client.dataset(dataset, { location }).get({ autoCreate: true });
  const scratch = mkdtempSync(join(tmpdir(), 'mmm-raw-load-'));
  try {
    const reports: RawLoadReport[] = [];
    for (const { table, folder, file } of RAW_TABLES) {
      const files =
        file === undefined
          ? readdirSync(join(rawDir, folder))
              .filter((f) => f.endsWith('.csv'))
              .sort()
          : [file];
      let header: string[] | null = null;
      const lines: string[] = [];
      for (const name of files) {
        const path = join(rawDir, folder, name);
        const csv = parseCsv(readFileSync(path, 'utf8'), path);
        if (header !== null && csv.header.join(',') !== header.join(','))
          throw new Error(`${path}: header differs from the other ${table} files`);
        header = csv.header;
        for (const row of csv.rows) {
          lines.push(JSON.stringify({ ...Object.fromEntries(csv.header.map((h, i) => [h, row.cells[i]])), filename: `${folder}/${name}` }));
        }
      }
      if (header === null) throw new Error(`${join(rawDir, folder)}: no export files for raw table ${table}`);
      const ndjson = join(scratch, `${table}.ndjson`);
      writeFileSync(ndjson, lines.join('\n'));
      await client
        .dataset(dataset)
        .table(table)
        .load(ndjson, {
          sourceFormat: 'NEWLINE_DELIMITED_JSON',
          schema: { fields: [...header, 'filename'].map((name) => ({ name, type: 'STRING', mode: 'NULLABLE' })) },
          createDisposition: 'CREATE_IF_NEEDED',
          writeDisposition: 'WRITE_TRUNCATE',
          location,
        });
      reports.push({ table, files: files.length, rows: lines.length });
    }
    return reports;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
