-- Placeholder: version 0003 belongs to another branch's migration. The console
-- branch (issue 14) only needs its 0005 to apply in sequence; delete this file
-- when the real 0003 is merged.
SELECT 1;
