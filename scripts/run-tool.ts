/**
 * Runs a command-line task the way every one of them ends: a bad environment variable is one
 * line and exit 78 (EX_CONFIG, as the server does), any other error keeps its stack, and the
 * database is closed either way.
 */
import { closeDb } from "~/db.server";
import { EnvError } from "~/env.server";

export async function runTool(main: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await main();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    code = 78;
  } finally {
    await closeDb();
  }
  process.exit(code);
}
