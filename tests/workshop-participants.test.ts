/**
 * The participants page's rules, out of the route (issue 22): who sees which participants,
 * which areas the enrolment picker offers and where it starts (participants.ts), and whether
 * the session page offers "batalkan pendaftaran saya" (`canSelfCancel`, rules.ts). Pure.
 */
import { describe, expect, it } from "vitest";
import { participantView, pickerRegions, pickerStart, type ParticipantLike } from "~/features/workshops/participants";
import { canSelfCancel } from "~/features/workshops/rules";

const person = (userId: string, desaCode: string, enrolment: ParticipantLike["enrolment"]): ParticipantLike => ({
  userId,
  name: `Kader ${userId}`,
  posyanduName: userId === "a" ? "Posyandu Melati 1" : null,
  desaName: `Desa ${desaCode}`,
  desaCode,
  enrolment,
});

describe("participantView", () => {
  const list = [
    person("a", "64.08.01.2001", "enrolled"),
    person("b", "64.08.01.2002", "waitlisted"),
    person("c", "64.08.02.2001", "enrolled"),
    person("d", "64.08.02.2001", "waitlisted"),
    person("e", "64.08.01.2001", null), // attendance only (walk-in): neither listed nor counted
  ];

  it("a pembina kecamatan sees her kecamatan's people by name and the others as a count", () => {
    const v = participantView(list, "64.08.01");
    expect(v.enrolledTotal).toBe(2);
    expect(v.othersHidden).toBe(2);
    expect(v.enrolled).toEqual([{ userId: "a", name: "Kader a", place: "Posyandu Melati 1, Desa 64.08.01.2001" }]);
    expect(v.waitlisted.map((p) => p.userId)).toEqual(["b"]);
  });

  it("the kabupaten sees everyone", () => {
    const v = participantView(list, "64.08");
    expect(v.othersHidden).toBe(0);
    expect(v.enrolled.map((p) => p.userId)).toEqual(["a", "c"]);
    expect(v.waitlisted.map((p) => p.userId)).toEqual(["b", "d"]);
  });

  it("a scope that is a string prefix of another region's code does not cover it", () => {
    // Real Kemendagri codes have fixed-width parts, so no real pair shares a prefix without
    // the "." (64.08.01 and 64.08.010 cannot both exist); synthetic codes show the rule.
    const v = participantView([person("x", "64.08.10", "enrolled"), person("y", "64.08.1", "enrolled")], "64.08.1");
    expect(v.enrolled.map((p) => p.userId)).toEqual(["y"]);
    expect(v.othersHidden).toBe(1);
  });
});

describe("pickerRegions", () => {
  const regions = [
    { code: "64.08", level: "kabupaten" },
    { code: "64.08.01", level: "kecamatan" },
    { code: "64.08.01.2001", level: "desa" },
    { code: "64.08.02", level: "kecamatan" },
    { code: "64.08.02.2001", level: "desa" },
  ];

  it("offers the areas inside the session's region and those containing it", () => {
    expect(pickerRegions(regions, "64.08.01").map((r) => r.code)).toEqual(["64.08", "64.08.01", "64.08.01.2001"]);
    expect(pickerRegions(regions, "64.08.02.2001").map((r) => r.code)).toEqual(["64.08", "64.08.02", "64.08.02.2001"]);
  });

  it('keeps the "." boundary: a session in 64.08.1 does not offer 64.08.10 (the old prefix check did)', () => {
    const synthetic = [{ code: "64.08.1" }, { code: "64.08.10" }, { code: "64.08.1.2001" }, { code: "64.0" }];
    expect(pickerRegions(synthetic, "64.08.1").map((r) => r.code)).toEqual(["64.08.1", "64.08.1.2001"]);
  });
});

describe("pickerStart", () => {
  it("starts on the session's kecamatan or desa when the viewer covers it", () => {
    expect(pickerStart("64.08", "64.08.01")).toBe("64.08.01");
    expect(pickerStart("64.08.01", "64.08.01.2001")).toBe("64.08.01.2001");
  });
  it("a kabupaten-wide session starts on the viewer's own kecamatan or desa", () => {
    expect(pickerStart("64.08.01", "64.08")).toBe("64.08.01");
    expect(pickerStart("64.08", "64.08")).toBeUndefined();
    expect(pickerStart("64.08", "64")).toBeUndefined();
  });
  it("no start outside the viewer's line", () => {
    expect(pickerStart("64.08.02", "64.08.01")).toBeUndefined();
  });
});

describe("canSelfCancel", () => {
  const now = new Date("2026-03-10T02:00:00Z");
  const later = { endsAt: new Date("2026-03-10T08:00:00Z") };
  const ended = { endsAt: new Date("2026-03-10T01:00:00Z") };

  it("an enrolled or waitlisted person may cancel before the session ends", () => {
    expect(canSelfCancel({ enrolment: "enrolled", attendance: null }, later, now)).toBe(true);
    expect(canSelfCancel({ enrolment: "waitlisted", attendance: null }, later, now)).toBe(true);
  });
  it("not once her attendance is recorded, not after the end, not without an enrolment", () => {
    expect(canSelfCancel({ enrolment: "enrolled", attendance: "hadir" }, later, now)).toBe(false);
    expect(canSelfCancel({ enrolment: "enrolled", attendance: "alpa" }, later, now)).toBe(false);
    expect(canSelfCancel({ enrolment: "enrolled", attendance: null }, ended, now)).toBe(false);
    expect(canSelfCancel({ enrolment: "cancelled", attendance: null }, later, now)).toBe(false);
    expect(canSelfCancel({ enrolment: null, attendance: "hadir" }, later, now)).toBe(false);
    expect(canSelfCancel(undefined, later, now)).toBe(false);
  });
});
