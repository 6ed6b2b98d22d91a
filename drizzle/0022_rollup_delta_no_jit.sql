-- The rollup delta (every change of a kader_progress row runs it, inside the writer's
-- transaction) is planned with the row counts PostgreSQL assumes for set-returning functions
-- (1,000 per call), which put its one statement above jit_above_cost: on a server with JIT
-- (Debian's packages have it, on by default) every call compiled it, ~28-34 ms for 10 rows,
-- against ~1.4 ms without (bench:rollup-burst, 2026-12-06). The item statistics functions were
-- already declared so (0013, 0021).
ALTER FUNCTION apply_rollup_delta(jsonb, integer) SET jit = off;
