-- The national level (issue 23): the nation is a regions row ('ID', level 'nasional') above the
-- provinces, an admin's scope may be the nation, and every rollup has a national row, so the
-- national dashboard reads one region's rows like any other (no sum over 38 provinces per view).
ALTER TABLE "regions" DROP CONSTRAINT "regions_level_check";--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_level_check" CHECK ("regions"."level" in ('nasional','provinsi','kabupaten','kecamatan','desa'));--> statement-breakpoint
INSERT INTO "regions" ("code", "name", "level", "parent_code") VALUES ('ID', 'Indonesia', 'nasional', NULL) ON CONFLICT ("code") DO NOTHING;--> statement-breakpoint
-- The one spelling of "a kader's desa counts for these regions": the nation, then the
-- province, kabupaten, kecamatan and desa of the code (a single SELECT, so it is inlined).
CREATE OR REPLACE FUNCTION region_levels_of(desa text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN g.i = 0 THEN 'ID' ELSE array_to_string((string_to_array(desa, '.'))[1:g.i], '.') END
  FROM generate_series(0, coalesce(array_length(string_to_array(desa, '.'), 1), 0)) g(i)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rollup_levels(changed jsonb)
RETURNS TABLE (code text, programme_id text, spm_bidang text, enrolled_at timestamptz, attended_at timestamptz,
               modules_passed_at timestamptz, certified_at timestamptz, cert_expires_at timestamptz)
LANGUAGE sql STABLE AS $$
  -- Each active kader's row once for the nation, its desa and every region between, under
  -- its own bidang and under '*'.
  SELECT lvl.code, r.programme_id, b.bidang,
         r.enrolled_at, r.attended_at, r.modules_passed_at, r.certified_at, r.cert_expires_at
  FROM jsonb_populate_recordset(NULL::kader_progress, changed) r
  CROSS JOIN LATERAL region_levels_of(r.desa_code) lvl(code)
  CROSS JOIN LATERAL (VALUES (r.spm_bidang), ('*')) b(bidang)
  WHERE r.active
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rebuild_stats_flow() RETURNS void
LANGUAGE sql AS $$
  TRUNCATE stats_flow;
  INSERT INTO stats_flow (region_code, programme_id, spm_bidang, day, active, certified)
  WITH x AS (
    SELECT lvl.code, kp.programme_id, b.bidang,
           (u.created_at AT TIME ZONE 'Asia/Makassar')::date AS joined,
           greatest((kp.certified_at AT TIME ZONE 'Asia/Makassar')::date, (u.created_at AT TIME ZONE 'Asia/Makassar')::date) AS cert_from,
           (kp.cert_expires_at AT TIME ZONE 'Asia/Makassar')::date AS cert_to
    FROM kader_progress kp
    JOIN users u ON u.id = kp.user_id
    CROSS JOIN LATERAL region_levels_of(kp.desa_code) lvl(code)
    CROSS JOIN LATERAL (VALUES (kp.spm_bidang), ('*')) b(bidang)
    WHERE kp.active
  )
  SELECT code, programme_id, bidang, day, sum(a)::int, sum(c)::int FROM (
    SELECT code, programme_id, bidang, joined AS day, 1 AS a, 0 AS c FROM x
    UNION ALL SELECT code, programme_id, bidang, cert_from, 0, 1 FROM x WHERE cert_from <= cert_to
    UNION ALL SELECT code, programme_id, bidang, cert_to + 1, 0, -1 FROM x WHERE cert_from <= cert_to
  ) ev GROUP BY 1, 2, 3, 4;
$$;
--> statement-breakpoint
-- The national rows from the province rows already there (the sum of the provinces is the nation).
INSERT INTO stats_kader (region_code, programme_id, spm_bidang, active)
  SELECT 'ID', programme_id, spm_bidang, sum(active) FROM stats_kader WHERE region_code ~ '^[0-9]{2}$' GROUP BY 2, 3
  ON CONFLICT (region_code, programme_id, spm_bidang) DO UPDATE SET active = excluded.active;--> statement-breakpoint
INSERT INTO stats_funnel (region_code, programme_id, spm_bidang, year, enrolled, attended, modules_passed, certified)
  SELECT 'ID', programme_id, spm_bidang, year, sum(enrolled), sum(attended), sum(modules_passed), sum(certified)
  FROM stats_funnel WHERE region_code ~ '^[0-9]{2}$' GROUP BY 2, 3, 4
  ON CONFLICT (region_code, programme_id, spm_bidang, year) DO UPDATE SET
    enrolled = excluded.enrolled, attended = excluded.attended, modules_passed = excluded.modules_passed, certified = excluded.certified;--> statement-breakpoint
INSERT INTO stats_cert_expiry (region_code, programme_id, spm_bidang, expires_on, n)
  SELECT 'ID', programme_id, spm_bidang, expires_on, sum(n) FROM stats_cert_expiry WHERE region_code ~ '^[0-9]{2}$' GROUP BY 2, 3, 4
  ON CONFLICT (region_code, programme_id, spm_bidang, expires_on) DO UPDATE SET n = excluded.n;--> statement-breakpoint
INSERT INTO stats_cert_expiry_month (region_code, programme_id, spm_bidang, month, n)
  SELECT 'ID', programme_id, spm_bidang, month, sum(n) FROM stats_cert_expiry_month WHERE region_code ~ '^[0-9]{2}$' GROUP BY 2, 3, 4
  ON CONFLICT (region_code, programme_id, spm_bidang, month) DO UPDATE SET n = excluded.n;--> statement-breakpoint
INSERT INTO stats_cert_month (region_code, programme_id, month, n)
  SELECT 'ID', programme_id, month, sum(n) FROM stats_cert_month WHERE region_code ~ '^[0-9]{2}$' GROUP BY 2, 3
  ON CONFLICT (region_code, programme_id, month) DO UPDATE SET n = excluded.n;--> statement-breakpoint
INSERT INTO stats_flow (region_code, programme_id, spm_bidang, day, active, certified)
  SELECT 'ID', programme_id, spm_bidang, day, sum(active), sum(certified) FROM stats_flow WHERE region_code ~ '^[0-9]{2}$' GROUP BY 2, 3, 4
  ON CONFLICT (region_code, programme_id, spm_bidang, day) DO UPDATE SET active = excluded.active, certified = excluded.certified;
