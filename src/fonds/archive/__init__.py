"""The service layer between the catalog and every interface (DESIGN.md, layer 4).

- `visibility`: who may see what, as QuerySets every channel uses (`public`, `visible_to`,
  `harvestable`, and the authorities and topics that have something to show);
- `roles`: the staff roles (reader, contributor, editor, administrator) as Django groups;
- `changes`: the one way to change a record (curated, logged in the change log, kept in history),
  the editorial workflow and restore;
- `search`: the one search entry point (catch up, search, re-check against the catalog);
- `urls`: absolute URLs of this archive (the configured site URL, never a forged Host header);
- `citations`, `pages`: what two interfaces share about citing a document and its page images;
- `browse`, `related`, `explore`: counts for the browsing indexes and entity pages, who wrote to
  whom, a document's related documents, the places of a search.

Interfaces (web, api, oai, feeds, cite, iiif, cli) import this package and the catalog, never
each other.
"""
