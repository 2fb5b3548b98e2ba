"""Saved conversations in the chat: each answered question is stored, and the sidebar lists, reopens,
renames and deletes them, for the signed-in owner only (``ui/api/owners.py``).

A conversation starts with its first answered question (named after it); the one open in a
browser is remembered in its localStorage, so a reload or a server restart reopens it with its
citations rendered afresh from the stored answers.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from typing import Any

import gradio as gr

from rag.assistant import Assistant
from rag.errors import RagError
from rag.types import Conversation, Turn
from ui.api.owners import LoginOwners
from ui.chat import Chat, Message, unicode_problem, with_reply
from ui.events import event_data
from ui.message_actions import render_actions

# What one turn's callback gives the chat: messages, follow-up turns, the open conversation, the list.
Step = tuple[list[Message], list[Turn], str, Any]
NOT_SAVED = "This answer could not be saved"
RATED = "Thank you: your rating is saved with the question, the settings and the cited passages."


class Conversations:
    """The sidebar's callbacks, and the chat turn that saves what it answers."""

    def __init__(self, assistant: Assistant, chat: Chat, owners: LoginOwners) -> None:
        self.store = assistant.conversations
        self.chat = chat
        self.owners = owners

    def respond(
        self, question: str, messages: list[Message], turns: list[Turn], k: float, article_ids: list[str],
        as_of: str | None, published_from: str | None, published_to: str | None, conversation_id: str,
        request: gr.Request,
    ) -> Iterator[Step]:  # fmt: skip
        """Stream the answer, then save it in the open conversation (a new one for a first question)."""
        dates = (as_of, published_from, published_to)
        for reply, answer in self.chat.replies(question, turns, k, article_ids, dates):
            if answer is None:
                yield with_reply(messages, reply), turns, conversation_id, gr.skip()
                continue
            settings = {"k": int(k), "article_ids": list(article_ids or []), **_dates(dates)}
            exchange_id = None
            try:
                owner = self.owner(request)
                conversation_id = conversation_id or self.store.create(owner, question).id
                exchange_id = self.store.append(owner, conversation_id, question, answer, settings).id
            except RagError as error:  # the answer still shows; only keeping it failed
                gr.Warning(f"{NOT_SAVED}: {error}")
            shown = with_reply(messages, reply + render_actions(question, answer, exchange_id))
            yield (
                shown,
                [*turns, (question, answer.text)],
                conversation_id,
                self.listing(conversation_id, request),
            )

    def open(self, conversation_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        """The conversation's messages (citations clickable again), turns, id, list and title box."""
        try:
            found = self.store.get(self.owner(request), conversation_id or "") if conversation_id else None
        except RagError:  # deleted meanwhile, or another key's: start afresh
            found = None
        if found is None:
            return [], [], "", self.listing("", request), gr.update(value="")
        messages: list[Message] = []
        for e in found.exchanges:
            reply = self.chat.answer_html(e.answer) + render_actions(e.question, e.answer, e.id, e.feedback)
            messages += [{"role": "user", "content": e.question}, {"role": "assistant", "content": reply}]
        return (
            messages,
            found.turns(),
            found.id,
            self.listing(found.id, request),
            gr.update(value=found.title),
        )

    def listing(self, current: str, request: gr.Request) -> str:
        """The owner's conversations as the sidebar list, the open one marked."""
        try:
            return render_conversations(self.store.recent(self.owner(request)), current)
        except RagError as error:
            return f'<p class="list-note" role="alert">⚠️ {html.escape(str(error))}</p>'

    def rename(self, conversation_id: str, title: str, request: gr.Request) -> tuple[str, str]:
        """Rename the open conversation; the list, and a status line."""
        if not conversation_id:
            return self.listing("", request), "Ask a question first: a conversation starts with it."
        if problem := unicode_problem(title, "title"):
            return self.listing(conversation_id, request), f"⚠️ {problem}"
        try:
            renamed = self.store.rename(self.owner(request), conversation_id, title)
        except RagError as error:
            return self.listing(conversation_id, request), f"⚠️ {error}"
        return self.listing(conversation_id, request), f"Renamed to “{renamed.title}”."

    def delete(self, conversation_id: str, request: gr.Request) -> tuple[Any, ...]:
        """Delete the open conversation and start a new one."""
        try:
            if conversation_id:
                self.store.delete(self.owner(request), conversation_id)
        except RagError as error:
            return gr.skip(), gr.skip(), gr.skip(), self.listing(conversation_id, request), f"⚠️ {error}"
        return [], [], "", self.listing("", request), "Conversation deleted."

    def rate(self, event: gr.EventData, request: gr.Request) -> tuple[Any, Any, str]:
        """Record the rating an answer's toolbar sent; the note box opens for an optional note."""
        data = event_data(event)
        try:
            pending = (int(str(data.get("exchange", ""))), int(str(data.get("rating", ""))))
            self.store.rate(self.owner(request), *pending)
        except ValueError:
            return gr.update(visible=True), None, "⚠️ This answer was not saved, so it cannot be rated."
        except RagError as error:
            return gr.update(visible=True), None, f"⚠️ {error}"
        return gr.update(visible=True), pending, RATED

    def save_note(
        self, pending: tuple[int, int] | None, note: str, request: gr.Request
    ) -> tuple[Any, str, str]:
        """Keep the note with the rating it explains; the note box closes."""
        if not pending:
            return gr.update(visible=False), "", ""
        if problem := unicode_problem(note, "note"):
            return gr.update(visible=True), gr.skip(), f"⚠️ {problem}"
        try:
            self.store.rate(self.owner(request), pending[0], pending[1], note)
        except RagError as error:
            return gr.update(visible=True), note, f"⚠️ {error}"
        return gr.update(visible=False), "", ""

    def owner(self, request: gr.Request | None) -> str:
        """Whose conversations this browser sees (the key its user name signed in with)."""
        return self.owners.owner(getattr(request, "username", None))


def render_conversations(conversations: Sequence[Conversation], current: str) -> str:
    """The sidebar list: newest first, each a button with the conversation's title and date."""
    if not conversations:
        return (
            '<p class="list-note">No saved conversations yet: your questions and answers are kept here.</p>'
        )
    items = "".join(_item(c, c.id == current) for c in conversations)
    return f'<nav aria-label="Saved conversations"><ul class="conversation-list">{items}</ul></nav>'


def _item(conversation: Conversation, current: bool) -> str:
    marker = ' aria-current="true"' if current else ""
    when = conversation.updated_at.strftime("%Y-%m-%d %H:%M")
    return (
        f'<li><button type="button" class="open-conversation" data-conversation="{html.escape(conversation.id)}"'
        f'{marker}><span class="title">{html.escape(conversation.title)}</span>'
        f'<span class="when">{when} · {conversation.size} question{"" if conversation.size == 1 else "s"}</span>'
        "</button></li>"
    )


def _dates(dates: tuple[str | None, ...]) -> dict[str, str]:
    """The date settings a turn was asked with, for its saved record (blank ones left out)."""
    names = ("as_of", "published_from", "published_to")
    return {name: day.strip() for name, day in zip(names, dates, strict=True) if day and day.strip()}
