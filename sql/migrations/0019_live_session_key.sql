-- The key every node signs the live room's session ids with (web/session_token.hpp): a phone
-- keeps the signed id it was given in welcome, and cannot make up another's. Two random UUIDs
-- (pg_strong_random) make 244 random bits; rotating it (a new value) only gives every phone a
-- new session at its next hello.
INSERT INTO station_settings (key, value)
VALUES ('live_session_key', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))
ON CONFLICT (key) DO NOTHING;
