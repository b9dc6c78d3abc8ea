"""Reading what people say: one structured :class:`~agent.reading.models.Reading` per message.

``Reader(CatalogLexicon.from_items(items, domain)).read(message, shown, focus)`` is the offline
reader (see :mod:`agent.reading.reader`); with an LLM configured, ``agent.reading.llm`` asks the
model for the same reading and keeps only what the message's words support.
"""

from agent.reading.lexicon import CatalogLexicon, LexiconError
from agent.reading.models import Reading
from agent.reading.reader import Reader

__all__ = ["CatalogLexicon", "LexiconError", "Reader", "Reading"]
