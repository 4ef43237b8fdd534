-- Staff sign-in: accounts with one role each, sessions kept only as the SHA-256 of their token
-- (a stolen table grants nothing), and failed attempts for throttling by name and by address.

CREATE TABLE staff_users (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  role          text NOT NULL CHECK (role IN ('host', 'finance', 'admin')),
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_sessions (
  token_sha256 text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_seen    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);

-- Only failures are recorded; a success clears the failures of its name.
CREATE TABLE staff_login_failures (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL,
  peer         text NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_login_failures_name ON staff_login_failures (name, attempted_at);
CREATE INDEX staff_login_failures_peer ON staff_login_failures (peer, attempted_at);
