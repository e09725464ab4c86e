"""CQL, the query language of SRU (https://www.loc.gov/standards/sru/cql/), read into
a tree: search clauses (`index relation term`, or a bare term) joined by `and`,
`or` and `not`, left to right, with parentheses. What the catalogue cannot do with
a query it can read (`prox`, modifiers, sorting) is refused
with the SRU diagnostic that names it, as is what is not CQL at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

# SRU 1.2 diagnostics (info:srw/diagnostic/1/<n>) this module gives.
SYNTAX, PARENTHESES, RELATION_MODIFIER, BOOLEAN, BOOLEAN_MODIFIER, SORT = 10, 13, 20, 37, 46, 80
BOOLEANS = ("and", "or", "not")
SYMBOLS = ("==", "<>", "<=", ">=", "=", "<", ">")
WORD_RELATIONS = ("all", "any", "adj", "exact", "within", "encloses")
MAX_DEPTH = 20  # parentheses within parentheses: enough for any real query
_TOKEN = re.compile(r'\s*(?:(")((?:[^"\\]|\\.)*)"|(==|<>|<=|>=|[=<>()/])|([^\s"=<>()/]+))')


class CQLError(ValueError):
    def __init__(self, code: int, message: str, details: str = ""):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


@dataclass(frozen=True)
class Clause:
    index: str | None  # lower case; None for a bare term (the server's choice)
    relation: str  # "=" for a bare term
    term: str


@dataclass(frozen=True)
class Boolean:
    operator: str  # and, or, not
    left: Clause | Boolean
    right: Clause | Boolean


@dataclass(frozen=True)
class _Token:
    text: str
    quoted: bool = False
    symbol: bool = False

    def is_symbol(self, symbol: str) -> bool:
        return self.symbol and self.text == symbol

    def is_word(self, *words: str) -> bool:
        return not self.quoted and not self.symbol and self.text.lower() in words


def tokens(query: str) -> list[_Token]:
    found, at = [], 0
    while at < len(query):
        if query[at:].isspace():
            break
        match = _TOKEN.match(query, at)
        if match is None:
            raise CQLError(SYNTAX, "Query syntax error: an unclosed quotation mark.", query[at:])
        quote, quoted, symbol, word = match.groups()
        if quote:
            found.append(_Token(re.sub(r"\\(.)", r"\1", quoted), quoted=True))
        elif symbol:
            found.append(_Token(symbol, symbol=True))
        else:
            found.append(_Token(word))
        at = match.end()
    return found


class _Parser:
    def __init__(self, query: str):
        self.tokens = tokens(query)
        self.at = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> _Token | None:
        at = self.at + ahead
        return self.tokens[at] if at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise CQLError(SYNTAX, "Query syntax error: the query ends too soon.")
        self.at += 1
        return token

    def query(self) -> Clause | Boolean:
        tree = self.clause()
        while (token := self.peek()) is not None and not token.is_symbol(")"):
            if token.is_word("sortby"):
                raise CQLError(SORT, "Sorting is not supported: results come newest first.")
            if token.is_word("prox"):
                raise CQLError(BOOLEAN, "Unsupported boolean operator: prox.", "prox")
            if not token.is_word(*BOOLEANS):
                raise CQLError(SYNTAX, f"Query syntax error: {token.text!r} where and, or or "
                               "not was expected.", token.text)  # fmt: skip
            self.take()
            if (after := self.peek()) is not None and after.is_symbol("/"):
                raise CQLError(BOOLEAN_MODIFIER, "Boolean modifiers are not supported.")
            tree = Boolean(token.text.lower(), tree, self.clause())
        return tree

    def clause(self) -> Clause | Boolean:
        token = self.take()
        if token.is_symbol("("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise CQLError(PARENTHESES, "Too many parentheses within parentheses.")
            inner = self.query()
            closing = self.peek()
            if closing is None or not closing.is_symbol(")"):
                raise CQLError(PARENTHESES, "A parenthesis is not closed.")
            self.take()
            self.depth -= 1
            return inner
        if token.symbol:
            raise CQLError(SYNTAX, f"Query syntax error: {token.text!r} where a term was "
                           "expected.", token.text)  # fmt: skip
        relation = self.peek()
        if relation is not None and (
            (relation.symbol and relation.text in SYMBOLS) or relation.is_word(*WORD_RELATIONS)
        ) and self._term_follows():  # fmt: skip
            self.take()
            if (after := self.peek()) is not None and after.is_symbol("/"):
                raise CQLError(RELATION_MODIFIER, "Relation modifiers are not supported.")
            term = self.take()
            if term.symbol:
                raise CQLError(SYNTAX, "Query syntax error: the relation has no term.")
            return Clause(token.text.lower(), relation.text.lower(), term.text)
        return Clause(None, "=", token.text)

    def _term_follows(self) -> bool:
        """After `word relation`, a term or a modifier: else the relation word is a
        term of its own (`any` alone is a search for the word any)."""
        after = self.peek(1)
        return after is not None and (not after.symbol or after.is_symbol("/"))


def parse(query: str) -> Clause | Boolean:
    if not query.strip():
        raise CQLError(SYNTAX, "Query syntax error: the query is empty.")
    parser = _Parser(query)
    tree = parser.query()
    if parser.peek() is not None:  # a ")" with no "(" before it
        raise CQLError(PARENTHESES, "A closing parenthesis has no opening one.")
    return tree
