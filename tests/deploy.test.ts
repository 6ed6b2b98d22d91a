/**
 * deploy/akademi-posyandu.service: a dead process is started again (Restart=always), except
 * when its start was refused for its configuration (exit 78, EX_CONFIG: server.ts), as a
 * dedicated user, with the app's .env; `systemd-analyze verify` finds nothing to say.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const UNIT = "deploy/akademi-posyandu.service";

/** The unit's settings: section → key → values (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1];
      out[section] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    const key = line.slice(0, eq);
    (out[section][key] ??= []).push(line.slice(eq + 1));
  }
  return out;
}

describe("the systemd unit", () => {
  const unit = parseUnit(readFileSync(UNIT, "utf8"));
  const service = unit.Service;

  it("restarts a process that died, but not a start refused for its configuration (exit 78)", () => {
    expect(service.Restart).toEqual(["always"]);
    expect(Number(service.RestartSec[0])).toBeLessThanOrEqual(5);
    expect(service.RestartPreventExitStatus).toEqual(["78"]);
    expect(readFileSync("server.ts", "utf8")).toMatch(/const EXIT_CONFIG = 78;/);
    expect(unit.Install.WantedBy).toEqual(["multi-user.target"]);
  });

  it("runs build/server.js as a dedicated user, in the app folder, with the app's .env", () => {
    expect(service.User).toEqual(["akademi"]);
    expect(service.ExecStart[0]).toMatch(/^\/usr\/bin\/node build\/server\.js$/);
    const dir = service.WorkingDirectory[0];
    expect(service.EnvironmentFile).toEqual([path.posix.join(dir, ".env")]);
    expect(service.Environment).toContain("DATA_DIR=/var/lib/akademi-posyandu");
    expect(service.StateDirectory).toEqual(["akademi-posyandu"]);
  });

  it("systemd-analyze verify finds nothing (where systemd is installed)", () => {
    const which = spawnSync("sh", ["-c", "command -v systemd-analyze"], { encoding: "utf8" });
    if (which.status !== 0) return;
    const r = spawnSync("systemd-analyze", ["verify", path.resolve(UNIT)], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.trim()).toBe("");
  });
});
