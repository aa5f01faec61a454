"""One module per homework program or chapter demo; see ``core.registry`` for the contract.

Every module directly in this package registers one or more experiments when imported.
"""
