"""Simulated document-management system: edXML packages (QCVN 102:2016) dropped into an inbox.

from simulators.documents import DocumentsConfig, write_documents
written = write_documents(Path("inbox"), DocumentsConfig(seed=1, size=500, dirt="all"))
"""

from __future__ import annotations

from simulators.documents.config import DIRT_KINDS, DocumentsConfig
from simulators.documents.content import STATUS, Document, documents
from simulators.documents.edxml import NS
from simulators.documents.write import Written, write_documents

__all__ = ["DIRT_KINDS", "NS", "STATUS", "Document", "DocumentsConfig", "Written", "documents", "write_documents"]
