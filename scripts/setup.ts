// The first admin of a pilot (AKADEMI_MODE=pilot) or production instance:
//   npm run setup -- --admin 081234567890 [--nama "Nama Admin"] [--wilayah 64 | ID]
// asks for the password twice (not shown, never stored anywhere but as its argon2id hash).
// Without a terminal the password is read from the first line of standard input
// (`printf '%s\n' "$KATA_SANDI" | npm run setup -- --admin 08…`). Stop a pilot server first:
// the embedded database belongs to one process.
import { createInterface } from "node:readline";
import { dbReady } from "~/db.server";
import { databaseKind, env } from "~/env.server";
import { runTool } from "./run-tool";
import { claimInstanceMode } from "~/instance.server";
import { createFirstAdmin } from "~/features/accounts/first-admin.server";
import { seedRegionsIfEmpty } from "~/features/regions/regions.server";

const USAGE = 'Pemakaian: npm run setup -- --admin 08xxxxxxxxxx [--nama "Nama Admin"] [--wilayah 64 | ID]';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** One line typed at the terminal without echo. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput(s: string): void };
    const write = out._writeToOutput.bind(rl);
    out._writeToOutput = (s: string) => {
      if (s.startsWith(question)) write(question);
      else if (s.includes("\n")) write("\n");
    };
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

async function readPassword(): Promise<string | null> {
  if (process.stdin.isTTY) {
    const first = await askHidden("Kata sandi admin (minimal 12 karakter): ");
    const again = await askHidden("Ulangi kata sandi: ");
    if (first !== again) {
      console.error("Kedua kata sandi tidak sama. Jalankan lagi.");
      return null;
    }
    return first;
  }
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0] ?? "";
}

async function main(): Promise<number> {
  const phone = option("admin");
  if (!phone) {
    console.error(USAGE);
    return 2;
  }
  const e = env();
  if (e.DEMO) {
    console.error(
      "npm run setup membuat admin pertama untuk pilot atau produksi; mode sekarang demo (akun demo sudah ada). Setel AKADEMI_MODE=pilot (di .env) lalu jalankan lagi.",
    );
    return 2;
  }
  await dbReady();
  await claimInstanceMode(e.MODE);
  await seedRegionsIfEmpty();
  const password = await readPassword();
  if (password === null) return 1;
  const r = await createFirstAdmin({ phone, password, name: option("nama"), scopeCode: option("wilayah") });
  if (!r.ok) {
    console.error(r.error);
    return 1;
  }
  console.log(
    `Admin pertama dibuat: ${"0" + r.phone.slice(2)} (wilayah ${r.scopeCode}, mode ${e.MODE}, data di ${databaseKind(e) === "postgres" ? "PostgreSQL" : e.DATA_DIR}). Masuk dengan nomor ini dan kata sandi tadi.`,
  );
  return 0;
}

await runTool(main);
