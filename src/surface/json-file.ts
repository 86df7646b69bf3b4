/** Reading the JSON files of a run directory: every failure names the file and what is wrong in it. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export class RunFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'RunFileError';
  }
}

export async function readJsonFile<T extends z.ZodType>(file: string, schema: T): Promise<z.infer<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RunFileError(file, error instanceof Error ? error.message : String(error));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunFileError(file, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new RunFileError(file, z.prettifyError(parsed.error));
  return parsed.data;
}
