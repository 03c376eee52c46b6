"""OAI-PMH 2.0: the provider at /oai and the harvester behind `fonds harvest`."""
