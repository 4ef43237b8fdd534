-- The live room: every room event (chat, donation, removal) in one order per room, shared by all
-- nodes; moderation that outlives a restart.

-- One row per room (a campaign's live room). Appending events locks the row, so a room's seq
-- numbers are gapless and commit in order on every node.
CREATE TABLE rooms (
  slug              text PRIMARY KEY,
  last_seq          bigint NOT NULL DEFAULT 0,
  slow_mode_seconds integer NOT NULL DEFAULT 0,
  blocked_words     text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE room_events (
  room       text NOT NULL REFERENCES rooms (slug),
  seq        bigint NOT NULL,
  type       text NOT NULL,             -- chat.message, donation, chat.removed, room.cleared
  message_id bigint,                    -- for chat.message: the id others refer to
  payload    text NOT NULL,             -- the event exactly as sent to viewers (JSON)
  session    text NOT NULL DEFAULT '',  -- who sent a chat message (moderators only)
  address    text NOT NULL DEFAULT '',
  removed    boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room, seq)
);
CREATE SEQUENCE chat_message_ids;
CREATE INDEX room_events_message ON room_events (room, message_id) WHERE message_id IS NOT NULL;

-- Mutes (by nickname or session) and bans (by session and address), until a time.
CREATE TABLE room_sanctions (
  id         bigserial PRIMARY KEY,
  room       text NOT NULL REFERENCES rooms (slug),
  kind       text NOT NULL CHECK (kind IN ('mute', 'ban')),
  nickname   text NOT NULL DEFAULT '',
  session    text NOT NULL DEFAULT '',
  address    text NOT NULL DEFAULT '',
  until      timestamptz NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX room_sanctions_room ON room_sanctions (room, until);
