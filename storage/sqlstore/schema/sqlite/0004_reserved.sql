-- Placeholder: version 0004 belongs to another branch's migration. The console
-- branch (issue 14) only needs its 0005 to apply in sequence; delete this file
-- when the real 0004 is merged.
SELECT 1;
