-- The rollups move to statement-level triggers with transition tables: a bulk write (an
-- import of 50,000 kader) updates each stats row once per statement, set-based, instead of
-- once per kader. Same arithmetic as 0004: +1 for every new row, -1 for every old row.
DROP TRIGGER IF EXISTS kader_progress_rollup_ins_del ON kader_progress;
--> statement-breakpoint
DROP TRIGGER IF EXISTS kader_progress_rollup_upd ON kader_progress;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rollup_levels(changed jsonb)
RETURNS TABLE (code text, programme_id text, spm_bidang text, enrolled_at timestamptz, attended_at timestamptz,
               modules_passed_at timestamptz, certified_at timestamptz, cert_expires_at timestamptz)
LANGUAGE sql STABLE AS $$
  -- Each active kader's row once for its desa and once for every ancestor region.
  SELECT array_to_string((string_to_array(r.desa_code, '.'))[1:g.i], '.'), r.programme_id, r.spm_bidang,
         r.enrolled_at, r.attended_at, r.modules_passed_at, r.certified_at, r.cert_expires_at
  FROM jsonb_populate_recordset(NULL::kader_progress, changed) r
  CROSS JOIN generate_series(1, 4) g(i)
  WHERE r.active AND g.i <= array_length(string_to_array(r.desa_code, '.'), 1)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION apply_rollup_delta(changed jsonb, s integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF changed IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO stats_kader AS t (region_code, programme_id, spm_bidang, active)
    SELECT code, programme_id, spm_bidang, s * count(*) FROM rollup_levels(changed) GROUP BY 1, 2, 3
    ON CONFLICT (region_code, programme_id, spm_bidang) DO UPDATE SET active = t.active + excluded.active;

  INSERT INTO stats_funnel AS t (region_code, programme_id, spm_bidang, year, enrolled, attended, modules_passed, certified)
    SELECT code, programme_id, spm_bidang, y, s * sum(e), s * sum(a), s * sum(m), s * sum(c) FROM (
      SELECT code, programme_id, spm_bidang, extract(year FROM enrolled_at AT TIME ZONE 'Asia/Makassar')::smallint AS y, 1 AS e, 0 AS a, 0 AS m, 0 AS c
        FROM rollup_levels(changed) WHERE enrolled_at IS NOT NULL
      UNION ALL SELECT code, programme_id, spm_bidang, extract(year FROM attended_at AT TIME ZONE 'Asia/Makassar')::smallint, 0, 1, 0, 0
        FROM rollup_levels(changed) WHERE attended_at IS NOT NULL
      UNION ALL SELECT code, programme_id, spm_bidang, extract(year FROM modules_passed_at AT TIME ZONE 'Asia/Makassar')::smallint, 0, 0, 1, 0
        FROM rollup_levels(changed) WHERE modules_passed_at IS NOT NULL
      UNION ALL SELECT code, programme_id, spm_bidang, extract(year FROM certified_at AT TIME ZONE 'Asia/Makassar')::smallint, 0, 0, 0, 1
        FROM rollup_levels(changed) WHERE certified_at IS NOT NULL
    ) ev GROUP BY 1, 2, 3, 4
    ON CONFLICT (region_code, programme_id, spm_bidang, year) DO UPDATE SET
      enrolled = t.enrolled + excluded.enrolled, attended = t.attended + excluded.attended,
      modules_passed = t.modules_passed + excluded.modules_passed, certified = t.certified + excluded.certified;

  INSERT INTO stats_cert_expiry AS t (region_code, programme_id, spm_bidang, expires_on, n)
    SELECT code, programme_id, spm_bidang, (cert_expires_at AT TIME ZONE 'Asia/Makassar')::date, s * count(*)
    FROM rollup_levels(changed) WHERE certified_at IS NOT NULL GROUP BY 1, 2, 3, 4
    ON CONFLICT (region_code, programme_id, spm_bidang, expires_on) DO UPDATE SET n = t.n + excluded.n;

  INSERT INTO stats_cert_month AS t (region_code, programme_id, month, n)
    SELECT code, programme_id, date_trunc('month', certified_at AT TIME ZONE 'Asia/Makassar')::date, s * count(*)
    FROM rollup_levels(changed) WHERE certified_at IS NOT NULL GROUP BY 1, 2, 3
    ON CONFLICT (region_code, programme_id, month) DO UPDATE SET n = t.n + excluded.n;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kader_progress_rollup_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM apply_rollup_delta((SELECT jsonb_agg(to_jsonb(n)) FROM new_rows n), 1);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kader_progress_rollup_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM apply_rollup_delta((SELECT jsonb_agg(to_jsonb(o)) FROM old_rows o), -1);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kader_progress_rollup_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM apply_rollup_delta((SELECT jsonb_agg(to_jsonb(o)) FROM old_rows o), -1);
  PERFORM apply_rollup_delta((SELECT jsonb_agg(to_jsonb(n)) FROM new_rows n), 1);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER kader_progress_rollup_insert AFTER INSERT ON kader_progress
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kader_progress_rollup_insert();
--> statement-breakpoint
CREATE TRIGGER kader_progress_rollup_delete AFTER DELETE ON kader_progress
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kader_progress_rollup_delete();
--> statement-breakpoint
CREATE TRIGGER kader_progress_rollup_update AFTER UPDATE ON kader_progress
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kader_progress_rollup_update();
--> statement-breakpoint
DROP FUNCTION IF EXISTS kader_progress_rollup();
--> statement-breakpoint
DROP FUNCTION IF EXISTS apply_kader_progress(kader_progress, integer);
