-- Item statistics folded in batches (issue 23, quiz-path capacity). Grading an attempt used to
-- upsert stats_item for its provinsi and kabupaten in the grading transaction: ~20 rows with
-- their option counts per attempt, ~1.5 ms of PostgreSQL CPU per graded attempt, and the rows
-- of a popular quiz locked by every grading in the province. Now grading only inserts the
-- attempt's quiz_item_answers rows and the same rows, signed, into stats_item_pending (a
-- removed attempt's rows with s = -1). fold_stats_item() moves the pending rows
-- into stats_item in one statement (one upsert per region, item, month and first-try flag,
-- however many attempts); the app runs it every ITEM_FOLD_MS in each process (one at a time:
-- an advisory lock). Readers of the rollup add the pending rows (item-analysis.server.ts,
-- rollupQuery), so the figures stay exact between folds, on the primary and on a replica:
-- stats_item + stats_item_pending = the provinsi and kabupaten sums of quiz_item_answers.
CREATE TABLE "stats_item_pending" (
	"region_code" text NOT NULL,
	"slug" text NOT NULL,
	"question_id" text NOT NULL,
	"section" text NOT NULL,
	"month" date NOT NULL,
	"first_try" boolean NOT NULL,
	"ok" smallint NOT NULL,
	"rest" smallint NOT NULL,
	"given" text NOT NULL,
	"s" smallint NOT NULL
);
--> statement-breakpoint
-- The fold's lock, spelled once: a fold that finds it taken does nothing (the holder folds);
-- a rebuild takes it before it truncates (rebuildReporting, rebuild_stats_item). Re-entrant
-- within a transaction.
CREATE OR REPLACE FUNCTION lock_item_fold(wait boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF wait THEN
    PERFORM pg_advisory_xact_lock(7301923023);
    RETURN true;
  END IF;
  RETURN pg_try_advisory_xact_lock(7301923023);
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION apply_item_delta(changed jsonb, s integer) RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  -- (jit off: PostgreSQL's JIT compiler took ~35 ms per call to compile this small statement.)
  IF changed IS NULL THEN
    RETURN;
  END IF;
  IF s < 0 THEN
    DELETE FROM quiz_item_answers WHERE attempt_id IN (SELECT a->>'id' FROM jsonb_array_elements(changed) a);
  END IF;
  -- The attempt's rows, from the attempt itself (a deleted attempt's quiz_item_answers rows are
  -- already gone by the foreign key's cascade): added to quiz_item_answers for s > 0, and to
  -- stats_item_pending with their sign.
  WITH r AS MATERIALIZED (
    SELECT a.id, a.region_code, a.slug, x.question_id, x.section, x.ok,
           (SELECT coalesce(string_agg(v, ',' ORDER BY v), '') FROM jsonb_array_elements_text(x.given) v) AS given,
           date_trunc('month', a.submitted_at AT TIME ZONE 'Asia/Makassar')::date AS month,
           coalesce(a.first_try, true) AS first_try,
           (sum(x.ok) OVER (PARTITION BY a.id) - x.ok) AS rest
    FROM jsonb_populate_recordset(NULL::quiz_attempts, changed) a
    CROSS JOIN LATERAL quiz_item_rows(a) x
    WHERE a.submitted_at IS NOT NULL AND a.region_code IS NOT NULL
  ),
  answers AS (
    INSERT INTO quiz_item_answers (attempt_id, question_id, region_code, slug, section, month, first_try, ok, rest, given)
    SELECT id, question_id, region_code, slug, section, month, first_try, ok, rest, given FROM r WHERE s > 0
    ON CONFLICT (attempt_id, question_id) DO NOTHING
  )
  INSERT INTO stats_item_pending (region_code, slug, question_id, section, month, first_try, ok, rest, given, s)
  SELECT region_code, slug, question_id, section, month, first_try, ok, rest, given, s FROM r;
END
$$;
--> statement-breakpoint
-- Moves every pending row into stats_item, for the response's provinsi and kabupaten (a
-- kecamatan or desa sums its quiz_item_answers rows live), in key order. Returns the number of
-- rows folded; 0 without touching anything when another transaction is folding. lock_timeout:
-- a fold never waits long behind a TRUNCATE (the next one takes the rows).
CREATE OR REPLACE FUNCTION fold_stats_item() RETURNS integer
LANGUAGE plpgsql SET jit = off SET lock_timeout = '2s' AS $$
DECLARE
  folded integer;
BEGIN
  IF NOT lock_item_fold(false) THEN
    RETURN 0;
  END IF;
  WITH p AS MATERIALIZED (
    DELETE FROM stats_item_pending RETURNING *
  ),
  lv AS MATERIALIZED (
    SELECT array_to_string((string_to_array(p.region_code, '.'))[1:g.i], '.') AS code, p.*
    FROM p CROSS JOIN generate_series(1, 2) g(i)
    WHERE g.i <= array_length(string_to_array(p.region_code, '.'), 1)
  ),
  opt AS (
    SELECT code, slug, question_id, month, first_try, jsonb_object_agg(o, n) AS options
    FROM (SELECT code, slug, question_id, month, first_try, o, sum(s) AS n
          FROM lv CROSS JOIN LATERAL unnest(string_to_array(nullif(lv.given, ''), ',')) o GROUP BY 1, 2, 3, 4, 5, 6) c
    GROUP BY 1, 2, 3, 4, 5
  ),
  it AS (
    SELECT code, slug, question_id, month, first_try, max(section) AS section, sum(s) AS n, sum(s * ok) AS correct,
           sum(s * rest) AS rest_sum, sum(s * rest * rest) AS rest_sq, sum(s * ok * rest) AS xy_rest
    FROM lv GROUP BY 1, 2, 3, 4, 5
  ),
  up AS (
    INSERT INTO stats_item AS t (region_code, slug, question_id, month, first_try, section, n, correct, rest_sum, rest_sq, xy_rest, options)
    SELECT it.code, it.slug, it.question_id, it.month, it.first_try, it.section, it.n, it.correct, it.rest_sum, it.rest_sq,
           it.xy_rest, coalesce(opt.options, '{}'::jsonb)
    FROM it LEFT JOIN opt USING (code, slug, question_id, month, first_try)
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (region_code, slug, question_id, month, first_try) DO UPDATE SET
      section = excluded.section, n = t.n + excluded.n, correct = t.correct + excluded.correct,
      rest_sum = t.rest_sum + excluded.rest_sum, rest_sq = t.rest_sq + excluded.rest_sq, xy_rest = t.xy_rest + excluded.xy_rest,
      options = jsonb_add_counts(t.options, excluded.options)
  )
  SELECT count(*) INTO folded FROM p;
  RETURN folded;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rebuild_stats_item() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  chunk jsonb;
BEGIN
  -- No fold of another transaction between the TRUNCATE and the last chunk.
  PERFORM lock_item_fold(true);
  ALTER TABLE quiz_attempts DISABLE TRIGGER quiz_attempts_item_stats_upd;
  UPDATE quiz_attempts q SET region_code = coalesce(q.region_code, u.scope_code)
    FROM users u WHERE u.id = q.user_id AND q.submitted_at IS NOT NULL AND q.region_code IS NULL;
  UPDATE quiz_attempts q SET first_try = f.first
    FROM (SELECT id, row_number() OVER (PARTITION BY user_id, slug ORDER BY submitted_at, id) = 1 AS first
          FROM quiz_attempts WHERE submitted_at IS NOT NULL) f
    WHERE f.id = q.id AND q.first_try IS DISTINCT FROM f.first;
  ALTER TABLE quiz_attempts ENABLE TRIGGER quiz_attempts_item_stats_upd;
  TRUNCATE stats_item, stats_item_pending, quiz_item_answers;
  FOR chunk IN
    SELECT jsonb_agg(to_jsonb(c)) FROM (
      SELECT a.*, (row_number() OVER (ORDER BY a.id) - 1) / 5000 AS part
      FROM quiz_attempts a WHERE a.submitted_at IS NOT NULL
    ) c GROUP BY c.part
  LOOP
    PERFORM apply_item_delta(chunk, 1);
    PERFORM fold_stats_item();
  END LOOP;
END
$$;
