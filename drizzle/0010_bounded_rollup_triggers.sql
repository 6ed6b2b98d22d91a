-- Bounded rollups and the trend (issue 15/16).
-- 1. Every stats_* table with a bidang gets an all-bidang row (spm_bidang '*'): a query for
--    all bidang reads one row instead of summing seven.
-- 2. stats_cert_expiry_month: certificates by month of expiry; "valid today" reads the daily
--    rows of the current month and the monthly rows after it (bounded per region).
-- 3. stats_flow: per day, the change in active kader and in valid certificates, for the trend
--    and the 30/90-day change. A write at day T adds a kader at T; a certificate counts from
--    max(issue day, T) and stops the day after its expiry; removing a row undoes only the
--    future (history written before T stays as it was). rebuildReporting rewrites the history
--    from the dates (users.created_at, issued_at, expires_at).
CREATE OR REPLACE FUNCTION rollup_levels(changed jsonb)
RETURNS TABLE (code text, programme_id text, spm_bidang text, enrolled_at timestamptz, attended_at timestamptz,
               modules_passed_at timestamptz, certified_at timestamptz, cert_expires_at timestamptz)
LANGUAGE sql STABLE AS $$
  -- Each active kader's row once for its desa and once for every ancestor region, under its
  -- own bidang and under '*'.
  SELECT array_to_string((string_to_array(r.desa_code, '.'))[1:g.i], '.'), r.programme_id, b.bidang,
         r.enrolled_at, r.attended_at, r.modules_passed_at, r.certified_at, r.cert_expires_at
  FROM jsonb_populate_recordset(NULL::kader_progress, changed) r
  CROSS JOIN generate_series(1, 4) g(i)
  CROSS JOIN LATERAL (VALUES (r.spm_bidang), ('*')) b(bidang)
  WHERE r.active AND g.i <= array_length(string_to_array(r.desa_code, '.'), 1)
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
           (cert_expires_at AT TIME ZONE 'Asia/Makassar')::date AS expires_on
    FROM rollup_levels(changed)
  ),
  k AS (
    INSERT INTO stats_kader AS t (region_code, programme_id, spm_bidang, active)
    SELECT code, programme_id, spm_bidang, s * count(*) FROM lv GROUP BY 1, 2, 3
    ON CONFLICT (region_code, programme_id, spm_bidang) DO UPDATE SET active = t.active + excluded.active
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
-- Backfill the new rows from the existing state.
INSERT INTO stats_kader (region_code, programme_id, spm_bidang, active)
  SELECT region_code, programme_id, '*', sum(active) FROM stats_kader WHERE spm_bidang <> '*' GROUP BY 1, 2
  ON CONFLICT (region_code, programme_id, spm_bidang) DO UPDATE SET active = excluded.active;
--> statement-breakpoint
INSERT INTO stats_funnel (region_code, programme_id, spm_bidang, year, enrolled, attended, modules_passed, certified)
  SELECT region_code, programme_id, '*', year, sum(enrolled), sum(attended), sum(modules_passed), sum(certified)
  FROM stats_funnel WHERE spm_bidang <> '*' GROUP BY 1, 2, 4
  ON CONFLICT (region_code, programme_id, spm_bidang, year) DO UPDATE SET
    enrolled = excluded.enrolled, attended = excluded.attended, modules_passed = excluded.modules_passed, certified = excluded.certified;
--> statement-breakpoint
INSERT INTO stats_cert_expiry (region_code, programme_id, spm_bidang, expires_on, n)
  SELECT region_code, programme_id, '*', expires_on, sum(n) FROM stats_cert_expiry WHERE spm_bidang <> '*' GROUP BY 1, 2, 4
  ON CONFLICT (region_code, programme_id, spm_bidang, expires_on) DO UPDATE SET n = excluded.n;
--> statement-breakpoint
INSERT INTO stats_cert_expiry_month (region_code, programme_id, spm_bidang, month, n)
  SELECT region_code, programme_id, spm_bidang, date_trunc('month', expires_on)::date, sum(n) FROM stats_cert_expiry GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- The trend's history from the dates of the current rows (used here once and by
-- rebuildReporting): a kader counts from the day their account was created, a certificate
-- from max(issue day, that day) through its expiry day.
CREATE OR REPLACE FUNCTION rebuild_stats_flow() RETURNS void
LANGUAGE sql AS $$
  TRUNCATE stats_flow;
  INSERT INTO stats_flow (region_code, programme_id, spm_bidang, day, active, certified)
  WITH x AS (
    SELECT array_to_string((string_to_array(kp.desa_code, '.'))[1:g.i], '.') AS code, kp.programme_id, b.bidang,
           (u.created_at AT TIME ZONE 'Asia/Makassar')::date AS joined,
           greatest((kp.certified_at AT TIME ZONE 'Asia/Makassar')::date, (u.created_at AT TIME ZONE 'Asia/Makassar')::date) AS cert_from,
           (kp.cert_expires_at AT TIME ZONE 'Asia/Makassar')::date AS cert_to
    FROM kader_progress kp
    JOIN users u ON u.id = kp.user_id
    CROSS JOIN generate_series(1, 4) g(i)
    CROSS JOIN LATERAL (VALUES (kp.spm_bidang), ('*')) b(bidang)
    WHERE kp.active AND g.i <= array_length(string_to_array(kp.desa_code, '.'), 1)
  )
  SELECT code, programme_id, bidang, day, sum(a)::int, sum(c)::int FROM (
    SELECT code, programme_id, bidang, joined AS day, 1 AS a, 0 AS c FROM x
    UNION ALL SELECT code, programme_id, bidang, cert_from, 0, 1 FROM x WHERE cert_from <= cert_to
    UNION ALL SELECT code, programme_id, bidang, cert_to + 1, 0, -1 FROM x WHERE cert_from <= cert_to
  ) ev GROUP BY 1, 2, 3, 4;
$$;
--> statement-breakpoint
SELECT rebuild_stats_flow();
