"""Entity extraction: the knowledge base, spaCy pipelines, and mention extraction.

Public API: `kb.load_kb`, `pipelines.build_pipeline`, `extract.extract_mentions`;
mentions are resolved to entities by `transforms.canonicalize`.
"""
