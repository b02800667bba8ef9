"""Measurement: how answers become scores, and the columns responses are collected under.

`scoring` holds the pure scoring functions; `codebook` the ordered columns of each survey and role
that forms, XLSForms and the report share.
"""
