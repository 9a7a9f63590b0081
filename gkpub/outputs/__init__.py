"""Output channels, one package each: ``web`` (portal pages), ``search`` (Pagefind index),
``opendata`` (data files, feeds, sitemap), ``report`` (compliance report, annual report draft),
``print`` (posters, handbooks, notices)."""
