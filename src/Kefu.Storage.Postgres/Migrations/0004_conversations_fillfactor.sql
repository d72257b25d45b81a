-- Every batch of appends rewrites its conversations' last_seq. With room left on each page PostgreSQL keeps
-- the new row version on the same page (a HOT update) instead of adding an entry to each of the table's
-- seven indexes. Applies to pages written from now on.
ALTER TABLE conversations SET (fillfactor = 70);
