"""教师队伍 pages. Every query is limited to the user's scope (`scoped_school_ids`,
`.restrict(user)`); leaders read, 人事股 staff and administrators change."""
