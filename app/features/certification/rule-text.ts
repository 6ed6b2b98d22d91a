/**
 * The certification rule of a programme in words: the one description every page that
 * explains it uses (the welcome page, the home page, /sertifikat, the quiz, the
 * verification page, the certificate PDF and the Open Badges credential). It is made from
 * the programme's definition (content/programme.yaml: required modules, pass score,
 * attendance kind and count, practice tasks and how many), so a changed programme changes
 * every explanation; the rule itself is rule.ts.
 */
import type { Programme } from "~/features/catalogue/content-schema";

export type RuleProgramme = Pick<
  Programme,
  "title" | "requiredModules" | "passScore" | "attendance" | "validityMonths" | "practice"
>;

export interface RuleStep {
  key: "modul" | "kuis" | "kehadiran" | "praktik";
  /** "Baca 12 modul wajib" */
  title: string;
  /** What to do, in a sentence or two. */
  detail: string;
  /** The step as part of a sentence: "membaca 12 modul wajib sampai selesai". */
  phrase: string;
}

const WORDS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh"];

/** "satu", "dua", … "sepuluh", then digits. */
export function numberWord(n: number): string {
  return WORDS[n] ?? String(n);
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "a", "a dan b", "a, b, dan c". */
export function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  if (parts.length === 2) return `${parts[0]} dan ${parts[1]}`;
  return `${parts.slice(0, -1).join(", ")}, dan ${parts[parts.length - 1]}`;
}

/** "satu sesi pelatihan", "2 sesi pendampingan"; null when no attendance is required. */
export function sessionsText(p: Pick<RuleProgramme, "attendance">): string | null {
  const n = p.attendance.minSessions;
  return n > 0 ? `${numberWord(n)} sesi ${p.attendance.kind}` : null;
}

/** The steps to a certificate of the programme, in the order a kader usually takes them. */
export function ruleSteps(p: RuleProgramme): RuleStep[] {
  const modules = p.requiredModules.length;
  const steps: RuleStep[] = [
    {
      key: "modul",
      title: `Baca ${modules} modul wajib`,
      detail: "Bacalah per bagian dari ponsel, kapan saja. Modul bisa disimpan untuk dibaca tanpa sinyal.",
      phrase: `membaca ${modules} modul wajib sampai selesai`,
    },
    {
      key: "kuis",
      title: p.passScore ? `Lulus kuis setiap modul (nilai minimal ${p.passScore})` : "Lulus kuis setiap modul",
      detail: `Setelah membaca, kerjakan kuisnya${p.passScore ? "" : "; batas lulusnya tertulis di halaman kuis"}. Jika belum lulus, pelajari lagi lalu coba kembali.`,
      phrase: p.passScore ? `lulus kuis setiap modul dengan nilai minimal ${p.passScore}` : "lulus kuis setiap modul",
    },
  ];
  const sessions = sessionsText(p);
  if (sessions)
    steps.push({
      key: "kehadiran",
      title: `Ikuti ${sessions}`,
      detail: `Hadiri ${p.attendance.kind} dari Tim Pembina di wilayah Anda. Daftar di halaman Kegiatan; kehadiran dicatat di sesi.`,
      phrase: `mengikuti ${sessions}`,
    });
  const required = p.practice.required;
  if (required > 0) {
    const tasks = p.practice.tasks.length;
    steps.push({
      key: "praktik",
      title: `Dinilai kompeten dalam ${numberWord(required)} tugas praktik lapangan`,
      detail: `Tim Pembina desa atau kecamatan mengamati Anda mengerjakan tugas kader di Posyandu atau di lingkungan${required < tasks ? ` (${required} dari ${tasks} tugas yang ada; daftarnya di halaman Sertifikat)` : ""} dan mencatat hasilnya.`,
      phrase: `dinilai kompeten oleh Tim Pembina dalam ${numberWord(required)} tugas praktik lapangan`,
    });
  }
  return steps;
}

/** What the certificate attests, as a phrase: "membaca 12 modul wajib …, dan dinilai kompeten …". */
export function ruleCriteria(p: RuleProgramme): string {
  return joinAnd(ruleSteps(p).map((s) => s.phrase));
}

/** For the kader: "Sertifikat terbit otomatis setelah Anda …. Masa berlakunya 24 bulan." */
export function ruleSentence(p: RuleProgramme): string {
  return `Sertifikat terbit otomatis setelah Anda ${ruleCriteria(p)}. Masa berlakunya ${p.validityMonths} bulan.`;
}

/** "Empat langkah menuju Sertifikasi …:" */
export function ruleIntro(p: RuleProgramme): string {
  return `${capital(numberWord(ruleSteps(p).length))} langkah menuju ${p.title}:`;
}

/** After the steps: when the certificate comes and how long it lasts. */
export function ruleClosing(p: RuleProgramme): string {
  const n = ruleSteps(p).length;
  return `Sertifikat terbit otomatis setelah ${n === 1 ? "langkah ini" : `${numberWord(n)} langkah ini`} selesai dan berlaku ${p.validityMonths} bulan.`;
}

/**
 * Recertification (rule.ts, cycles): quiz results count only inside the current cycle;
 * reading, attendance and observed practice carry over.
 */
export function recertificationText(p: RuleProgramme): string {
  const kept = ["modul yang sudah dibaca"];
  if (p.attendance.minSessions > 0) kept.push(`kehadiran ${p.attendance.kind}`);
  if (p.practice.required > 0) kept.push("praktik lapangan yang sudah kompeten");
  return `Untuk sertifikasi ulang, kerjakan lagi kuis setiap modul wajib sampai lulus. ${capital(joinAnd(kept))} tetap dihitung.`;
}
