"""Open data: catalogue and items as JSON/CSV/XLSX, Atom feeds, sitemap.xml, robots.txt."""
