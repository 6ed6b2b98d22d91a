-- The funnel's praktik step as a bounded rollup (issue 23). kader_progress.practised_at: when
-- the kader met the programme's practice requirement (programme.practice.required tasks whose
-- LATEST observation is 'kompeten'; the time of the observation that completed it, null when
-- not met today), computed by refreshKaderProgress and rebuildReporting
-- (app/features/projection/projection.server.ts, practisedSql: the one spelling).
-- stats_kader.practised: the active kader with practised_at, per region level and bidang
-- (and '*'), kept by the rollup trigger like `active`: the dashboard reads one row.
ALTER TABLE "kader_progress" ADD COLUMN "practised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stats_kader" ADD COLUMN "practised" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- rollup_levels gains a column: its result type changes, so it is dropped and created again
-- (apply_rollup_delta, plpgsql, finds it by name when it runs).
DROP FUNCTION IF EXISTS rollup_levels(jsonb);--> statement-breakpoint
CREATE FUNCTION rollup_levels(changed jsonb)
RETURNS TABLE (code text, programme_id text, spm_bidang text, enrolled_at timestamptz, attended_at timestamptz,
               modules_passed_at timestamptz, certified_at timestamptz, cert_expires_at timestamptz, practised_at timestamptz)
LANGUAGE sql STABLE AS $$
  -- Each active kader's row once for the nation, its desa and every region between, under
  -- its own bidang and under '*'.
  SELECT lvl.code, r.programme_id, b.bidang,
         r.enrolled_at, r.attended_at, r.modules_passed_at, r.certified_at, r.cert_expires_at, r.practised_at
  FROM jsonb_populate_recordset(NULL::kader_progress, changed) r
  CROSS JOIN LATERAL region_levels_of(r.desa_code) lvl(code)
  CROSS JOIN LATERAL (VALUES (r.spm_bidang), ('*')) b(bidang)
  WHERE r.active
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION apply_rollup_delta(changed jsonb, s integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  today date := (now() AT TIME ZONE 'Asia/Makassar')::date;
BEGIN
  IF changed IS NULL THEN
    RETURN;
  END IF;
  -- One statement: the changed rows are expanded to their levels once and feed every rollup.
  WITH lv AS MATERIALIZED (
    SELECT code, programme_id, spm_bidang, enrolled_at, attended_at, modules_passed_at, certified_at,
           (cert_expires_at AT TIME ZONE 'Asia/Makassar')::date AS expires_on, practised_at
    FROM rollup_levels(changed)
  ),
  k AS (
    INSERT INTO stats_kader AS t (region_code, programme_id, spm_bidang, active, practised)
    SELECT code, programme_id, spm_bidang, s * count(*), s * count(*) FILTER (WHERE practised_at IS NOT NULL)
    FROM lv GROUP BY 1, 2, 3
    ON CONFLICT (region_code, programme_id, spm_bidang) DO UPDATE SET
      active = t.active + excluded.active, practised = t.practised + excluded.practised
  ),
  fu AS (
    INSERT INTO stats_funnel AS t (region_code, programme_id, spm_bidang, year, enrolled, attended, modules_passed, certified)
    SELECT code, programme_id, spm_bidang, y, s * sum(e), s * sum(a), s * sum(m), s * sum(c) FROM (
      SELECT code, programme_id, spm_bidang, extract(year FROM enrolled_at AT TIME ZONE 'Asia/Makassar')::smallint AS y, 1 AS e, 0 AS a, 0 AS m, 0 AS c
        FROM lv WHERE enrolled_at IS NOT NULL
      UNION ALL SELECT code, programme_id, spm_bidang, extract(year FROM attended_at AT TIME ZONE 'Asia/Makassar')::smallint, 0, 1, 0, 0
        FROM lv WHERE attended_at IS NOT NULL
      UNION ALL SELECT code, programme_id, spm_bidang, extract(year FROM modules_passed_at AT TIME ZONE 'Asia/Makassar')::smallint, 0, 0, 1, 0
        FROM lv WHERE modules_passed_at IS NOT NULL
      UNION ALL SELECT code, programme_id, spm_bidang, extract(year FROM certified_at AT TIME ZONE 'Asia/Makassar')::smallint, 0, 0, 0, 1
        FROM lv WHERE certified_at IS NOT NULL
    ) ev GROUP BY 1, 2, 3, 4
    ON CONFLICT (region_code, programme_id, spm_bidang, year) DO UPDATE SET
      enrolled = t.enrolled + excluded.enrolled, attended = t.attended + excluded.attended,
      modules_passed = t.modules_passed + excluded.modules_passed, certified = t.certified + excluded.certified
  ),
  ed AS (
    INSERT INTO stats_cert_expiry AS t (region_code, programme_id, spm_bidang, expires_on, n)
    SELECT code, programme_id, spm_bidang, expires_on, s * count(*)
    FROM lv WHERE certified_at IS NOT NULL GROUP BY 1, 2, 3, 4
    ON CONFLICT (region_code, programme_id, spm_bidang, expires_on) DO UPDATE SET n = t.n + excluded.n
  ),
  em AS (
    INSERT INTO stats_cert_expiry_month AS t (region_code, programme_id, spm_bidang, month, n)
    SELECT code, programme_id, spm_bidang, date_trunc('month', expires_on)::date, s * count(*)
    FROM lv WHERE certified_at IS NOT NULL GROUP BY 1, 2, 3, 4
    ON CONFLICT (region_code, programme_id, spm_bidang, month) DO UPDATE SET n = t.n + excluded.n
  ),
  cm AS (
    INSERT INTO stats_cert_month AS t (region_code, programme_id, month, n)
    SELECT code, programme_id, date_trunc('month', certified_at AT TIME ZONE 'Asia/Makassar')::date, s * count(*)
    FROM lv WHERE certified_at IS NOT NULL AND spm_bidang = '*' GROUP BY 1, 2, 3
    ON CONFLICT (region_code, programme_id, month) DO UPDATE SET n = t.n + excluded.n
  )
  -- The trend: an added row counts from today (its certificate from max(issue day, today) to
  -- its expiry); a removed row stops counting today. Certificates already expired are history.
  INSERT INTO stats_flow AS t (region_code, programme_id, spm_bidang, day, active, certified)
    SELECT code, programme_id, spm_bidang, day, sum(a)::int, sum(c)::int FROM (
      SELECT code, programme_id, spm_bidang, today AS day, s AS a, 0 AS c FROM lv
      UNION ALL
      SELECT code, programme_id, spm_bidang,
             CASE WHEN s > 0 THEN greatest((certified_at AT TIME ZONE 'Asia/Makassar')::date, today) ELSE today END, 0, s
        FROM lv WHERE certified_at IS NOT NULL AND expires_on >= today
      UNION ALL
      SELECT code, programme_id, spm_bidang, expires_on + 1, 0, -s
        FROM lv WHERE certified_at IS NOT NULL AND expires_on >= today
    ) ev GROUP BY 1, 2, 3, 4
    ON CONFLICT (region_code, programme_id, spm_bidang, day) DO UPDATE SET
      active = t.active + excluded.active, certified = t.certified + excluded.certified;
END
$$;
--> statement-breakpoint
-- Backfill, set-based, with the rollup triggers off (only practised_at changes; stats_kader is
-- filled below in one statement). The programme's tasks as content/programme.yaml has them
-- today (kader-6-spm: 2 of these 9); rebuildReporting (seed:scale, repair) recomputes
-- from the content of the day, and reportingMismatches reports any difference.
ALTER TABLE kader_progress DISABLE TRIGGER USER;--> statement-breakpoint
UPDATE kader_progress kp SET practised_at = pr.at
FROM (
  SELECT l.user_id, (array_agg(l.recorded_at ORDER BY l.recorded_at, l.id))[2] AS at
  FROM (
    SELECT DISTINCT ON (o.user_id, o.task_id) o.user_id, o.task_id, o.result, o.recorded_at, o.id
    FROM practice_observations o
    WHERE o.task_id = ANY ('{timbang-balita,data-anak-tidak-sekolah,rtl-sosial,apar-evakuasi,ukur-panjang-tinggi,ukur-lila,kunjungan-rumah-kie,cek-air-sanitasi,catat-rtlh}'::text[])
    ORDER BY o.user_id, o.task_id, o.recorded_at DESC, o.id DESC
  ) l
  WHERE l.result = 'kompeten'
  GROUP BY l.user_id
  HAVING count(*) >= 2
) pr
WHERE kp.user_id = pr.user_id AND kp.programme_id = 'kader-6-spm';--> statement-breakpoint
ALTER TABLE kader_progress ENABLE TRIGGER USER;--> statement-breakpoint
UPDATE stats_kader s SET practised = x.n
FROM (
  SELECT lvl.code, kp.programme_id, b.bidang, count(*)::int AS n
  FROM kader_progress kp
  CROSS JOIN LATERAL region_levels_of(kp.desa_code) lvl(code)
  CROSS JOIN LATERAL (VALUES (kp.spm_bidang), ('*')) b(bidang)
  WHERE kp.active AND kp.practised_at IS NOT NULL
  GROUP BY 1, 2, 3
) x
WHERE s.region_code = x.code AND s.programme_id = x.programme_id AND s.spm_bidang = x.bidang;
