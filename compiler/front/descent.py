"""A hand-written parser for adflow files without syntax errors: a recursive
descent over the language's tokens (`lexer.parser_tokens`) that builds the
typed AST (`ast`) straight from the text, with a span on every node.

It exists for speed: it does not import Lark, so a one-file `check` starts
quicker, and it reads a 50,000-line file several times faster than Lark's
LALR parser plus the walk of its tree. The grammar (grammar/adflow.lark) and
Lark stay the reference: at the first token this parser does not expect it
gives up (`Declined`), and `dsl.parse_file` parses the file again with
Lark, which reports the syntax errors or, should this parser ever refuse
valid input, builds the same AST. tests/test_descent.py checks that both give
identical ASTs and diagnostics.

The tokens are the grammar's terminals (`lexer`), and a token Lark would
not lex (OPEN_STRING, BAD) is one no rule here expects, so it declines.
What it copies from Lark's contextual lexer: keywords are names in the places
where the grammar has no keyword; `raw` at the start of a member is the
keyword; inside the JSON value of a `raw` member, line breaks are dropped
(`parser._RawJsonNewlines`).
"""

from __future__ import annotations

from . import ast
from .lexer import ParserToken, parser_tokens
from .lower import Lowerer
from .source import Source, Span

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import NoReturn

_OBJECTS = {"lead_form": "on", "adset": "in", "campaign": None, "creative": None, "ad": None,
            "market": None}
_JSON_WORDS = {"true": True, "false": False, "null": None}
_VALUE_START = ("NAME", "STRING", "NUMBER", "[")
_ARG_START = ("NAME", "STRING", "NUMBER", "[", "->", "=>")


class Declined(Exception):
    """The text is not what this parser reads: let Lark parse it."""


Token = ParserToken


class Parser:
    def __init__(self, source: Source, lowerer: Lowerer) -> None:
        self.source = source
        self.path = source.path
        self.lowerer = lowerer
        self.tokens = parser_tokens(source.text)
        self.i = 0

    # -- tokens -------------------------------------------------------------
    def decline(self) -> NoReturn:
        raise Declined

    def take(self, kind: str) -> Token:
        token = self.tokens[self.i]
        if token[0] != kind:
            raise Declined
        self.i += 1
        return token

    def skip_newline(self) -> None:
        if self.tokens[self.i][0] == "NL":
            self.i += 1

    def span(self, first: Token, last: Token) -> Span:
        return Span(self.path, first[2], first[3], last[2], last[3] + len(last[1]))

    def between(self, first: Token, end: Span) -> Span:
        return Span(self.path, first[2], first[3], end.end_line, end.end_column)

    def string(self, token: Token) -> str:
        return self.lowerer.string(token[4], token[4] + len(token[1]))

    def ident(self, token: Token) -> ast.Ident:
        return ast.Ident(token[1], self.span(token, token))

    # -- values -------------------------------------------------------------
    def value(self) -> ast.Value:
        token = self.tokens[self.i]
        kind = token[0]
        if kind == "NAME":
            self.i += 1
            return ast.Ident(token[1], self.span(token, token))
        if kind == "STRING":
            self.i += 1
            return ast.Str(self.string(token), self.span(token, token))
        if kind == "NUMBER":
            self.i += 1
            return self.lowerer.number(token[1], self.span(token, token))
        if kind == "[":
            return self.list()
        self.decline()

    def ref(self) -> ast.Ref:
        value = self.value()
        if isinstance(value, ast.ListValue):
            self.decline()
        return value

    def list(self) -> ast.ListValue:
        first = self.take("[")
        self.skip_newline()
        items: list[ast.Value] = []
        tokens = self.tokens
        if tokens[self.i][0] != "]":
            items.append(self.value())
            while tokens[self.i][0] == ",":
                self.i += 1
                self.skip_newline()
                if tokens[self.i][0] == "]":
                    break
                items.append(self.value())
        return ast.ListValue(tuple(items), self.span(first, self.take("]")))

    # -- members ------------------------------------------------------------
    def block(self) -> ast.Block:
        first = self.take("{")
        tokens = self.tokens
        self.skip_newline()
        members: list[ast.Member | ast.Raw] = []
        while tokens[self.i][0] != "}":
            members.append(self.member())
            kind = tokens[self.i][0]
            if kind == "NL":
                self.i += 1
            elif kind != "}":
                self.decline()
        return ast.Block(tuple(members), self.span(first, self.take("}")))

    def member(self) -> ast.Member | ast.Raw:
        tokens = self.tokens
        first = tokens[self.i]
        kind = first[0]
        self.i += 1
        if kind == "NAME":
            if first[1] == "raw":
                name = self.ident(self.take("NAME"))
                value = self.json(nested=False)
                return ast.Raw(name, value, self.between(first, value.span))
            head: ast.Ident | ast.Str = ast.Ident(first[1], self.span(first, first))
        elif kind == "STRING":
            head = ast.Str(self.string(first), self.span(first, first))
        else:
            self.decline()
        args: list[ast.Arg] = []
        while tokens[self.i][0] in _ARG_START:
            token = tokens[self.i]
            if token[0] == "->":
                self.i += 1
                target = self.ref()
                args.append(ast.Arrow(target, self.between(token, target.span)))
            elif token[0] == "=>":
                self.i += 1
                paired = self.value()
                args.append(ast.Pair(paired, self.between(token, paired.span)))
            else:
                args.append(self.value())
        nested = self.block() if tokens[self.i][0] == "{" else None
        last = nested.span if nested is not None else args[-1].span if args else head.span
        return ast.Member(head, tuple(args), nested, self.between(first, last))

    # -- raw JSON -------------------------------------------------------------
    def json(self, nested: bool) -> ast.JsonValue:
        """A JSON value; inside an object or array line breaks are dropped."""
        tokens = self.tokens
        if nested:
            self.skip_newline()
        token = tokens[self.i]
        kind = token[0]
        self.i += 1
        if kind == "STRING":
            return ast.JsonValue(self.string(token), self.span(token, token))
        if kind == "NUMBER":
            span = self.span(token, token)
            return ast.JsonValue(self.lowerer.number(token[1], span, strict=True).value, span)
        if kind == "NAME" and token[1] in _JSON_WORDS:
            return ast.JsonValue(_JSON_WORDS[token[1]], self.span(token, token))
        if kind == "[":
            items: list[ast.JsonValue] = []
            self.skip_newline()
            if tokens[self.i][0] != "]":
                items.append(self.json(nested=True))
                self.skip_newline()
                while tokens[self.i][0] == ",":
                    self.i += 1
                    items.append(self.json(nested=True))
                    self.skip_newline()
            span = self.span(token, self.take("]"))
            return ast.JsonValue([item.value for item in items], span,
                                 tuple((n, item) for n, item in enumerate(items)))
        if kind == "{":
            pairs: list[tuple[str | int, ast.JsonValue]] = []
            self.skip_newline()
            if tokens[self.i][0] != "}":
                pairs.append(self.json_pair())
                self.skip_newline()
                while tokens[self.i][0] == ",":
                    self.i += 1
                    self.skip_newline()
                    pairs.append(self.json_pair())
                    self.skip_newline()
            span = self.span(token, self.take("}"))
            return ast.JsonValue({k: v.value for k, v in pairs}, span, tuple(pairs))
        self.decline()

    def json_pair(self) -> tuple[str | int, ast.JsonValue]:
        key = self.string(self.take("STRING"))
        self.skip_newline()
        self.take(":")
        return key, self.json(nested=True)

    # -- declarations ---------------------------------------------------------
    def file(self) -> ast.File:
        tokens = self.tokens
        self.skip_newline()
        decls: list[ast.Decl] = []
        while tokens[self.i][0] != "EOF":
            decls.append(self.decl())
            kind = tokens[self.i][0]
            if kind == "NL":
                self.i += 1
            elif kind != "EOF":
                self.decline()
        return ast.File(tuple(decls), self.source.whole)

    def decl(self) -> ast.Decl:
        first = self.take("NAME")
        keyword = first[1]
        if keyword == "api":
            version = self.take("VERSION")
            return ast.ApiDecl(version[1], self.span(first, version))
        if keyword == "account":
            ref = self.ref()
            return ast.AccountDecl(ref, self.between(first, ref.span))
        if keyword == "use":
            path = self.take("STRING")
            return ast.UseDecl(ast.Str(self.string(path), self.span(path, path)),
                               self.span(first, path))
        if keyword in ("page", "instagram"):
            name = self.ident(self.take("NAME"))
            ref = self.ref()
            return ast.PageDecl(keyword, name, ref, self.between(first, ref.span))
        if keyword not in _OBJECTS:
            self.decline()
        name = self.ident(self.take("NAME"))
        parent = None
        joiner = _OBJECTS[keyword]
        if joiner is not None:
            if self.take("NAME")[1] != joiner:
                self.decline()
            parent = self.ref()
        block = self.block()
        return ast.ObjectDecl(keyword, name, parent, block, self.between(first, block.span))


def parse(source: Source, lowerer: Lowerer) -> ast.File:
    """The AST of a file without syntax errors; Declined for anything else.
    Strings and numbers are decoded by `lowerer`, which collects S007."""
    return Parser(source, lowerer).file()
