import { describe, expect, it } from "vitest";
import { formatPhone, normalizePhone } from "~/lib/phone";

describe("normalizePhone", () => {
  it.each([
    ["081234567890", "6281234567890"],
    ["+6281234567890", "6281234567890"],
    ["6281234567890", "6281234567890"],
    ["0812-3456-7890", "6281234567890"],
    ["0812 3456 7890", "6281234567890"],
    ["(0812) 3456.7890", "6281234567890"],
    ["81234567890", "6281234567890"],
  ])("%s -> %s", (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(["", "0811", "021555123", "abc", "08123456789012345", "+1 202 555 0100", "0812345abc"])(
    "rejects %j",
    (input) => {
      expect(normalizePhone(input)).toBeNull();
    },
  );

  it("formats the canonical form for display", () => {
    expect(formatPhone("6281234567890")).toBe("081234567890");
  });
});
