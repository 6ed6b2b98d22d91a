/** Hidden without JavaScript (nothing to do then); the kader page script shows it when a service worker can run. */
export function SaveAllButton({ size }: { size: string }) {
  return (
    <button type="button" hidden data-save-all className="btn-secondary mt-3 w-full text-sm">
      Simpan semua modul untuk dibaca tanpa sinyal ({size})
    </button>
  );
}
