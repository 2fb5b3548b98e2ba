"""Interface shells over `rag.Assistant`: the Gradio chat and the HTTP server that hosts it."""
