"""Pure computation over plain tables: standards as data, class sizes, supervision indicators.

Nothing in this package imports Django, so it can be tested and benchmarked alone and run
by `jiaoguan evaluate` on a spreadsheet without a database.
"""
