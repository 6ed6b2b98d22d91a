/**
 * The one "Lanjutkan" step on a kader's home page, decided from facts the server loads:
 * the module she read last (at the section where she stopped), else the next quiz,
 * else the next module, else the pelatihan session she is enrolled in, else her certificate.
 */

export interface StepModule {
  slug: string;
  title: string;
  opened: boolean;
  completed: boolean;
  hasQuiz: boolean;
  quizPassed: boolean;
  /** Section to resume at (anchor id and heading), when she finished at least one section. */
  resume: { id: string; title: string } | null;
  sectionsRead: number;
  sections: number;
  /** When she last read in it (ms; opened it or finished a section), null if not known. */
  readAt?: number | null;
}

export interface StepSession {
  id: number;
  title: string;
  when: string;
}

export interface NextStepInput {
  /** Required and assigned modules, in the programme's order. */
  modules: StepModule[];
  attendanceOk: boolean;
  /** The programme's attendance step (rule-text.ts), e.g. kind "pelatihan", title "Ikuti satu sesi pelatihan". */
  attendance: { kind: string; title: string };
  /** Observed practice done (or none required): attendance is then the last step. */
  practiceOk: boolean;
  certified: boolean;
  /** Upcoming sessions she is enrolled in, soonest first. */
  sessions: StepSession[];
}

export interface NextStep {
  kind: "baca" | "kuis" | "mulai" | "sesi" | "cari-sesi" | "sertifikat";
  /** Short label above the title, e.g. "Lanjutkan membaca". */
  label: string;
  title: string;
  detail: string;
  href: string;
}

export function nextStep(input: NextStepInput): NextStep {
  // Of the modules opened and not finished, the one she read last; without a time (rows from
  // before read_at), one where she finished a section before one only opened; else programme order.
  const reading = input.modules
    .filter((m) => m.opened && !m.completed)
    .sort((a, b) => (b.readAt ?? -1) - (a.readAt ?? -1) || Number(b.sectionsRead > 0) - Number(a.sectionsRead > 0))[0];
  if (reading) {
    return {
      kind: "baca",
      label: "Lanjutkan membaca",
      title: reading.title,
      detail: reading.resume
        ? `Bagian: ${reading.resume.title} · ${reading.sectionsRead} dari ${reading.sections} bagian dibaca`
        : `${reading.sections} bagian`,
      href: `/modul/${reading.slug}${reading.resume ? `#${reading.resume.id}` : ""}`,
    };
  }
  const quiz = input.modules.find((m) => m.completed && m.hasQuiz && !m.quizPassed);
  if (quiz)
    return {
      kind: "kuis",
      label: "Kerjakan kuis",
      title: quiz.title,
      detail: "Modul sudah dibaca; kuisnya belum lulus.",
      href: `/modul/${quiz.slug}/kuis`,
    };
  const fresh = input.modules.find((m) => !m.completed);
  if (fresh)
    return {
      kind: "mulai",
      label: "Mulai modul berikutnya",
      title: fresh.title,
      detail: `${fresh.sections} bagian`,
      href: `/modul/${fresh.slug}`,
    };
  if (input.certified || input.attendanceOk) {
    return {
      kind: "sertifikat",
      label: "Sertifikat",
      title: input.certified ? "Sertifikat Anda sudah terbit" : "Lihat status sertifikat",
      detail: "Unduh atau periksa sertifikat Anda.",
      href: "/sertifikat",
    };
  }
  const session = input.sessions[0];
  if (session)
    return {
      kind: "sesi",
      label: `Ikuti ${input.attendance.kind}`,
      title: session.title,
      detail: session.when,
      href: `/sesi/${session.id}`,
    };
  return {
    kind: "cari-sesi",
    label: input.practiceOk ? "Langkah terakhir" : "Langkah berikutnya",
    title: input.attendance.title,
    detail: `Semua modul selesai. Daftar pada ${input.attendance.kind} di wilayah Anda.`,
    href: "/sesi",
  };
}
