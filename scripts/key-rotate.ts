// Makes the configured certificate signing key the current one, on purpose:
//   npm run key:rotate
// Set the new key first (CERT_SIGNING_KEY, or replace DATA_DIR/cert-signing-key.pem on the
// embedded database), stop the server (the embedded database belongs to one process), run
// this, start again. The key it replaces stays in the database, endorsed by the new key:
// certificates signed before keep verifying (/verifikasi/kunci lists both), new ones are
// signed with the new key. Bringing an earlier key back works the same way.
import { dbReady } from "~/db.server";
import { env } from "~/env.server";
import { claimInstanceMode } from "~/instance.server";
import { rotateSigningKey } from "~/features/certification/signing.server";
import { runTool } from "./run-tool";

await runTool(async () => {
  const e = env();
  await dbReady();
  await claimInstanceMode(e.MODE);
  const r = await rotateSigningKey();
  if (!r.changed) {
    console.log(`Kunci ${r.to} sudah kunci penandatangan yang berlaku; tidak ada yang diubah.`);
  } else if (r.from) {
    console.log(
      `Kunci penandatangan diganti: ${r.from} -> ${r.to}. Sertifikat lama tetap dapat diverifikasi dengan kunci publik ${r.from} (daftar di /verifikasi/kunci); sertifikat baru ditandatangani kunci ${r.to}.`,
    );
  } else {
    console.log(`Kunci penandatangan ${r.to} dicatat.`);
  }
  if (r.unverifiable) {
    console.error(
      `Peringatan: ${r.unverifiable} sertifikat ditandatangani kunci yang kunci publiknya tidak tercatat; sertifikat itu akan terbaca "tanda tangan salah" sampai kunci lamanya dipasang kembali.`,
    );
  }
  return 0;
});
