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
	CONSTRAINT "stats_item_region_code_slug_question_id_month_first_try_pk" PRIMARY KEY("region_code","slug","question_id","month","first_try")
);
--> statement-breakpoint
CREATE TABLE "stats_item_option" (
	"region_code" text NOT NULL,
	"slug" text NOT NULL,
	"question_id" text NOT NULL,
	"month" date NOT NULL,
	"first_try" boolean NOT NULL,
	"option_id" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_item_option_region_code_slug_question_id_month_first_try_option_id_pk" PRIMARY KEY("region_code","slug","question_id","month","first_try","option_id")
);
--> statement-breakpoint
ALTER TABLE "quiz_attempts" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "quiz_attempts" ADD COLUMN "first_try" boolean;--> statement-breakpoint
CREATE INDEX "quiz_attempts_region_idx" ON "quiz_attempts" USING btree ("region_code" text_pattern_ops,"slug");
--> statement-breakpoint
-- Item statistics (issue 19). A graded attempt is stamped with its taker's region and with
-- whether it is the taker's first graded attempt of that quiz; a statement trigger then adds
-- (or, for a removed attempt, subtracts) its items to stats_item / stats_item_option for its
-- provinsi and kabupaten. Right or wrong follows the app's rule (quiz-rules.ts scoreAttempt): the
-- sorted chosen option ids equal the sorted key.
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
-- The items of one graded attempt: the item, its section, the options chosen and right or
-- wrong (ok). Used by the rollup (quiz_item_responses) and by the live figures of a kecamatan
-- or desa (item-analysis.server.ts), so right/wrong is spelled once in SQL.
CREATE OR REPLACE FUNCTION quiz_item_rows(a quiz_attempts)
RETURNS TABLE (question_id text, section text, given text[], ok integer)
LANGUAGE sql IMMUTABLE AS $$
  SELECT d->>'id', coalesce(d->>'section', ''), g.given,
         (g.given = ARRAY(SELECT v FROM jsonb_array_elements_text(d->'answer') v ORDER BY v))::int
  FROM jsonb_array_elements(a.draw) d
  CROSS JOIN LATERAL (
    SELECT ARRAY(SELECT v FROM jsonb_array_elements_text(coalesce(a.answers -> (d->>'id'), '[]'::jsonb)) v ORDER BY v) AS given
  ) g
$$;
--> statement-breakpoint
-- One row per drawn item of the graded attempts in `changed`, with how many of the attempt's
-- other items were right (rest).
CREATE OR REPLACE FUNCTION quiz_item_responses(changed jsonb)
RETURNS TABLE (region_code text, slug text, question_id text, month date, first_try boolean, section text,
               given text[], ok integer, rest integer)
LANGUAGE sql STABLE AS $$
  SELECT a.region_code, a.slug, r.question_id,
         date_trunc('month', a.submitted_at AT TIME ZONE 'Asia/Makassar')::date,
         coalesce(a.first_try, true), r.section, r.given, r.ok,
         (sum(r.ok) OVER (PARTITION BY a.id) - r.ok)::int
  FROM jsonb_populate_recordset(NULL::quiz_attempts, changed) a
  CROSS JOIN LATERAL quiz_item_rows(a) r
  WHERE a.submitted_at IS NOT NULL AND a.region_code IS NOT NULL
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION apply_item_delta(changed jsonb, s integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF changed IS NULL THEN
    RETURN;
  END IF;
  -- Every response once for its provinsi and once for its kabupaten. A kecamatan or desa has
  -- too few responses per item and month for a rollup to pay (about as many rows as
  -- responses at national scale): their figures are summed live from their own attempts.
  -- Rows are upserted in key order so two concurrent gradings lock shared rows in one order.
  WITH lv AS MATERIALIZED (
    SELECT array_to_string((string_to_array(r.region_code, '.'))[1:g.i], '.') AS code, r.*
    FROM quiz_item_responses(changed) r
    CROSS JOIN generate_series(1, 2) g(i)
    WHERE g.i <= array_length(string_to_array(r.region_code, '.'), 1)
  ),
  it AS (
    INSERT INTO stats_item AS t (region_code, slug, question_id, month, first_try, section, n, correct, rest_sum, rest_sq, xy_rest)
    SELECT code, slug, question_id, month, first_try, max(section), s * count(*), s * sum(ok), s * sum(rest),
           s * sum(rest * rest), s * sum(ok * rest)
    FROM lv GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (region_code, slug, question_id, month, first_try) DO UPDATE SET
      section = excluded.section, n = t.n + excluded.n, correct = t.correct + excluded.correct,
      rest_sum = t.rest_sum + excluded.rest_sum, rest_sq = t.rest_sq + excluded.rest_sq, xy_rest = t.xy_rest + excluded.xy_rest
  )
  INSERT INTO stats_item_option AS t (region_code, slug, question_id, month, first_try, option_id, n)
  SELECT lv.code, lv.slug, lv.question_id, lv.month, lv.first_try, o.option_id, s * count(*)
  FROM lv CROSS JOIN LATERAL unnest(lv.given) o(option_id)
  GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (region_code, slug, question_id, month, first_try, option_id) DO UPDATE SET n = t.n + excluded.n;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION quiz_attempts_item_stats() RETURNS trigger
LANGUAGE plpgsql AS $$
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
-- Recompute both tables from the attempts (rebuildReporting): stamps first, then the sums in
-- chunks of 5,000 attempts so no statement holds the whole table as JSON.
CREATE OR REPLACE FUNCTION rebuild_stats_item() RETURNS void
LANGUAGE plpgsql AS $$
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
  TRUNCATE stats_item, stats_item_option;
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
