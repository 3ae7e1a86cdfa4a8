"""Product search: text building (:mod:`.text`), queries (:mod:`.query`), documents
(:mod:`.documents`), the index writer (:mod:`.indexer`) and per-database full-text backends
(:mod:`.backends`). Shoppers' searches go through :mod:`regionmall.catalog.services.search`."""
