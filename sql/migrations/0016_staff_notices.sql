-- Staff powers end on every node's open sockets the moment a session or an account changes: a
-- session that is deleted (sign-out, cleanup) and an account that is disabled, re-roled or deleted
-- are announced on the channel boai_staff, whoever made the change (a node, the desk, plain SQL).
-- Payloads: "session <token_sha256>" and "user <id>".

CREATE FUNCTION staff_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('boai_staff', 'session ' || OLD.token_sha256);
  RETURN NULL;
END $$;

CREATE TRIGGER staff_session_ended AFTER DELETE ON staff_sessions
  FOR EACH ROW EXECUTE FUNCTION staff_session_ended();

CREATE FUNCTION staff_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('boai_staff', 'user ' || OLD.id);
  RETURN NULL;
END $$;

CREATE TRIGGER staff_user_changed AFTER UPDATE OF role, disabled ON staff_users
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.disabled IS DISTINCT FROM NEW.disabled)
  EXECUTE FUNCTION staff_user_changed();
CREATE TRIGGER staff_user_deleted AFTER DELETE ON staff_users
  FOR EACH ROW EXECUTE FUNCTION staff_user_changed();
