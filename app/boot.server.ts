/**
 * Start-up: migrations, the mode stamp (AKADEMI_MODE: demo data never in a real database),
 * the certificate signing key, the bundled regions and map boundaries when missing, and in demo mode the
 * demo data; a pilot does not start without its first admin (`npm run setup`). Called once
 * by the server before it listens, and by scripts.
 */
import { content, syncModuleVersions, warmContent } from "~/features/catalogue/content.server";
import { dbKind, dbReady } from "~/db.server";
import { demoAccountsTable, seedDemo } from "~/demo/demo.server";
import { EnvError, env } from "~/env.server";
import { claimInstanceMode } from "~/instance.server";
import { hasActiveAdmin, NO_ADMIN_MESSAGE } from "~/features/accounts/first-admin.server";
import { checkSigningKey } from "~/features/certification/signing.server";
import { seedBundledRegions } from "~/features/regions/regions.server";
import { seedBundledBoundaries } from "~/features/regions/boundaries.server";

export async function boot(log: (line: string) => void = console.log): Promise<void> {
  const e = env();
  const t0 = performance.now();
  const c = content(); // validates content/: a broken module stops the start with file and field
  await dbReady();
  await claimInstanceMode(e.MODE);
  await checkSigningKey();
  const versions = await syncModuleVersions();
  if (versions) log(`Versi modul baru dicatat: ${versions}.`);
  const tc = performance.now();
  await warmContent();
  log(
    `${c.modules.length} modul siap (MDX dikompilasi/dimuat dari cache dalam ${Math.round(performance.now() - tc)} ms).`,
  );
  const seeded = await seedBundledRegions();
  if (seeded) log(`Wilayah Indonesia dimuat: ${seeded} baris baru.`);
  const shapes = await seedBundledBoundaries();
  if (shapes) log(`Batas wilayah (peta) dimuat: ${shapes} wilayah.`);
  if (e.DEMO) {
    const demo = await seedDemo();
    if (demo) {
      log(
        `Data demo dibuat: ${demo.posyandu} posyandu, ${demo.kader} kader, ${demo.workshops} kegiatan, ${demo.attendance} catatan hadir, ` +
          `${demo.progress} progres modul, ${demo.attempts} percobaan kuis (${demo.ms} ms).`,
      );
    }
    log(demoAccountsTable());
  } else if (!(await hasActiveAdmin())) {
    // The embedded database belongs to one process: setup cannot run beside the server, so a
    // pilot stops here. On PostgreSQL the server starts and says so; setup can run beside it.
    if (e.MODE === "pilot") throw new EnvError(`${NO_ADMIN_MESSAGE} Lalu jalankan server lagi.`);
    log(NO_ADMIN_MESSAGE);
  }
  log(`Basis data siap (${dbKind()}, mode ${e.MODE}) dalam ${Math.round(performance.now() - t0)} ms.`);
}
