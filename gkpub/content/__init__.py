"""Reading a site: site.toml and its schema, the catalogue, items and fixed pages, front matter,
Markdown, validation, the disclosure gate and the model every later layer reads (``Site``)."""
