/** Who a locked-out kader asks for another round: names, numbers and a WhatsApp link each. */
import type { PembinaContact } from "~/features/coaching/kader-progress.server";

export function PembinaContacts({ contacts }: { contacts: PembinaContact[] }) {
  if (!contacts.length)
    return (
      <p className="text-sm" data-testid="pembina-kontak">
        Belum ada akun Tim Pembina untuk desa atau kecamatan Anda. Tanyakan kepada pengurus Posyandu siapa Tim Pembina
        desa Anda.
      </p>
    );
  return (
    <ul className="space-y-2 text-sm" data-testid="pembina-kontak">
      {contacts.map((c) => (
        <li key={c.whatsapp}>
          <span className="font-semibold">{c.name}</span> · {c.role} · <a href={`tel:${c.phone}`}>{c.phone}</a>
          <a href={c.whatsapp} className="btn-secondary mt-1 w-full" rel="noopener noreferrer" target="_blank">
            Kirim pesan WhatsApp ke {c.name}
          </a>
        </li>
      ))}
    </ul>
  );
}
