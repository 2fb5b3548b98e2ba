"""Interface shells over ``rag.Assistant``: the Gradio chat, the HTTP API that hosts it, and the CLI.

Each reaches the core only through the Assistant (``tests/test_imports.py`` pins it). The modules:

- ``cli`` (the ``rag`` command) -> ``server`` (one process, one port: FastAPI with Gradio mounted).
- ``api``: ``routes`` (REST under ``/v1``), ``openai_compat``, ``conversations``, with ``schemas``,
  ``streaming`` (SSE), ``safe_markdown``; around them ``auth``, ``owners``, ``guard``,
  ``middleware`` and ``errors``.
- the chat UI: ``app`` builds it from ``chat_tab`` (the chat window and its controls, callbacks in
  ``chat``), ``sidebar_panel`` (saved conversations, callbacks in ``sidebar``) and ``library_tab``
  (callbacks in ``library``, HTML in ``library_html``); an answer is drawn by ``answer_html``
  (with ``excerpt``, ``message_actions`` and ``escaping``); ``assets`` loads ``app.css`` and
  ``app.js``; ``events`` holds how events are registered; ``chat_api`` is ``/chat`` for programs.
- ``wording``: counts as a reader writes them ("1 chunk", "2 chunks") for the CLI and the library.
"""
