"""OAI-PMH for harvesters: the protocol (provider.py, pure) and the catalogue as it
answers the protocol's questions (repository.py, over the catalogue's client)."""
