"""The `__init__` of every record class in the package, compiled with
it (see compiler/write_records.py, which writes this file: `make
records`). Do not edit."""

# mypy: ignore-errors
# ruff: noqa


def _0(g):
    _default_check = g['_default_check']
    _default_doc = g['_default_doc']
    _default_evidence = g['_default_evidence']
    _default_options = g['_default_options']
    _default_raised_in = g['_default_raised_in']
    _setattr = g['_setattr']
    def __init__(self, code, name, severity, summary, doc=_default_doc, check=_default_check, options=_default_options, raised_in=_default_raised_in, evidence=_default_evidence):
      _setattr(self, 'code', code)
      _setattr(self, 'name', name)
      _setattr(self, 'severity', severity)
      _setattr(self, 'summary', summary)
      _setattr(self, 'doc', doc)
      _setattr(self, 'check', check)
      _setattr(self, 'options', options)
      _setattr(self, 'raised_in', raised_in)
      _setattr(self, 'evidence', evidence)
    return __init__


def _1(g):
    _default_fix = g['_default_fix']
    _default_help = g['_default_help']
    _default_name = g['_default_name']
    _default_notes = g['_default_notes']
    _setattr = g['_setattr']
    def __init__(self, code, severity, message, span, help=_default_help, notes=_default_notes, name=_default_name, fix=_default_fix):
      _setattr(self, 'code', code)
      _setattr(self, 'severity', severity)
      _setattr(self, 'message', message)
      _setattr(self, 'span', span)
      _setattr(self, 'help', help)
      _setattr(self, 'notes', notes)
      _setattr(self, 'name', name)
      _setattr(self, 'fix', fix)
    return __init__


def _2(g):
    _default_used = g['_default_used']
    def __init__(self, codes, first_line, last_line, start, end, used=_default_used):
      self.codes = codes
      self.first_line = first_line
      self.last_line = last_line
      self.start = start
      self.end = end
      self.used = used
    return __init__


def _3(g):
    _setattr = g['_setattr']
    def __init__(self, decls, span):
      _setattr(self, 'decls', decls)
      _setattr(self, 'span', span)
    return __init__


def _4(g):
    _MISSING = g['_MISSING']
    _factory_anchors = g['_factory_anchors']
    _factory_decls = g['_factory_decls']
    def __init__(self, decls=_MISSING, anchors=_MISSING):
      self.decls = _factory_decls() if decls is _MISSING else decls
      self.anchors = _factory_anchors() if anchors is _MISSING else anchors
    return __init__


def _5(g):
    _MISSING = g['_MISSING']
    _default_explicit = g['_default_explicit']
    _factory__by_dir = g['_factory__by_dir']
    def __init__(self, explicit=_default_explicit, _by_dir=_MISSING):
      self.explicit = explicit
      self._by_dir = _factory__by_dir() if _by_dir is _MISSING else _by_dir
    return __init__


def _6(g):
    _setattr = g['_setattr']
    def __init__(self, file, line, column, end_line, end_column):
      _setattr(self, 'file', file)
      _setattr(self, 'line', line)
      _setattr(self, 'column', column)
      _setattr(self, 'end_line', end_line)
      _setattr(self, 'end_column', end_column)
    return __init__


def _7(g):
    _MISSING = g['_MISSING']
    _default_account = g['_default_account']
    _default_api_span = g['_default_api_span']
    _default_api_version = g['_default_api_version']
    _default_base = g['_default_base']
    _default_market = g['_default_market']
    _factory_diagnostics = g['_factory_diagnostics']
    _factory_includes = g['_factory_includes']
    _factory_market_decls = g['_factory_market_decls']
    _factory_names = g['_factory_names']
    _factory_tagged = g['_factory_tagged']
    _factory_written = g['_factory_written']
    def __init__(self, file, path, diagnostics=_MISSING, names=_MISSING, account=_default_account, api_version=_default_api_version, api_span=_default_api_span, market_decls=_MISSING, includes=_MISSING, base=_default_base, market=_default_market, tagged=_MISSING, written=_MISSING):
      self.file = file
      self.path = path
      self.diagnostics = _factory_diagnostics() if diagnostics is _MISSING else diagnostics
      self.names = _factory_names() if names is _MISSING else names
      self.account = account
      self.api_version = api_version
      self.api_span = api_span
      self.market_decls = _factory_market_decls() if market_decls is _MISSING else market_decls
      self.includes = _factory_includes() if includes is _MISSING else includes
      self.base = base
      self.market = market
      self.tagged = _factory_tagged() if tagged is _MISSING else tagged
      self.written = _factory_written() if written is _MISSING else written
    return __init__


def _8(g):
    _setattr = g['_setattr']
    def __init__(self, head, args, block, span):
      _setattr(self, 'head', head)
      _setattr(self, 'args', args)
      _setattr(self, 'block', block)
      _setattr(self, 'span', span)
    return __init__


def _9(g):
    _default_block = g['_default_block']
    _default_default = g['_default_default']
    _default_help = g['_default_help']
    _default_kind = g['_default_kind']
    _default_refs = g['_default_refs']
    _default_values = g['_default_values']
    _setattr = g['_setattr']
    def __init__(self, head, path, kind=_default_kind, default=_default_default, refs=_default_refs, block=_default_block, values=_default_values, help=_default_help):
      _setattr(self, 'head', head)
      _setattr(self, 'path', path)
      _setattr(self, 'kind', kind)
      _setattr(self, 'default', default)
      _setattr(self, 'refs', refs)
      _setattr(self, 'block', block)
      _setattr(self, 'values', values)
      _setattr(self, 'help', help)
    return __init__


def _10(g):
    _setattr = g['_setattr']
    def __init__(self, index, id, data):
      _setattr(self, 'index', index)
      _setattr(self, 'id', id)
      _setattr(self, 'data', data)
    return __init__


def _11(g):
    _default_next_ids = g['_default_next_ids']
    _setattr = g['_setattr']
    def __init__(self, index, position, id, name, type, message, reply_type, prefill_type, answers, allow_to_skip, validate, next_ids=_default_next_ids):
      _setattr(self, 'index', index)
      _setattr(self, 'position', position)
      _setattr(self, 'id', id)
      _setattr(self, 'name', name)
      _setattr(self, 'type', type)
      _setattr(self, 'message', message)
      _setattr(self, 'reply_type', reply_type)
      _setattr(self, 'prefill_type', prefill_type)
      _setattr(self, 'answers', answers)
      _setattr(self, 'allow_to_skip', allow_to_skip)
      _setattr(self, 'validate', validate)
      _setattr(self, 'next_ids', next_ids)
    return __init__


def _12(g):
    _setattr = g['_setattr']
    def __init__(self, items, span):
      _setattr(self, 'items', items)
      _setattr(self, 'span', span)
    return __init__


def _13(g):
    _MISSING = g['_MISSING']
    _default_countries = g['_default_countries']
    _default_locale = g['_default_locale']
    _default_translating = g['_default_translating']
    _factory_overrides = g['_factory_overrides']
    _factory_texts = g['_factory_texts']
    def __init__(self, key, decl, locale=_default_locale, countries=_default_countries, overrides=_MISSING, texts=_MISSING, translating=_default_translating):
      self.key = key
      self.decl = decl
      self.locale = locale
      self.countries = countries
      self.overrides = _factory_overrides() if overrides is _MISSING else overrides
      self.texts = _factory_texts() if texts is _MISSING else texts
      self.translating = translating
    return __init__


def _14(g):
    _MISSING = g['_MISSING']
    _default_market = g['_default_market']
    _default_method = g['_default_method']
    _factory_labels = g['_factory_labels']
    _factory_spans = g['_factory_spans']
    _setattr = g['_setattr']
    def __init__(self, key, kind, name, path, body, span, spans=_MISSING, labels=_MISSING, method=_default_method, market=_default_market):
      _setattr(self, 'key', key)
      _setattr(self, 'kind', kind)
      _setattr(self, 'name', name)
      _setattr(self, 'path', path)
      _setattr(self, 'body', body)
      _setattr(self, 'span', span)
      _setattr(self, 'spans', _factory_spans() if spans is _MISSING else spans)
      _setattr(self, 'labels', _factory_labels() if labels is _MISSING else labels)
      _setattr(self, 'method', method)
      _setattr(self, 'market', market)
    return __init__


def _15(g):
    _default_foreign = g['_default_foreign']
    _default_id = g['_default_id']
    _default_used = g['_default_used']
    def __init__(self, kind, name, decl, id=_default_id, used=_default_used, foreign=_default_foreign):
      self.kind = kind
      self.name = name
      self.decl = decl
      self.id = id
      self.used = used
      self.foreign = foreign
    return __init__


def _16(g):
    _setattr = g['_setattr']
    def __init__(self, kind, name, parent, block, span):
      _setattr(self, 'kind', kind)
      _setattr(self, 'name', name)
      _setattr(self, 'parent', parent)
      _setattr(self, 'block', block)
      _setattr(self, 'span', span)
    return __init__


def _17(g):
    _setattr = g['_setattr']
    def __init__(self, kind, name, ref, span):
      _setattr(self, 'kind', kind)
      _setattr(self, 'name', name)
      _setattr(self, 'ref', ref)
      _setattr(self, 'span', span)
    return __init__


def _18(g):
    _default_note = g['_default_note']
    _setattr = g['_setattr']
    def __init__(self, label, then, note=_default_note):
      _setattr(self, 'label', label)
      _setattr(self, 'then', then)
      _setattr(self, 'note', note)
    return __init__


def _19(g):
    _default_blocks = g['_default_blocks']
    _setattr = g['_setattr']
    def __init__(self, line, decls, diagnostics, blocks=_default_blocks):
      _setattr(self, 'line', line)
      _setattr(self, 'decls', decls)
      _setattr(self, 'diagnostics', diagnostics)
      _setattr(self, 'blocks', blocks)
    return __init__


def _20(g):
    _setattr = g['_setattr']
    def __init__(self, line, request, origin, diagnostics, reads, account, needs):
      _setattr(self, 'line', line)
      _setattr(self, 'request', request)
      _setattr(self, 'origin', origin)
      _setattr(self, 'diagnostics', diagnostics)
      _setattr(self, 'reads', reads)
      _setattr(self, 'account', account)
      _setattr(self, 'needs', needs)
    return __init__


def _21(g):
    _default_max_bytes = g['_default_max_bytes']
    _default_max_depth = g['_default_max_depth']
    _default_max_objects = g['_default_max_objects']
    _default_max_questions = g['_default_max_questions']
    _default_max_steps = g['_default_max_steps']
    _setattr = g['_setattr']
    def __init__(self, max_bytes=_default_max_bytes, max_depth=_default_max_depth, max_steps=_default_max_steps, max_objects=_default_max_objects, max_questions=_default_max_questions):
      _setattr(self, 'max_bytes', max_bytes)
      _setattr(self, 'max_depth', max_depth)
      _setattr(self, 'max_steps', max_steps)
      _setattr(self, 'max_objects', max_objects)
      _setattr(self, 'max_questions', max_questions)
    return __init__


def _22(g):
    _setattr = g['_setattr']
    def __init__(self, members, span):
      _setattr(self, 'members', members)
      _setattr(self, 'span', span)
    return __init__


def _23(g):
    _default_applicability = g['_default_applicability']
    _setattr = g['_setattr']
    def __init__(self, message, edits, applicability=_default_applicability):
      _setattr(self, 'message', message)
      _setattr(self, 'edits', edits)
      _setattr(self, 'applicability', applicability)
    return __init__


def _24(g):
    _default_span = g['_default_span']
    _setattr = g['_setattr']
    def __init__(self, message, span=_default_span):
      _setattr(self, 'message', message)
      _setattr(self, 'span', span)
    return __init__


def _25(g):
    _default_choices = g['_default_choices']
    _default_end = g['_default_end']
    _default_notes = g['_default_notes']
    _setattr = g['_setattr']
    def __init__(self, messages, choices=_default_choices, notes=_default_notes, end=_default_end):
      _setattr(self, 'messages', messages)
      _setattr(self, 'choices', choices)
      _setattr(self, 'notes', notes)
      _setattr(self, 'end', end)
    return __init__


def _26(g):
    _default_score = g['_default_score']
    _setattr = g['_setattr']
    def __init__(self, name, clear, case_only, score=_default_score):
      _setattr(self, 'name', name)
      _setattr(self, 'clear', clear)
      _setattr(self, 'case_only', case_only)
      _setattr(self, 'score', score)
    return __init__


def _27(g):
    _setattr = g['_setattr']
    def __init__(self, name, value, span):
      _setattr(self, 'name', name)
      _setattr(self, 'value', value)
      _setattr(self, 'span', span)
    return __init__


def _28(g):
    _default_api_span = g['_default_api_span']
    _default_from_json = g['_default_from_json']
    _default_includes = g['_default_includes']
    _default_markets = g['_default_markets']
    _default_source = g['_default_source']
    _default_texts = g['_default_texts']
    _default_uses = g['_default_uses']
    _setattr = g['_setattr']
    def __init__(self, path, api_version, requests, api_span=_default_api_span, from_json=_default_from_json, source=_default_source, markets=_default_markets, texts=_default_texts, includes=_default_includes, uses=_default_uses):
      _setattr(self, 'path', path)
      _setattr(self, 'api_version', api_version)
      _setattr(self, 'requests', requests)
      _setattr(self, 'api_span', api_span)
      _setattr(self, 'from_json', from_json)
      _setattr(self, 'source', source)
      _setattr(self, 'markets', markets)
      _setattr(self, 'texts', texts)
      _setattr(self, 'includes', includes)
      _setattr(self, 'uses', uses)
    return __init__


def _29(g):
    _MISSING = g['_MISSING']
    _factory_applied = g['_factory_applied']
    _factory_refused = g['_factory_refused']
    def __init__(self, path, original, text, applied=_MISSING, refused=_MISSING):
      self.path = path
      self.original = original
      self.text = text
      self.applied = _factory_applied() if applied is _MISSING else applied
      self.refused = _factory_refused() if refused is _MISSING else refused
    return __init__


def _30(g):
    _MISSING = g['_MISSING']
    _factory_diagnostics = g['_factory_diagnostics']
    def __init__(self, path, source, document, diagnostics=_MISSING):
      self.path = path
      self.source = source
      self.document = document
      self.diagnostics = _factory_diagnostics() if diagnostics is _MISSING else diagnostics
    return __init__


def _31(g):
    _setattr = g['_setattr']
    def __init__(self, path, span):
      _setattr(self, 'path', path)
      _setattr(self, 'span', span)
    return __init__


def _32(g):
    _setattr = g['_setattr']
    def __init__(self, path, text):
      _setattr(self, 'path', path)
      _setattr(self, 'text', text)
      self.__post_init__()
    return __init__


def _33(g):
    _default_first_line = g['_default_first_line']
    _setattr = g['_setattr']
    def __init__(self, path, text, first_line=_default_first_line):
      _setattr(self, 'path', path)
      _setattr(self, 'text', text)
      _setattr(self, 'first_line', first_line)
      self.__post_init__()
    return __init__


def _34(g):
    _default_patterns = g['_default_patterns']
    _default_root = g['_default_root']
    _setattr = g['_setattr']
    def __init__(self, patterns=_default_patterns, root=_default_root):
      _setattr(self, 'patterns', patterns)
      _setattr(self, 'root', root)
    return __init__


def _35(g):
    _default_help = g['_default_help']
    _default_key = g['_default_key']
    _default_meant = g['_default_meant']
    _default_severity = g['_default_severity']
    _setattr = g['_setattr']
    def __init__(self, ptr, message, severity=_default_severity, help=_default_help, key=_default_key, meant=_default_meant):
      _setattr(self, 'ptr', ptr)
      _setattr(self, 'message', message)
      _setattr(self, 'severity', severity)
      _setattr(self, 'help', help)
      _setattr(self, 'key', key)
      _setattr(self, 'meant', meant)
    return __init__


def _36(g):
    _setattr = g['_setattr']
    def __init__(self, ref, span):
      _setattr(self, 'ref', ref)
      _setattr(self, 'span', span)
    return __init__


def _37(g):
    _setattr = g['_setattr']
    def __init__(self, request, form, start):
      _setattr(self, 'request', request)
      _setattr(self, 'form', form)
      _setattr(self, 'start', start)
    return __init__


def _38(g):
    _setattr = g['_setattr']
    def __init__(self, request, reminder, steps, edges):
      _setattr(self, 'request', request)
      _setattr(self, 'reminder', reminder)
      _setattr(self, 'steps', steps)
      _setattr(self, 'edges', edges)
    return __init__


def _39(g):
    _default_api_version = g['_default_api_version']
    _default_exclude = g['_default_exclude']
    _default_extend_exclude = g['_default_extend_exclude']
    _default_fail_on = g['_default_fail_on']
    _default_ignore = g['_default_ignore']
    _default_max_questions = g['_default_max_questions']
    _default_origin = g['_default_origin']
    _default_per_file_ignores = g['_default_per_file_ignores']
    _default_select = g['_default_select']
    _default_severity = g['_default_severity']
    _setattr = g['_setattr']
    def __init__(self, select=_default_select, ignore=_default_ignore, per_file_ignores=_default_per_file_ignores, severity=_default_severity, api_version=_default_api_version, fail_on=_default_fail_on, max_questions=_default_max_questions, exclude=_default_exclude, extend_exclude=_default_extend_exclude, origin=_default_origin):
      _setattr(self, 'select', select)
      _setattr(self, 'ignore', ignore)
      _setattr(self, 'per_file_ignores', per_file_ignores)
      _setattr(self, 'severity', severity)
      _setattr(self, 'api_version', api_version)
      _setattr(self, 'fail_on', fail_on)
      _setattr(self, 'max_questions', max_questions)
      _setattr(self, 'exclude', exclude)
      _setattr(self, 'extend_exclude', extend_exclude)
      _setattr(self, 'origin', origin)
    return __init__


def _40(g):
    _setattr = g['_setattr']
    def __init__(self, source, target, target_id, answers, backward):
      _setattr(self, 'source', source)
      _setattr(self, 'target', target)
      _setattr(self, 'target_id', target_id)
      _setattr(self, 'answers', answers)
      _setattr(self, 'backward', backward)
    return __init__


def _41(g):
    _setattr = g['_setattr']
    def __init__(self, span, content):
      _setattr(self, 'span', span)
      _setattr(self, 'content', content)
    return __init__


def _42(g):
    _default_help = g['_default_help']
    _setattr = g['_setattr']
    def __init__(self, start, end, message, help=_default_help):
      _setattr(self, 'start', start)
      _setattr(self, 'end', end)
      _setattr(self, 'message', message)
      _setattr(self, 'help', help)
    return __init__


def _43(g):
    _setattr = g['_setattr']
    def __init__(self, steps, taken):
      _setattr(self, 'steps', steps)
      _setattr(self, 'taken', taken)
    return __init__


def _44(g):
    _setattr = g['_setattr']
    def __init__(self, target, span):
      _setattr(self, 'target', target)
      _setattr(self, 'span', span)
    return __init__


def _45(g):
    _setattr = g['_setattr']
    def __init__(self, text, span):
      _setattr(self, 'text', text)
      _setattr(self, 'span', span)
    return __init__


def _46(g):
    _setattr = g['_setattr']
    def __init__(self, text, value, span):
      _setattr(self, 'text', text)
      _setattr(self, 'value', value)
      _setattr(self, 'span', span)
    return __init__


def _47(g):
    _default_closed = g['_default_closed']
    _setattr = g['_setattr']
    def __init__(self, tree, diagnostics, closed=_default_closed):
      _setattr(self, 'tree', tree)
      _setattr(self, 'diagnostics', diagnostics)
      _setattr(self, 'closed', closed)
    return __init__


def _48(g):
    _MISSING = g['_MISSING']
    _factory_outside = g['_factory_outside']
    _factory_unreadable = g['_factory_unreadable']
    def __init__(self, unreadable=_MISSING, outside=_MISSING):
      self.unreadable = _factory_unreadable() if unreadable is _MISSING else unreadable
      self.outside = _factory_outside() if outside is _MISSING else outside
    return __init__


def _49(g):
    _setattr = g['_setattr']
    def __init__(self, value, span):
      _setattr(self, 'value', value)
      _setattr(self, 'span', span)
    return __init__


def _50(g):
    _default_children = g['_default_children']
    _setattr = g['_setattr']
    def __init__(self, value, span, children=_default_children):
      _setattr(self, 'value', value)
      _setattr(self, 'span', span)
      _setattr(self, 'children', children)
    return __init__


def _51(g):
    _setattr = g['_setattr']
    def __init__(self, version, span):
      _setattr(self, 'version', version)
      _setattr(self, 'span', span)
    return __init__


def _52(g):
    _MISSING = g['_MISSING']
    _default_keywords = g['_default_keywords']
    _default_prefix = g['_default_prefix']
    _factory_state = g['_factory_state']
    def __init__(self, where, prefix=_default_prefix, state=_MISSING, keywords=_default_keywords):
      self.where = where
      self.prefix = prefix
      self.state = _factory_state() if state is _MISSING else state
      self.keywords = keywords
    return __init__


WRITTEN = {
    "def __init__(self, code, name, severity, summary, doc=_default_doc, check=_default_check, options=_default_options, raised_in=_default_raised_in, evidence=_default_evidence):\n  _setattr(self, 'code', code)\n  _setattr(self, 'name', name)\n  _setattr(self, 'severity', severity)\n  _setattr(self, 'summary', summary)\n  _setattr(self, 'doc', doc)\n  _setattr(self, 'check', check)\n  _setattr(self, 'options', options)\n  _setattr(self, 'raised_in', raised_in)\n  _setattr(self, 'evidence', evidence)\n": _0,
    "def __init__(self, code, severity, message, span, help=_default_help, notes=_default_notes, name=_default_name, fix=_default_fix):\n  _setattr(self, 'code', code)\n  _setattr(self, 'severity', severity)\n  _setattr(self, 'message', message)\n  _setattr(self, 'span', span)\n  _setattr(self, 'help', help)\n  _setattr(self, 'notes', notes)\n  _setattr(self, 'name', name)\n  _setattr(self, 'fix', fix)\n": _1,
    'def __init__(self, codes, first_line, last_line, start, end, used=_default_used):\n  self.codes = codes\n  self.first_line = first_line\n  self.last_line = last_line\n  self.start = start\n  self.end = end\n  self.used = used\n': _2,
    "def __init__(self, decls, span):\n  _setattr(self, 'decls', decls)\n  _setattr(self, 'span', span)\n": _3,
    'def __init__(self, decls=_MISSING, anchors=_MISSING):\n  self.decls = _factory_decls() if decls is _MISSING else decls\n  self.anchors = _factory_anchors() if anchors is _MISSING else anchors\n': _4,
    'def __init__(self, explicit=_default_explicit, _by_dir=_MISSING):\n  self.explicit = explicit\n  self._by_dir = _factory__by_dir() if _by_dir is _MISSING else _by_dir\n': _5,
    "def __init__(self, file, line, column, end_line, end_column):\n  _setattr(self, 'file', file)\n  _setattr(self, 'line', line)\n  _setattr(self, 'column', column)\n  _setattr(self, 'end_line', end_line)\n  _setattr(self, 'end_column', end_column)\n": _6,
    'def __init__(self, file, path, diagnostics=_MISSING, names=_MISSING, account=_default_account, api_version=_default_api_version, api_span=_default_api_span, market_decls=_MISSING, includes=_MISSING, base=_default_base, market=_default_market, tagged=_MISSING, written=_MISSING):\n  self.file = file\n  self.path = path\n  self.diagnostics = _factory_diagnostics() if diagnostics is _MISSING else diagnostics\n  self.names = _factory_names() if names is _MISSING else names\n  self.account = account\n  self.api_version = api_version\n  self.api_span = api_span\n  self.market_decls = _factory_market_decls() if market_decls is _MISSING else market_decls\n  self.includes = _factory_includes() if includes is _MISSING else includes\n  self.base = base\n  self.market = market\n  self.tagged = _factory_tagged() if tagged is _MISSING else tagged\n  self.written = _factory_written() if written is _MISSING else written\n': _7,
    "def __init__(self, head, args, block, span):\n  _setattr(self, 'head', head)\n  _setattr(self, 'args', args)\n  _setattr(self, 'block', block)\n  _setattr(self, 'span', span)\n": _8,
    "def __init__(self, head, path, kind=_default_kind, default=_default_default, refs=_default_refs, block=_default_block, values=_default_values, help=_default_help):\n  _setattr(self, 'head', head)\n  _setattr(self, 'path', path)\n  _setattr(self, 'kind', kind)\n  _setattr(self, 'default', default)\n  _setattr(self, 'refs', refs)\n  _setattr(self, 'block', block)\n  _setattr(self, 'values', values)\n  _setattr(self, 'help', help)\n": _9,
    "def __init__(self, index, id, data):\n  _setattr(self, 'index', index)\n  _setattr(self, 'id', id)\n  _setattr(self, 'data', data)\n": _10,
    "def __init__(self, index, position, id, name, type, message, reply_type, prefill_type, answers, allow_to_skip, validate, next_ids=_default_next_ids):\n  _setattr(self, 'index', index)\n  _setattr(self, 'position', position)\n  _setattr(self, 'id', id)\n  _setattr(self, 'name', name)\n  _setattr(self, 'type', type)\n  _setattr(self, 'message', message)\n  _setattr(self, 'reply_type', reply_type)\n  _setattr(self, 'prefill_type', prefill_type)\n  _setattr(self, 'answers', answers)\n  _setattr(self, 'allow_to_skip', allow_to_skip)\n  _setattr(self, 'validate', validate)\n  _setattr(self, 'next_ids', next_ids)\n": _11,
    "def __init__(self, items, span):\n  _setattr(self, 'items', items)\n  _setattr(self, 'span', span)\n": _12,
    'def __init__(self, key, decl, locale=_default_locale, countries=_default_countries, overrides=_MISSING, texts=_MISSING, translating=_default_translating):\n  self.key = key\n  self.decl = decl\n  self.locale = locale\n  self.countries = countries\n  self.overrides = _factory_overrides() if overrides is _MISSING else overrides\n  self.texts = _factory_texts() if texts is _MISSING else texts\n  self.translating = translating\n': _13,
    "def __init__(self, key, kind, name, path, body, span, spans=_MISSING, labels=_MISSING, method=_default_method, market=_default_market):\n  _setattr(self, 'key', key)\n  _setattr(self, 'kind', kind)\n  _setattr(self, 'name', name)\n  _setattr(self, 'path', path)\n  _setattr(self, 'body', body)\n  _setattr(self, 'span', span)\n  _setattr(self, 'spans', _factory_spans() if spans is _MISSING else spans)\n  _setattr(self, 'labels', _factory_labels() if labels is _MISSING else labels)\n  _setattr(self, 'method', method)\n  _setattr(self, 'market', market)\n": _14,
    'def __init__(self, kind, name, decl, id=_default_id, used=_default_used, foreign=_default_foreign):\n  self.kind = kind\n  self.name = name\n  self.decl = decl\n  self.id = id\n  self.used = used\n  self.foreign = foreign\n': _15,
    "def __init__(self, kind, name, parent, block, span):\n  _setattr(self, 'kind', kind)\n  _setattr(self, 'name', name)\n  _setattr(self, 'parent', parent)\n  _setattr(self, 'block', block)\n  _setattr(self, 'span', span)\n": _16,
    "def __init__(self, kind, name, ref, span):\n  _setattr(self, 'kind', kind)\n  _setattr(self, 'name', name)\n  _setattr(self, 'ref', ref)\n  _setattr(self, 'span', span)\n": _17,
    "def __init__(self, label, then, note=_default_note):\n  _setattr(self, 'label', label)\n  _setattr(self, 'then', then)\n  _setattr(self, 'note', note)\n": _18,
    "def __init__(self, line, decls, diagnostics, blocks=_default_blocks):\n  _setattr(self, 'line', line)\n  _setattr(self, 'decls', decls)\n  _setattr(self, 'diagnostics', diagnostics)\n  _setattr(self, 'blocks', blocks)\n": _19,
    "def __init__(self, line, request, origin, diagnostics, reads, account, needs):\n  _setattr(self, 'line', line)\n  _setattr(self, 'request', request)\n  _setattr(self, 'origin', origin)\n  _setattr(self, 'diagnostics', diagnostics)\n  _setattr(self, 'reads', reads)\n  _setattr(self, 'account', account)\n  _setattr(self, 'needs', needs)\n": _20,
    "def __init__(self, max_bytes=_default_max_bytes, max_depth=_default_max_depth, max_steps=_default_max_steps, max_objects=_default_max_objects, max_questions=_default_max_questions):\n  _setattr(self, 'max_bytes', max_bytes)\n  _setattr(self, 'max_depth', max_depth)\n  _setattr(self, 'max_steps', max_steps)\n  _setattr(self, 'max_objects', max_objects)\n  _setattr(self, 'max_questions', max_questions)\n": _21,
    "def __init__(self, members, span):\n  _setattr(self, 'members', members)\n  _setattr(self, 'span', span)\n": _22,
    "def __init__(self, message, edits, applicability=_default_applicability):\n  _setattr(self, 'message', message)\n  _setattr(self, 'edits', edits)\n  _setattr(self, 'applicability', applicability)\n": _23,
    "def __init__(self, message, span=_default_span):\n  _setattr(self, 'message', message)\n  _setattr(self, 'span', span)\n": _24,
    "def __init__(self, messages, choices=_default_choices, notes=_default_notes, end=_default_end):\n  _setattr(self, 'messages', messages)\n  _setattr(self, 'choices', choices)\n  _setattr(self, 'notes', notes)\n  _setattr(self, 'end', end)\n": _25,
    "def __init__(self, name, clear, case_only, score=_default_score):\n  _setattr(self, 'name', name)\n  _setattr(self, 'clear', clear)\n  _setattr(self, 'case_only', case_only)\n  _setattr(self, 'score', score)\n": _26,
    "def __init__(self, name, value, span):\n  _setattr(self, 'name', name)\n  _setattr(self, 'value', value)\n  _setattr(self, 'span', span)\n": _27,
    "def __init__(self, path, api_version, requests, api_span=_default_api_span, from_json=_default_from_json, source=_default_source, markets=_default_markets, texts=_default_texts, includes=_default_includes, uses=_default_uses):\n  _setattr(self, 'path', path)\n  _setattr(self, 'api_version', api_version)\n  _setattr(self, 'requests', requests)\n  _setattr(self, 'api_span', api_span)\n  _setattr(self, 'from_json', from_json)\n  _setattr(self, 'source', source)\n  _setattr(self, 'markets', markets)\n  _setattr(self, 'texts', texts)\n  _setattr(self, 'includes', includes)\n  _setattr(self, 'uses', uses)\n": _28,
    'def __init__(self, path, original, text, applied=_MISSING, refused=_MISSING):\n  self.path = path\n  self.original = original\n  self.text = text\n  self.applied = _factory_applied() if applied is _MISSING else applied\n  self.refused = _factory_refused() if refused is _MISSING else refused\n': _29,
    'def __init__(self, path, source, document, diagnostics=_MISSING):\n  self.path = path\n  self.source = source\n  self.document = document\n  self.diagnostics = _factory_diagnostics() if diagnostics is _MISSING else diagnostics\n': _30,
    "def __init__(self, path, span):\n  _setattr(self, 'path', path)\n  _setattr(self, 'span', span)\n": _31,
    "def __init__(self, path, text):\n  _setattr(self, 'path', path)\n  _setattr(self, 'text', text)\n  self.__post_init__()\n": _32,
    "def __init__(self, path, text, first_line=_default_first_line):\n  _setattr(self, 'path', path)\n  _setattr(self, 'text', text)\n  _setattr(self, 'first_line', first_line)\n  self.__post_init__()\n": _33,
    "def __init__(self, patterns=_default_patterns, root=_default_root):\n  _setattr(self, 'patterns', patterns)\n  _setattr(self, 'root', root)\n": _34,
    "def __init__(self, ptr, message, severity=_default_severity, help=_default_help, key=_default_key, meant=_default_meant):\n  _setattr(self, 'ptr', ptr)\n  _setattr(self, 'message', message)\n  _setattr(self, 'severity', severity)\n  _setattr(self, 'help', help)\n  _setattr(self, 'key', key)\n  _setattr(self, 'meant', meant)\n": _35,
    "def __init__(self, ref, span):\n  _setattr(self, 'ref', ref)\n  _setattr(self, 'span', span)\n": _36,
    "def __init__(self, request, form, start):\n  _setattr(self, 'request', request)\n  _setattr(self, 'form', form)\n  _setattr(self, 'start', start)\n": _37,
    "def __init__(self, request, reminder, steps, edges):\n  _setattr(self, 'request', request)\n  _setattr(self, 'reminder', reminder)\n  _setattr(self, 'steps', steps)\n  _setattr(self, 'edges', edges)\n": _38,
    "def __init__(self, select=_default_select, ignore=_default_ignore, per_file_ignores=_default_per_file_ignores, severity=_default_severity, api_version=_default_api_version, fail_on=_default_fail_on, max_questions=_default_max_questions, exclude=_default_exclude, extend_exclude=_default_extend_exclude, origin=_default_origin):\n  _setattr(self, 'select', select)\n  _setattr(self, 'ignore', ignore)\n  _setattr(self, 'per_file_ignores', per_file_ignores)\n  _setattr(self, 'severity', severity)\n  _setattr(self, 'api_version', api_version)\n  _setattr(self, 'fail_on', fail_on)\n  _setattr(self, 'max_questions', max_questions)\n  _setattr(self, 'exclude', exclude)\n  _setattr(self, 'extend_exclude', extend_exclude)\n  _setattr(self, 'origin', origin)\n": _39,
    "def __init__(self, source, target, target_id, answers, backward):\n  _setattr(self, 'source', source)\n  _setattr(self, 'target', target)\n  _setattr(self, 'target_id', target_id)\n  _setattr(self, 'answers', answers)\n  _setattr(self, 'backward', backward)\n": _40,
    "def __init__(self, span, content):\n  _setattr(self, 'span', span)\n  _setattr(self, 'content', content)\n": _41,
    "def __init__(self, start, end, message, help=_default_help):\n  _setattr(self, 'start', start)\n  _setattr(self, 'end', end)\n  _setattr(self, 'message', message)\n  _setattr(self, 'help', help)\n": _42,
    "def __init__(self, steps, taken):\n  _setattr(self, 'steps', steps)\n  _setattr(self, 'taken', taken)\n": _43,
    "def __init__(self, target, span):\n  _setattr(self, 'target', target)\n  _setattr(self, 'span', span)\n": _44,
    "def __init__(self, text, span):\n  _setattr(self, 'text', text)\n  _setattr(self, 'span', span)\n": _45,
    "def __init__(self, text, value, span):\n  _setattr(self, 'text', text)\n  _setattr(self, 'value', value)\n  _setattr(self, 'span', span)\n": _46,
    "def __init__(self, tree, diagnostics, closed=_default_closed):\n  _setattr(self, 'tree', tree)\n  _setattr(self, 'diagnostics', diagnostics)\n  _setattr(self, 'closed', closed)\n": _47,
    'def __init__(self, unreadable=_MISSING, outside=_MISSING):\n  self.unreadable = _factory_unreadable() if unreadable is _MISSING else unreadable\n  self.outside = _factory_outside() if outside is _MISSING else outside\n': _48,
    "def __init__(self, value, span):\n  _setattr(self, 'value', value)\n  _setattr(self, 'span', span)\n": _49,
    "def __init__(self, value, span, children=_default_children):\n  _setattr(self, 'value', value)\n  _setattr(self, 'span', span)\n  _setattr(self, 'children', children)\n": _50,
    "def __init__(self, version, span):\n  _setattr(self, 'version', version)\n  _setattr(self, 'span', span)\n": _51,
    'def __init__(self, where, prefix=_default_prefix, state=_MISSING, keywords=_default_keywords):\n  self.where = where\n  self.prefix = prefix\n  self.state = _factory_state() if state is _MISSING else state\n  self.keywords = keywords\n': _52,
}
