/** The certification rule, cycles, dates and certificate codes as pure functions. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  generateCertificateCode,
  isCanonicalCode,
  parseCertificateCode,
} from "~/features/certification/code";
import {
  attendanceLabel,
  certificateEnd,
  currentCycle,
  daysUntil,
  evaluateRule,
  missingLabel,
  type AttemptFact,
  type AttendanceFact,
  latestPractice,
  type PracticeFact,
  type RuleInput,
  type RulePolicy,
} from "~/features/certification/rule";
import { addMonthsWita, tanggalWita } from "~/lib/timezone";
import type { AttendanceStatus, WorkshopKind, WorkshopStatus } from "~/db/schema";
import { programmeSchema } from "~/features/catalogue/content-schema";

const MODULES = ["m1", "m2", "m3"];
const POLICY: RulePolicy = {
  requiredModules: MODULES,
  passScore: undefined,
  attendance: { kind: "pelatihan", statuses: ["hadir", "terlambat"], minSessions: 1 },
};

const T0 = new Date("2025-01-10T02:00:00Z");
const later = (days: number) => new Date(T0.getTime() + days * 86_400_000);

let wsId = 0;
function att(
  status: AttendanceStatus = "hadir",
  kind: WorkshopKind = "pelatihan",
  workshopStatus: WorkshopStatus = "completed",
  workshopId = ++wsId,
): AttendanceFact {
  return { workshopId, kind, workshopStatus, status };
}
function pass(slug: string, score = 80, passScore = 70, at = T0): AttemptFact {
  return { slug, score, passScore, submittedAt: at };
}
/** Everything met: attended one pelatihan, read and passed all modules. */
function complete(over: Partial<RuleInput> = {}): RuleInput {
  return { attendance: [att()], completed: MODULES, attempts: MODULES.map((m) => pass(m)), cycleStart: null, ...over };
}

describe("certification rule", () => {
  it("certifies when attendance, every module read and every quiz passed", () => {
    const r = evaluateRule(POLICY, complete());
    expect(r.certified).toBe(true);
    expect(r.modulesDone).toBe(3);
    expect(r.missing).toEqual([]);
    expect(r.summary).toBe("3 dari 3 modul lulus, kehadiran pelatihan: sudah");
  });

  it("nothing done: not certified, everything missing, in programme order", () => {
    const r = evaluateRule(POLICY, { attendance: [], completed: [], attempts: [], cycleStart: null });
    expect(r.certified).toBe(false);
    expect(r.summary).toBe("0 dari 3 modul lulus, kehadiran pelatihan: belum");
    expect(r.missing.map((m) => m.slug)).toEqual(MODULES);
    expect(missingLabel(r.missing[0])).toBe("belum selesai dibaca; kuis belum dikerjakan");
  });

  describe("attendance", () => {
    it("no attendance: not certified though every module is done", () => {
      const r = evaluateRule(POLICY, complete({ attendance: [] }));
      expect(r.certified).toBe(false);
      expect(r.modulesDone).toBe(3);
      expect(r.attendance).toEqual({ kind: "pelatihan", required: 1, attended: 0, ok: false });
      expect(r.summary).toBe("3 dari 3 modul lulus, kehadiran pelatihan: belum");
    });

    it.each([
      ["hadir", true],
      ["terlambat", true],
      ["izin", false],
      ["alpa", false],
    ] as const)("status %s counts: %s", (status, ok) => {
      expect(evaluateRule(POLICY, complete({ attendance: [att(status)] })).certified).toBe(ok);
    });

    it.each([
      ["sosialisasi", false],
      ["pendampingan", false],
      ["pelatihan", true],
    ] as const)("a %s session counts: %s", (kind, ok) => {
      expect(evaluateRule(POLICY, complete({ attendance: [att("hadir", kind)] })).certified).toBe(ok);
    });

    it.each([
      ["completed", true],
      ["published", true],
      ["cancelled", false],
      ["draft", false],
    ] as const)("attendance at a %s session counts: %s", (ws, ok) => {
      expect(evaluateRule(POLICY, complete({ attendance: [att("hadir", "pelatihan", ws)] })).certified).toBe(ok);
    });

    it("the statuses and kind come from the programme", () => {
      const strict: RulePolicy = {
        ...POLICY,
        attendance: { kind: "sosialisasi", statuses: ["hadir"], minSessions: 1 },
      };
      expect(evaluateRule(strict, complete({ attendance: [att("terlambat", "sosialisasi")] })).certified).toBe(false);
      expect(evaluateRule(strict, complete({ attendance: [att("hadir", "sosialisasi")] })).certified).toBe(true);
      expect(evaluateRule(strict, complete({ attendance: [att("hadir", "pelatihan")] })).certified).toBe(false);
    });

    it("minSessions 2 needs two different sessions; the same session twice counts once", () => {
      const two: RulePolicy = { ...POLICY, attendance: { ...POLICY.attendance, minSessions: 2 } };
      const one = evaluateRule(
        two,
        complete({
          attendance: [att("hadir", "pelatihan", "completed", 900), att("hadir", "pelatihan", "completed", 900)],
        }),
      );
      expect(one.certified).toBe(false);
      expect(one.attendance.attended).toBe(1);
      expect(one.summary).toBe("3 dari 3 modul lulus, kehadiran pelatihan: 1 dari 2 sesi");
      const ok = evaluateRule(two, complete({ attendance: [att(), att("terlambat")] }));
      expect(ok.certified).toBe(true);
      expect(attendanceLabel(ok.attendance)).toBe("2 dari 2 sesi");
    });

    it("minSessions 0: attendance not required", () => {
      const none: RulePolicy = { ...POLICY, attendance: { ...POLICY.attendance, minSessions: 0 } };
      const r = evaluateRule(none, complete({ attendance: [] }));
      expect(r.certified).toBe(true);
      expect(r.summary).toBe("3 dari 3 modul lulus, kehadiran pelatihan: tidak wajib");
    });
  });

  describe("modules and quizzes", () => {
    it.each(MODULES)("module %s not read: not certified, listed as missing", (slug) => {
      const r = evaluateRule(POLICY, complete({ completed: MODULES.filter((m) => m !== slug) }));
      expect(r.certified).toBe(false);
      expect(r.missing.map((m) => m.slug)).toEqual([slug]);
      expect(missingLabel(r.missing[0])).toBe("belum selesai dibaca");
      expect(r.summary).toBe("2 dari 3 modul lulus, kehadiran pelatihan: sudah");
    });

    it.each(MODULES)("quiz of %s never taken: not certified", (slug) => {
      const r = evaluateRule(POLICY, complete({ attempts: MODULES.filter((m) => m !== slug).map((m) => pass(m)) }));
      expect(r.certified).toBe(false);
      expect(r.missing.map((m) => [m.slug, m.bestScore, m.quizPassed])).toEqual([[slug, null, false]]);
      expect(missingLabel(r.missing[0])).toBe("kuis belum dikerjakan");
    });

    it("a quiz passed without reading the module is not enough", () => {
      const r = evaluateRule(POLICY, complete({ completed: ["m1", "m2"] }));
      expect(r.modules[2]).toMatchObject({ slug: "m3", completed: false, quizPassed: true, done: false });
      expect(r.certified).toBe(false);
    });

    it("score exactly at the pass score passes; one below fails", () => {
      expect(evaluateRule(POLICY, complete({ attempts: [pass("m1", 70), pass("m2"), pass("m3")] })).certified).toBe(
        true,
      );
      const r = evaluateRule(POLICY, complete({ attempts: [pass("m1", 69), pass("m2"), pass("m3")] }));
      expect(r.certified).toBe(false);
      expect(missingLabel(r.missing[0])).toBe("kuis belum lulus (nilai terbaik 69, batas lulus 70)");
    });

    it("the best attempt counts: a later failure does not undo an earlier pass", () => {
      const r = evaluateRule(
        POLICY,
        complete({ attempts: [pass("m1", 90, 70, T0), pass("m1", 20, 70, later(1)), pass("m2"), pass("m3")] }),
      );
      expect(r.certified).toBe(true);
      expect(r.modules[0].bestScore).toBe(90);
    });

    it("without a programme pass score each attempt is judged by the pass score it was taken under", () => {
      // The bank's pass score was 80 then lowered to 60: 70 under the old bank fails, 65 under the new one passes.
      const failOld = evaluateRule(POLICY, complete({ attempts: [pass("m1", 70, 80), pass("m2"), pass("m3")] }));
      expect(failOld.certified).toBe(false);
      expect(failOld.modules[0]).toMatchObject({ bestScore: 70, passScore: 80 });
      const passNew = evaluateRule(
        POLICY,
        complete({ attempts: [pass("m1", 70, 80), pass("m1", 65, 60), pass("m2"), pass("m3")] }),
      );
      expect(passNew.certified).toBe(true);
      expect(passNew.modules[0]).toMatchObject({ bestScore: 65, passScore: 60, quizPassed: true });
    });

    it("programme.passScore overrides the attempts' pass scores, both ways", () => {
      const strict: RulePolicy = { ...POLICY, passScore: 90 };
      const r = evaluateRule(strict, complete());
      expect(r.certified).toBe(false);
      expect(r.missing.map((m) => m.passScore)).toEqual([90, 90, 90]);
      expect(evaluateRule(strict, complete({ attempts: MODULES.map((m) => pass(m, 90)) })).certified).toBe(true);
      const lenient: RulePolicy = { ...POLICY, passScore: 50 };
      expect(evaluateRule(lenient, complete({ attempts: MODULES.map((m) => pass(m, 55, 70)) })).certified).toBe(true);
      expect(
        evaluateRule(lenient, { attendance: [], completed: [], attempts: [], cycleStart: null }).modules[0].passScore,
      ).toBe(50);
    });

    it("attempts of modules outside the programme are ignored", () => {
      const r = evaluateRule(POLICY, complete({ attempts: [pass("lain", 100), pass("m1"), pass("m2")] }));
      expect(r.certified).toBe(false);
      expect(r.modules.map((m) => m.slug)).toEqual(MODULES);
    });
  });

  describe("cycles", () => {
    it("attempts before the cycle start do not count; attendance and reading carry over", () => {
      const start = later(730);
      const r = evaluateRule(POLICY, complete({ cycleStart: start }));
      expect(r.certified).toBe(false);
      expect(r.summary).toBe("0 dari 3 modul lulus, kehadiran pelatihan: sudah");
      expect(r.modules.every((m) => m.completed && !m.quizPassed && m.bestScore === null)).toBe(true);
      const again = evaluateRule(
        POLICY,
        complete({ cycleStart: start, attempts: MODULES.map((m) => pass(m, 80, 70, later(731))) }),
      );
      expect(again.certified).toBe(true);
    });

    it("an attempt submitted exactly at the cycle start counts", () => {
      const start = later(10);
      expect(
        evaluateRule(POLICY, complete({ cycleStart: start, attempts: MODULES.map((m) => pass(m, 80, 70, start)) }))
          .certified,
      ).toBe(true);
    });

    it("currentCycle: none, valid, expired, revoked", () => {
      const now = later(100);
      expect(currentCycle([], now)).toEqual({ valid: null, cycle: 1, start: null });
      const c1 = { cycle: 1, expiresAt: later(200), revokedAt: null };
      expect(currentCycle([c1], now)).toEqual({ valid: c1, cycle: 1, start: null });
      const expired = { cycle: 1, expiresAt: later(50), revokedAt: null };
      expect(currentCycle([expired], now)).toEqual({ valid: null, cycle: 2, start: later(50) });
      const revoked = { cycle: 1, expiresAt: later(200), revokedAt: later(60) };
      expect(currentCycle([revoked], now)).toEqual({ valid: null, cycle: 2, start: later(60) });
      expect(certificateEnd(revoked)).toEqual(later(60));
      // Cycle 2 in force after cycle 1 expired: the cycle began when cycle 1 ended.
      const c2 = { cycle: 2, expiresAt: later(800), revokedAt: null };
      expect(currentCycle([c2, expired], now)).toEqual({ valid: c2, cycle: 2, start: later(50) });
      // Expiry is exclusive: at the instant of expiry the certificate no longer holds.
      expect(currentCycle([c1], later(200)).valid).toBeNull();
    });
  });
});

describe("dates", () => {
  it("adds calendar months in WITA, clamping to the month's end", () => {
    expect(addMonthsWita(new Date("2025-03-12T02:00:00Z"), 24).toISOString()).toBe("2027-03-12T02:00:00.000Z");
    // 31 January 10:00 WITA + 1 month = 28 February 10:00 WITA.
    expect(addMonthsWita(new Date("2025-01-31T02:00:00Z"), 1).toISOString()).toBe("2025-02-28T02:00:00.000Z");
    expect(addMonthsWita(new Date("2024-01-31T02:00:00Z"), 1).toISOString()).toBe("2024-02-29T02:00:00.000Z");
    // 29 Feb 2024 + 24 months = 28 Feb 2026.
    expect(addMonthsWita(new Date("2024-02-29T02:00:00Z"), 24).toISOString()).toBe("2026-02-28T02:00:00.000Z");
    // 31 December 23:30 WITA is still 31 December in WITA (15:30 UTC): +2 months = end of February.
    expect(addMonthsWita(new Date("2025-12-31T15:30:00Z"), 2).toISOString()).toBe("2026-02-28T15:30:00.000Z");
  });

  it("formats in WITA with Indonesian month names", () => {
    expect(tanggalWita(new Date("2025-03-12T02:00:00Z"))).toBe("12 Maret 2025");
    // 16:30 UTC on 31 December is already 1 January in WITA.
    expect(tanggalWita(new Date("2025-12-31T16:30:00Z"))).toBe("1 Januari 2026");
    expect(tanggalWita(new Date("2025-08-17T00:00:00Z"))).toBe("17 Agustus 2025");
  });

  it("counts days until a date", () => {
    expect(daysUntil(later(30), T0)).toBe(30);
    expect(daysUntil(later(-3), T0)).toBe(-3);
  });
});

describe("certificate codes", () => {
  const codes = Array.from({ length: 5000 }, () => generateCertificateCode((n) => randomBytes(n)));

  it("look like AP-XXXX-XXXX, use no ambiguous characters, and pass their own check", () => {
    for (const c of codes) {
      expect(c).toMatch(/^AP-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(c.slice(3)).not.toMatch(/[01OIL]/);
      expect(isCanonicalCode(c)).toBe(true);
      expect(parseCertificateCode(c)).toEqual({ ok: true, code: c });
    }
    expect(CODE_ALPHABET).toHaveLength(31);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("use the whole alphabet in every random position", () => {
    for (let pos = 0; pos < 7; pos++) {
      const seen = new Set(codes.map((c) => c.replaceAll("-", "").slice(2)[pos]));
      expect(seen.size, `position ${pos}`).toBe(31);
    }
  });

  it("catch every single mistyped character", () => {
    for (const c of codes.slice(0, 200)) {
      const chars = c.replaceAll("-", "").slice(2).split("");
      for (let i = 0; i < 8; i++) {
        for (const other of CODE_ALPHABET) {
          if (other === chars[i]) continue;
          const typo = [...chars];
          typo[i] = other;
          expect(parseCertificateCode(typo.join("")), `${c} @${i}→${other}`).toEqual({ ok: false, reason: "check" });
        }
      }
    }
  });

  it("catch every swap of two neighbouring characters", () => {
    for (const c of codes.slice(0, 1000)) {
      const chars = c.replaceAll("-", "").slice(2).split("");
      for (let i = 0; i < 7; i++) {
        if (chars[i] === chars[i + 1]) continue;
        const swapped = [...chars];
        [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
        expect(parseCertificateCode(swapped.join("")).ok, `${c} swap ${i}`).toBe(false);
      }
    }
  });

  it("normalise typed codes: case, spaces, missing or extra dashes, with or without AP", () => {
    const c = codes[0];
    const bare = c.slice(3).replace("-", "");
    for (const typed of [
      c.toLowerCase(),
      ` ${c} `,
      bare,
      bare.toLowerCase(),
      `AP${bare}`,
      `ap ${bare.slice(0, 4)} ${bare.slice(4)}`,
      `AP--${bare.slice(0, 4)}--${bare.slice(4)}`,
      `${bare.slice(0, 4)}-${bare.slice(4)}`,
      `AP–${bare}`,
    ]) {
      expect(parseCertificateCode(typed), typed).toEqual({ ok: true, code: c });
    }
  });

  it("reject malformed input", () => {
    for (const bad of [
      "",
      "AP",
      "AP-1234-5678",
      "AP-OOOO-OOOO",
      "AP-7K3Q-9XW",
      "AP-7K3Q-9XWDD",
      "XX-7K3Q-9XWD",
      "<script>",
      "AP-7K3Q-9XWD'--",
      "AP-ÄBCD-EFGH",
      null,
      undefined,
    ]) {
      expect(parseCertificateCode(bad as string).ok, String(bad)).toBe(false);
    }
    expect(parseCertificateCode("AP-1234-5678")).toEqual({ ok: false, reason: "format" });
    expect(isCanonicalCode(codes[0].toLowerCase())).toBe(false);
  });
});

describe("practice (praktik lapangan) in the rule", () => {
  const TASKS = [
    { id: "t-satu", title: "Tugas satu", spm: "kesehatan" as const, steps: ["langkah a", "langkah b"] },
    { id: "t-dua", title: "Tugas dua", spm: "sosial" as const, steps: ["langkah a", "langkah b"] },
    { id: "t-tiga", title: "Tugas tiga", spm: "pendidikan" as const, steps: ["langkah a", "langkah b"] },
  ];
  const WITH_PRACTICE: RulePolicy = { ...POLICY, practice: { required: 2, tasks: TASKS } };
  let seq = 0;
  const obs = (taskId: string, result: "kompeten" | "belum_kompeten", at = T0): PracticeFact => ({
    taskId,
    result,
    recordedAt: at,
    id: ++seq,
    observedOn: "2025-01-10",
  });

  it("needs the required number of different tasks observed kompeten", () => {
    expect(evaluateRule(WITH_PRACTICE, complete()).certified).toBe(false);
    expect(evaluateRule(WITH_PRACTICE, complete({ practice: [obs("t-satu", "kompeten")] })).certified).toBe(false);
    // The same task twice is still one task.
    expect(
      evaluateRule(
        WITH_PRACTICE,
        complete({ practice: [obs("t-satu", "kompeten"), obs("t-satu", "kompeten", later(1))] }),
      ).certified,
    ).toBe(false);
    const r = evaluateRule(
      WITH_PRACTICE,
      complete({ practice: [obs("t-satu", "kompeten"), obs("t-tiga", "kompeten")] }),
    );
    expect(r.certified).toBe(true);
    expect(r.practice).toMatchObject({ required: 2, done: 2, ok: true });
    expect(r.practice.tasks.map((t) => t.result)).toEqual(["kompeten", null, "kompeten"]);
  });

  it("belum kompeten does not count, and the latest record per task wins (a correction)", () => {
    expect(
      evaluateRule(WITH_PRACTICE, complete({ practice: [obs("t-satu", "kompeten"), obs("t-dua", "belum_kompeten")] }))
        .certified,
    ).toBe(false);
    // Corrected upwards later.
    const up = [obs("t-satu", "kompeten"), obs("t-dua", "belum_kompeten"), obs("t-dua", "kompeten", later(2))];
    expect(evaluateRule(WITH_PRACTICE, complete({ practice: up })).certified).toBe(true);
    // Corrected downwards later: the earlier kompeten no longer counts.
    const down = [obs("t-satu", "kompeten"), obs("t-dua", "kompeten"), obs("t-dua", "belum_kompeten", later(2))];
    expect(evaluateRule(WITH_PRACTICE, complete({ practice: down })).practice.done).toBe(1);
    // Same recording time: the higher id (recorded later) wins.
    const a = obs("t-dua", "kompeten", later(3));
    const b = obs("t-dua", "belum_kompeten", later(3));
    expect(latestPractice([b, a]).get("t-dua")!.id).toBe(b.id);
  });

  it("tasks outside the programme do not count; practice carries over into a new cycle", () => {
    expect(
      evaluateRule(WITH_PRACTICE, complete({ practice: [obs("t-satu", "kompeten"), obs("lain", "kompeten")] }))
        .certified,
    ).toBe(false);
    const cycle2 = complete({
      cycleStart: later(800),
      attempts: MODULES.map((m) => pass(m, 80, 70, later(801))),
      practice: [obs("t-satu", "kompeten"), obs("t-dua", "kompeten")],
    });
    expect(evaluateRule(WITH_PRACTICE, cycle2).certified).toBe(true);
  });

  it("a programme without practice requires none, and the summary names practice only when required", () => {
    expect(evaluateRule(POLICY, complete()).certified).toBe(true);
    expect(evaluateRule(POLICY, complete()).summary).toBe("3 dari 3 modul lulus, kehadiran pelatihan: sudah");
    expect(evaluateRule({ ...POLICY, practice: { required: 0, tasks: TASKS } }, complete()).certified).toBe(true);
    expect(evaluateRule(WITH_PRACTICE, complete({ practice: [obs("t-satu", "kompeten")] })).summary).toBe(
      "3 dari 3 modul lulus, kehadiran pelatihan: sudah, praktik lapangan: 1 dari 2 tugas kompeten",
    );
  });

  it("the programme file's practice section is valid and its required number is within its tasks", () => {
    const p = programmeSchema.parse({
      id: "uji-coba",
      title: "Uji coba",
      requiredModules: ["m1"],
      attendance: POLICY.attendance,
      validityMonths: 12,
    });
    expect(p.practice).toEqual({ required: 0, tasks: [] });
    const bad = programmeSchema.safeParse({
      id: "uji-coba",
      title: "Uji",
      requiredModules: ["m1"],
      attendance: POLICY.attendance,
      validityMonths: 12,
      practice: { required: 4, tasks: TASKS },
    });
    expect(bad.success).toBe(false);
    const dup = programmeSchema.safeParse({
      id: "uji-coba",
      title: "Uji",
      requiredModules: ["m1"],
      attendance: POLICY.attendance,
      validityMonths: 12,
      practice: { required: 1, tasks: [TASKS[0], TASKS[0]] },
    });
    expect(dup.success).toBe(false);
  });
});
