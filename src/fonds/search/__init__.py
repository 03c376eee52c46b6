"""Search: the query language (`query`), name folding (`fold`), the tantivy index (`index`),
searching (`engine`) and snippets (`snippets`). Plain Python; the catalog feeds it through
`fonds.catalog.indexer`."""
