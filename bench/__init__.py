"""Benchmarks: SQuAD 2.0 retrieval, citation and abstention quality against a LangChain baseline."""
