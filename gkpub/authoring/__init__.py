"""Tools for editors: `gkpub new site` (new_site, starter/), `gkpub new item` (new_item),
and the generated README tables (docs)."""
