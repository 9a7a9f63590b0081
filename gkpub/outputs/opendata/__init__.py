"""Open data: the catalogue and items as JSON, CSV and XLSX, Atom feeds, sitemap.xml, robots.txt."""
