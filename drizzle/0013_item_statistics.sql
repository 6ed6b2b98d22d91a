CREATE TABLE "quiz_item_answers" (
	"attempt_id" text NOT NULL,
	"question_id" text NOT NULL,
	"region_code" text NOT NULL,
	"slug" text NOT NULL,
	"section" text NOT NULL,
	"month" date NOT NULL,
	"first_try" boolean NOT NULL,
	"ok" smallint NOT NULL,
	"rest" smallint NOT NULL,
	"given" text NOT NULL,
	CONSTRAINT "quiz_item_answers_attempt_id_question_id_pk" PRIMARY KEY("attempt_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "stats_item" (
	"region_code" text NOT NULL,
	"slug" text NOT NULL,
	"question_id" text NOT NULL,
	"month" date NOT NULL,
	"first_try" boolean NOT NULL,
	"section" text DEFAULT '' NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	"correct" bigint DEFAULT 0 NOT NULL,
	"rest_sum" bigint DEFAULT 0 NOT NULL,
	"rest_sq" bigint DEFAULT 0 NOT NULL,
	"xy_rest" bigint DEFAULT 0 NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "stats_item_region_code_slug_question_id_month_first_try_pk" PRIMARY KEY("region_code","slug","question_id","month","first_try")
);
--> statement-breakpoint
ALTER TABLE "quiz_attempts" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "quiz_attempts" ADD COLUMN "first_try" boolean;--> statement-breakpoint
ALTER TABLE "quiz_item_answers" ADD CONSTRAINT "quiz_item_answers_attempt_id_quiz_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."quiz_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quiz_item_answers_region_idx" ON "quiz_item_answers" USING btree ("region_code" text_pattern_ops,"slug","month");
--> statement-breakpoint
-- Item statistics (issue 19). A graded attempt is stamped with its taker's region and with
-- whether it is the taker's first graded attempt of that quiz; a statement trigger then adds
-- (or, for a removed attempt, subtracts) its items to stats_item for its provinsi and its
-- kabupaten, and writes one quiz_item_answers row per item. Right or wrong follows the app's rule (quiz-rules.ts scoreAttempt): the chosen
-- set of option ids equals the key's set.
CREATE OR REPLACE FUNCTION quiz_attempts_stamp() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.submitted_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.submitted_at IS NULL) THEN
    IF NEW.region_code IS NULL THEN
      NEW.region_code := (SELECT scope_code FROM users WHERE id = NEW.user_id);
    END IF;
    IF NEW.first_try IS NULL THEN
      NEW.first_try := NOT EXISTS (
        SELECT 1 FROM quiz_attempts q
        WHERE q.user_id = NEW.user_id AND q.slug = NEW.slug AND q.id <> NEW.id
          AND q.submitted_at IS NOT NULL AND q.submitted_at <= NEW.submitted_at);
    END IF;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER quiz_attempts_stamp BEFORE INSERT OR UPDATE OF submitted_at ON quiz_attempts
  FOR EACH ROW EXECUTE FUNCTION quiz_attempts_stamp();
--> statement-breakpoint
-- The items of one graded attempt: the item, its section, the chosen option ids (jsonb array)
-- and right or wrong (ok: the two sets contain each other). The one SQL spelling of
-- right/wrong (the app's is scoreAttempt; tests/item-analysis.test.ts checks they agree).
CREATE OR REPLACE FUNCTION quiz_item_rows(a quiz_attempts)
RETURNS TABLE (question_id text, section text, given jsonb, ok integer)
LANGUAGE sql IMMUTABLE AS $$
  SELECT d->>'id', coalesce(d->>'section', ''), x.g, (x.g @> (d->'answer') AND (d->'answer') @> x.g)::int
  FROM jsonb_array_elements(a.draw) d
  CROSS JOIN LATERAL (SELECT coalesce(a.answers -> (d->>'id'), '[]'::jsonb) AS g) x
$$;
--> statement-breakpoint
-- {"a": 2} + {"a": 1, "b": 1} = {"a": 3, "b": 1}: option counts are summed key by key.
CREATE OR REPLACE FUNCTION jsonb_add_counts(x jsonb, y jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
  FROM (SELECT k, sum(v::bigint) AS n FROM (
          SELECT * FROM jsonb_each_text(x) UNION ALL SELECT * FROM jsonb_each_text(y)) e(k, v)
        GROUP BY k) s
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
  -- The rows of quiz_item_answers (added for s > 0), and the rollup for the response's provinsi
  -- and kabupaten. A kecamatan or desa has too few responses per item and month for a rollup
  -- to pay (about as many rows as responses at national scale): it sums its quiz_item_answers
  -- rows. Rollup rows are upserted in key order so concurrent gradings lock them in one order.
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
  ),
  lv AS MATERIALIZED (
    SELECT array_to_string((string_to_array(r.region_code, '.'))[1:g.i], '.') AS code, r.*
    FROM r CROSS JOIN generate_series(1, 2) g(i)
    WHERE g.i <= array_length(string_to_array(r.region_code, '.'), 1)
  ),
  opt AS (
    SELECT code, slug, question_id, month, first_try, jsonb_object_agg(o, s * n) AS options
    FROM (SELECT code, slug, question_id, month, first_try, o, count(*) AS n
          FROM lv CROSS JOIN LATERAL unnest(string_to_array(nullif(lv.given, ''), ',')) o GROUP BY 1, 2, 3, 4, 5, 6) c
    GROUP BY 1, 2, 3, 4, 5
  ),
  it AS (
    SELECT code, slug, question_id, month, first_try, max(section) AS section, s * count(*) AS n, s * sum(ok) AS correct,
           s * sum(rest) AS rest_sum, s * sum(rest * rest) AS rest_sq, s * sum(ok * rest) AS xy_rest
    FROM lv GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO stats_item AS t (region_code, slug, question_id, month, first_try, section, n, correct, rest_sum, rest_sq, xy_rest, options)
  SELECT it.code, it.slug, it.question_id, it.month, it.first_try, it.section, it.n, it.correct, it.rest_sum, it.rest_sq,
         it.xy_rest, coalesce(opt.options, '{}'::jsonb)
  FROM it LEFT JOIN opt USING (code, slug, question_id, month, first_try)
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (region_code, slug, question_id, month, first_try) DO UPDATE SET
    section = excluded.section, n = t.n + excluded.n, correct = t.correct + excluded.correct,
    rest_sum = t.rest_sum + excluded.rest_sum, rest_sq = t.rest_sq + excluded.rest_sq, xy_rest = t.xy_rest + excluded.xy_rest,
    options = jsonb_add_counts(t.options, excluded.options);
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION quiz_attempts_item_stats() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM apply_item_delta((SELECT jsonb_agg(to_jsonb(o)) FROM item_old o WHERE o.submitted_at IS NOT NULL), -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM apply_item_delta((SELECT jsonb_agg(to_jsonb(n)) FROM item_new n WHERE n.submitted_at IS NOT NULL), 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER quiz_attempts_item_stats_ins AFTER INSERT ON quiz_attempts
  REFERENCING NEW TABLE AS item_new FOR EACH STATEMENT EXECUTE FUNCTION quiz_attempts_item_stats();
--> statement-breakpoint
CREATE TRIGGER quiz_attempts_item_stats_upd AFTER UPDATE ON quiz_attempts
  REFERENCING OLD TABLE AS item_old NEW TABLE AS item_new FOR EACH STATEMENT EXECUTE FUNCTION quiz_attempts_item_stats();
--> statement-breakpoint
CREATE TRIGGER quiz_attempts_item_stats_del AFTER DELETE ON quiz_attempts
  REFERENCING OLD TABLE AS item_old FOR EACH STATEMENT EXECUTE FUNCTION quiz_attempts_item_stats();
--> statement-breakpoint
-- Recompute quiz_item_answers and stats_item from the attempts (rebuildReporting): stamps
-- first, then the rows in chunks of 5,000 attempts so no statement holds the table as JSON.
CREATE OR REPLACE FUNCTION rebuild_stats_item() RETURNS void
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  chunk jsonb;
BEGIN
  ALTER TABLE quiz_attempts DISABLE TRIGGER quiz_attempts_item_stats_upd;
  UPDATE quiz_attempts q SET region_code = coalesce(q.region_code, u.scope_code)
    FROM users u WHERE u.id = q.user_id AND q.submitted_at IS NOT NULL AND q.region_code IS NULL;
  UPDATE quiz_attempts q SET first_try = f.first
    FROM (SELECT id, row_number() OVER (PARTITION BY user_id, slug ORDER BY submitted_at, id) = 1 AS first
          FROM quiz_attempts WHERE submitted_at IS NOT NULL) f
    WHERE f.id = q.id AND q.first_try IS DISTINCT FROM f.first;
  ALTER TABLE quiz_attempts ENABLE TRIGGER quiz_attempts_item_stats_upd;
  TRUNCATE stats_item, quiz_item_answers;
  FOR chunk IN
    SELECT jsonb_agg(to_jsonb(c)) FROM (
      SELECT a.*, (row_number() OVER (ORDER BY a.id) - 1) / 5000 AS part
      FROM quiz_attempts a WHERE a.submitted_at IS NOT NULL
    ) c GROUP BY c.part
  LOOP
    PERFORM apply_item_delta(chunk, 1);
  END LOOP;
END
$$;
--> statement-breakpoint
SELECT rebuild_stats_item();
