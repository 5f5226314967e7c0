"""The curated knowledge base: content files, loading and validation, question matching, crisis check."""
