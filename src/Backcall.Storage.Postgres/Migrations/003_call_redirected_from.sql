-- The number that forwarded a call to the pool number (Diversion, History-Info or a PBX's redirected_from);
-- NULL for a call dialled straight to it, and for every call logged before this version.
ALTER TABLE call_log ADD COLUMN redirected_from text;
