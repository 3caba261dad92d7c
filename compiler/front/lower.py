"""From Lark's parse tree to the typed AST (`ast`), and the values of
strings and numbers for both parsers: `descent` calls `string` and `number`
with offsets and spans, which decode with `lexer` and report what has no
value (bad escapes, S007)."""

from __future__ import annotations

from ..findings.diagnostics import Diagnostic
from ..lean import cast
from ..rules.syntax import S007
from . import ast
from .lexer import number_value, string_value
from .source import Source, Span

TYPE_CHECKING = False  # typing is for mypy alone: importing it costs a quick check 4 ms
if TYPE_CHECKING:
    from typing import Any

    from lark import Token, Tree


class Lowerer:
    def __init__(self, source: Source, written: Source | None = None) -> None:
        """`written`: the file as written, when `source` is the parser's copy
        of it with unclosed blocks closed; spans then point into `written`."""
        self.source = source
        self.written = written
        self.diagnostics: list[Diagnostic] = []

    def place(self, span: Span) -> Span:
        return span if self.written is None else self.written.clip(span)

    # -- leaves -----------------------------------------------------------
    def span_of(self, node: Token | Tree[Token]) -> Span:
        # Lark already counted lines and 1-based columns: reuse them rather
        # than searching line starts again (a third of the time on big files).
        # Tokens are str; trees carry a meta.
        meta: Any = node if isinstance(node, str) else node.meta
        if getattr(meta, "empty", False):
            return self.source.span(0, 0)
        return self.place(Span(self.source.path, meta.line, meta.column, meta.end_line,
                               meta.end_column))

    def string(self, start: int, end: int) -> str:
        """The value of the string literal at `start:end` in the source;
        its bad escapes are reported (S007)."""
        value, problems = string_value(self.source.text, start, end)
        for p in problems:
            self.diagnostics.append(S007.diag(self.place(self.source.span(p.start, p.end)),
                                              p.message, help=p.help))
        return value

    def number(self, literal: str, span: Span, strict: bool = False) -> ast.Num:
        """A number's value; one Meta cannot receive (too many digits, out of
        range, or not JSON in a `raw` value when `strict`) is reported and
        stands in as 0."""
        value, problem = number_value(literal, strict)
        if problem is not None:
            self.diagnostics.append(S007.diag(span, problem))
        return ast.Num(literal, value, span)

    # Lark's tokens, as plain text and spans.
    def _string(self, token: Token) -> str:
        return self.string(token.start_pos or 0, token.end_pos or 0)

    def _number(self, token: Token, strict: bool = False) -> ast.Num:
        return self.number(str(token), self.span_of(token), strict)

    def value(self, node: Token | Tree[Token]) -> ast.Value:
        if not isinstance(node, str):
            assert node.data == "list"
            items = tuple(self.value(child) for child in node.children if child is not None)
            return ast.ListValue(items, self.span_of(node))
        if node.type == "STRING":
            return ast.Str(self._string(node), self.span_of(node))
        if node.type == "NUMBER":
            return self._number(node)
        return ast.Ident(str(node), self.span_of(node))

    def ref(self, node: Token | Tree[Token]) -> ast.Ref:
        value = self.value(node)
        assert not isinstance(value, ast.ListValue)
        return value

    def ident(self, token: Token) -> ast.Ident:
        return ast.Ident(str(token), self.span_of(token))

    # -- structure --------------------------------------------------------
    def file(self, tree: Tree[Token]) -> ast.File:
        decls = tuple(self.decl(child) for child in tree.children
                      if child is not None and not isinstance(child, str))
        return ast.File(decls, self.place(self.source.whole))

    def decl(self, tree: Tree[Token]) -> ast.Decl:
        kind = str(tree.data)
        span = self.span_of(tree)
        children = tree.children
        if kind == "api":
            return ast.ApiDecl(str(children[0]), span)
        if kind == "account":
            return ast.AccountDecl(self.ref(children[0]), span)
        if kind == "use":
            token = cast("Token", children[0])
            return ast.UseDecl(ast.Str(self._string(token), self.span_of(token)), span)
        if kind in ("page", "instagram"):
            return ast.PageDecl(kind, self.ident(children[0]), self.ref(children[1]), span)  # type: ignore[arg-type]
        name = self.ident(children[0])  # type: ignore[arg-type]
        parent = self.ref(children[1]) if len(children) == 3 else None
        block = self.block(children[-1])  # type: ignore[arg-type]
        return ast.ObjectDecl(kind, name, parent, block, span)

    def block(self, tree: Tree[Token]) -> ast.Block:
        members: list[ast.Member | ast.Raw] = []
        for child in tree.children:
            if child is None or isinstance(child, str):
                continue
            if child.data == "raw":
                name_tok, value = child.children
                members.append(ast.Raw(self.ident(name_tok), self.json(value),  # type: ignore[arg-type]
                                       self.span_of(child)))
            else:
                members.append(self.member(child))
        return ast.Block(tuple(members), self.span_of(tree))

    def member(self, tree: Tree[Token]) -> ast.Member:
        *parts, block = tree.children
        head_tok = parts[0]
        assert isinstance(head_tok, str)
        head: ast.Ident | ast.Str = (ast.Str(self._string(head_tok), self.span_of(head_tok))
                                     if head_tok.type == "STRING" else self.ident(head_tok))
        args: list[ast.Arg] = []
        for part in parts[1:]:
            if not isinstance(part, str) and part.data == "arrow":
                args.append(ast.Arrow(self.ref(part.children[0]), self.span_of(part)))
            elif not isinstance(part, str) and part.data == "pair":
                args.append(ast.Pair(self.value(part.children[0]), self.span_of(part)))
            else:
                args.append(self.value(part))
        nested = self.block(block) if block is not None else None  # type: ignore[arg-type]
        return ast.Member(head, tuple(args), nested, self.span_of(tree))

    def json(self, node: Token | Tree[Token]) -> ast.JsonValue:
        span = self.span_of(node)
        if isinstance(node, str):
            if node.type == "STRING":
                return ast.JsonValue(self._string(node), span)
            return ast.JsonValue(self._number(node, strict=True).value, span)
        kind = node.data
        if kind == "json_true":
            return ast.JsonValue(True, span)
        if kind == "json_false":
            return ast.JsonValue(False, span)
        if kind == "json_null":
            return ast.JsonValue(None, span)
        if kind == "json_array":
            items = [self.json(c) for c in node.children if c is not None]
            return ast.JsonValue([i.value for i in items], span,
                                 tuple((n, item) for n, item in enumerate(items)))
        pairs: list[tuple[str | int, ast.JsonValue]] = []
        # Lark types children as never None; `{}` has one (maybe_placeholders).
        for pair in cast("list[Tree[Token] | None]", node.children):
            if pair is None:
                continue
            key_tok, val = pair.children
            pairs.append((self._string(cast("Token", key_tok)), self.json(val)))
        return ast.JsonValue({k: v.value for k, v in pairs}, span, tuple(pairs))
