"""`gkpub import catalog`: catalogue spreadsheets (梳理表, DB31/T 1297, gkpub export) → YAML."""
