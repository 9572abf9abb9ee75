"""The register: the association, member organisations and contacts, contribution keys, insatser
with their parties and conditions, and the audit log's pages.
"""
