-- Identify mode (issue 15): an authorization asked for without phone has user_phone '' (here and in its lease),
-- holds its number for every phone, and is confirmed by the first usable caller ID of the number. A call finds
-- the newest such authorization of the called number through this index.
CREATE INDEX ix_authorizations_identify ON authorizations (auth_number, id) WHERE user_phone = '';
