-- Rollups for the dashboard, kept current by the writes that change them: every insert,
-- update or delete of kader_progress adds its contribution (+1) to, or removes it (-1)
-- from, the stats_* rows of the kader's desa and of each ancestor region.
CREATE OR REPLACE FUNCTION apply_kader_progress(p kader_progress, s integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  parts text[] := string_to_array(p.desa_code, '.');
  code text;
  tz constant text := 'Asia/Makassar';
BEGIN
  IF NOT p.active THEN
    RETURN;
  END IF;
  FOR i IN 1 .. coalesce(array_length(parts, 1), 0) LOOP
    code := array_to_string(parts[1:i], '.');
    INSERT INTO stats_kader AS t (region_code, programme_id, spm_bidang, active)
      VALUES (code, p.programme_id, p.spm_bidang, s)
      ON CONFLICT (region_code, programme_id, spm_bidang) DO UPDATE SET active = t.active + s;
    IF p.enrolled_at IS NOT NULL THEN
      INSERT INTO stats_funnel AS t (region_code, programme_id, spm_bidang, year, enrolled)
        VALUES (code, p.programme_id, p.spm_bidang, extract(year FROM p.enrolled_at AT TIME ZONE tz)::smallint, s)
        ON CONFLICT (region_code, programme_id, spm_bidang, year) DO UPDATE SET enrolled = t.enrolled + s;
    END IF;
    IF p.attended_at IS NOT NULL THEN
      INSERT INTO stats_funnel AS t (region_code, programme_id, spm_bidang, year, attended)
        VALUES (code, p.programme_id, p.spm_bidang, extract(year FROM p.attended_at AT TIME ZONE tz)::smallint, s)
        ON CONFLICT (region_code, programme_id, spm_bidang, year) DO UPDATE SET attended = t.attended + s;
    END IF;
    IF p.modules_passed_at IS NOT NULL THEN
      INSERT INTO stats_funnel AS t (region_code, programme_id, spm_bidang, year, modules_passed)
        VALUES (code, p.programme_id, p.spm_bidang, extract(year FROM p.modules_passed_at AT TIME ZONE tz)::smallint, s)
        ON CONFLICT (region_code, programme_id, spm_bidang, year) DO UPDATE SET modules_passed = t.modules_passed + s;
    END IF;
    IF p.certified_at IS NOT NULL THEN
      INSERT INTO stats_funnel AS t (region_code, programme_id, spm_bidang, year, certified)
        VALUES (code, p.programme_id, p.spm_bidang, extract(year FROM p.certified_at AT TIME ZONE tz)::smallint, s)
        ON CONFLICT (region_code, programme_id, spm_bidang, year) DO UPDATE SET certified = t.certified + s;
      INSERT INTO stats_cert_expiry AS t (region_code, programme_id, spm_bidang, expires_on, n)
        VALUES (code, p.programme_id, p.spm_bidang, (p.cert_expires_at AT TIME ZONE tz)::date, s)
        ON CONFLICT (region_code, programme_id, spm_bidang, expires_on) DO UPDATE SET n = t.n + s;
      INSERT INTO stats_cert_month AS t (region_code, programme_id, month, n)
        VALUES (code, p.programme_id, date_trunc('month', p.certified_at AT TIME ZONE tz)::date, s)
        ON CONFLICT (region_code, programme_id, month) DO UPDATE SET n = t.n + s;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kader_progress_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF tg_op IN ('UPDATE', 'DELETE') THEN
    PERFORM apply_kader_progress(OLD, -1);
  END IF;
  IF tg_op IN ('INSERT', 'UPDATE') THEN
    PERFORM apply_kader_progress(NEW, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER kader_progress_rollup_ins_del AFTER INSERT OR DELETE ON kader_progress
  FOR EACH ROW EXECUTE FUNCTION kader_progress_rollup();
--> statement-breakpoint
CREATE TRIGGER kader_progress_rollup_upd AFTER UPDATE ON kader_progress
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION kader_progress_rollup();
