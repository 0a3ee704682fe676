"""Entity extraction: the knowledge base, spaCy pipelines, and mention extraction.

Public API: `kb.load_kb`, `pipelines.build_pipeline`, `extract.extract_mentions`;
mentions are resolved to entities by `transforms.canonicalize`. Around them:
`kb_add` (validated KB edits, `newsflow kb add`), `cities` (GeoNames layer of
the KB), `boundaries` (KB matches inside longer names), `conll` (GermEval /
CoNLL gold files) and `training` (newsflow's German statistical NER).
"""
