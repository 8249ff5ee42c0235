-- The vectors of an entry's pieces (title, sentences), packed 8-bit (PackedVectors), used to re-rank search
-- candidates. Null for rows embedded before pieces existed: those entries are queued to be embedded again.
ALTER TABLE entry_vectors ADD COLUMN pieces ${blob};
