package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/neurogen/neurogen/internal/suggest"
)

// Limits on the input, which keep goccy's recursive parser and the loader fast and safe.
const (
	// MaxSize is the largest spec file Load reads, in bytes.
	MaxSize = 1 << 20
	// MaxDepth bounds the nesting of flow collections (`[`, `{`). The nesting of block
	// collections is bounded through the column of their indicators (`-`, `?`) and keys, which
	// must not exceed maxCol runes.
	MaxDepth = 100
	maxCol   = 1000
	// MaxTokens bounds the number of YAML tokens (keys, values, indicators) of a spec; goccy's
	// parser takes time quadratic in the number of keys of a mapping and of documents.
	MaxTokens = 20000
)

// The fields of each kind of mapping, in the order of the documentation.
var (
	topFields      = []string{"neurogen", "model", "doc", "membrane", "method", "params", "defs", "ions", "channels", "receptors"}
	membraneFields = []string{"C", "A", "V_th", "V_init", "seed", "refractory"}
	paramFields    = []string{"value", "per_neuron", "doc"}
	channelFields  = []string{"use", "ion", "doc", "current", "gates", "defs"} // the others are parameters
	gateFields     = []string{"alpha", "beta", "inf", "tau", "deriv", "init", "phi", "power", "doc"}
	ionFields      = []string{"use", "doc", "valence", "E", "C_i", "C_o", "dynamics"}              // the others are parameters
	receptorFields = []string{"use", "doc", "states", "current", "event", "weight", "transmitter"} // the others are parameters
	rstateFields   = []string{"deriv", "unit", "per", "doc"}
)

// Load reads the spec in src; file names it in positions.
//
// Load checks the structure of the spec: YAML syntax, field names, the YAML types of values,
// required fields, duplicate keys, the form of names and gates and the format version. The
// error, if not nil, is an ErrorList, sorted, with every problem found. Even then Load returns
// what it could read of the spec, marked Incomplete, with the parts that hold an error marked
// Bad, unless the YAML itself could not be parsed (then the Spec is nil). A misspelled field
// (`betta`, reported with a suggestion) is read as the field it misspells when that one is
// absent, and a gate's field indented as a gate as a field of the gate above, so that nothing
// more is reported for want of them.
//
// Anchors, aliases, tags, merge keys, directives and multiple documents are not supported.
//
// Positions: Scalar.Pos is where the scalar starts in the file: its first byte, or its opening
// quote or block indicator (`|`, `>`). A Text, and Scalar.PosAt, map every byte of the decoded
// string to the byte it comes from (so Text.Pos of a quoted scalar is the first byte inside the
// quotes): nothing after Load needs the file's bytes to place an error.
func Load(file string, src []byte) (*Spec, error) {
	l := &loader{src: newSource(file, src)}
	body, ok := l.document(src, "spec")
	if !ok {
		return nil, l.errs
	}
	spec := l.spec(body)
	sum := sha256.Sum256(src)
	spec.SHA256 = hex.EncodeToString(sum[:])
	l.errs.Sort()
	spec.Incomplete = len(l.errs) > 0
	return spec, l.errs.Err()
}

// document checks the size and encoding of src, parses its YAML and returns the body of its
// one document (nil for an empty file), reporting unsupported YAML. It returns false when the
// YAML could not be parsed at all; what names the file in messages ("spec").
func (l *loader) document(src []byte, what string) (ast.Node, bool) {
	s := l.src
	start := s.start()
	if len(src) > MaxSize {
		l.errorf(start, TooLarge, "the %s is too large (%d bytes; at most %d)", what, len(src), MaxSize)
		return nil, false
	}
	if !utf8.Valid(src) {
		off := 0
		for {
			r, n := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			off += n
		}
		l.errorf(s.pos(off), InvalidText, "the %s is not valid UTF-8", what)
		return nil, false
	}
	// goccy mishandles "\r\n" in quoted scalars: give it "\n" alone (lines and columns stay).
	text := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(src[s.bom:]))
	f := l.parse(text)
	if f == nil {
		return nil, false
	}

	var body ast.Node
	docs := 0
	for _, d := range f.Docs {
		if isNil(d.Body) {
			continue // an empty file, or an empty document after `---`
		}
		if b, ok := d.Body.(*ast.DirectiveNode); ok {
			l.errorf(l.pos(b), UnsupportedYAML, "YAML directives are not supported")
			continue
		}
		if docs++; docs == 1 {
			body = d.Body
			l.scan(body)
		} else if docs == 2 {
			p := l.pos(d.Body)
			if d.Start != nil {
				p = l.tokPos(d.Start)
			}
			l.errorf(p, UnsupportedYAML, "multiple YAML documents are not supported (found a second one here)")
		}
	}
	return body, true
}

// loader holds the state of one Load.
type loader struct {
	src  *source
	errs ErrorList
	// inline says that spec reads a group spec written inside a network spec, where
	// `neurogen:` is the network's and may be left out.
	inline bool
}

func (l *loader) errorf(pos Pos, code Code, format string, args ...any) {
	l.errs.Add(pos, code, format, args...)
}

// parse runs goccy's lexer and parser, turning their errors (and panics) into errors of l.
func (l *loader) parse(src string) (f *ast.File) {
	start := l.src.start()
	defer func() {
		if r := recover(); r != nil {
			l.errorf(start, YAMLSyntax, "YAML parser failed: %s", oneLine(fmt.Sprint(r)))
			f = nil
		}
	}()
	tokens := lexer.Tokenize(src)
	if len(tokens) > MaxTokens {
		l.errorf(l.tokPos(tokens[MaxTokens]), TooLarge, "the spec is too large (more than %d YAML tokens)", MaxTokens)
		return nil
	}
	if !l.checkDepth(tokens) {
		return nil
	}
	f, err := parser.Parse(tokens, 0, parser.AllowDuplicateMapKey())
	if err == nil {
		return f
	}
	var yerr interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &yerr) {
		pos := start
		tk := yerr.GetToken()
		if tk != nil && tk.Position != nil {
			pos = l.tokPos(tk)
		}
		if p, key, ok := l.overIndented(tk); ok {
			l.errorf(p, YAMLSyntax, "YAML syntax error: %s: is %s indented too far? (a line indented more than the key above it continues that key's value)",
				oneLine(yerr.GetMessage()), code(key))
			return nil
		}
		l.errorf(pos, YAMLSyntax, "YAML syntax error: %s", oneLine(yerr.GetMessage()))
	} else {
		l.errorf(start, YAMLSyntax, "YAML syntax error: %s", oneLine(err.Error()))
	}
	return nil
}

// overIndented recognises the syntax error of a key indented more than the key above it, as
// `beta` here:
//
//	alpha: 0.1/ms
//	  beta: 4/ms
//
// YAML reads `0.1/ms beta` as one plain scalar, the value of alpha, and then finds a `:` where
// no mapping can start. goccy reports the error at the scalar, on the line above the one to fix;
// overIndented returns the position of the key on the line of the `:`, and the key.
func (l *loader) overIndented(tk *token.Token) (Pos, string, bool) {
	if tk == nil || tk.Position == nil || tk.Type != token.StringType || tk.Next == nil || tk.Next.Position == nil ||
		tk.Next.Type != token.MappingValueType || tk.Next.Position.Line <= tk.Position.Line {
		return Pos{}, "", false
	}
	colon := l.tokOffset(tk.Next)
	start := colon
	for start > 0 && !isBreak(l.src.src[start-1]) {
		start--
	}
	for start < colon && isBlank(l.src.src[start]) {
		start++
	}
	key := strings.TrimSpace(string(l.src.src[start:colon]))
	if key == "" {
		return Pos{}, "", false
	}
	return l.src.pos(start), key, true
}

// checkDepth reports input nested too deeply for goccy's recursive parser.
func (l *loader) checkDepth(tokens token.Tokens) bool {
	depth := 0
	for _, tk := range tokens {
		if tk.Position == nil {
			continue
		}
		col := 0
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			depth++
		case token.SequenceEndType, token.MappingEndType:
			depth = max(0, depth-1)
		case token.SequenceEntryType, token.MappingKeyType:
			col = tk.Position.Column
		case token.MappingValueType:
			if depth == 0 && tk.Prev != nil && tk.Prev.Position != nil && tk.Prev.Position.Line == tk.Position.Line {
				col = tk.Prev.Position.Column
			}
		}
		if depth > MaxDepth || col > maxCol {
			l.errorf(l.tokPos(tk), TooLarge, "the spec is nested too deeply")
			return false
		}
	}
	return true
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// oneLine cleans an error message from goccy for use in an Error.
func oneLine(s string) string {
	s = strings.ReplaceAll(ansi.ReplaceAllString(s, ""), "\t", `\t`)
	return strings.Join(strings.Fields(s), " ")
}

// tokPos returns the position of a goccy token.
func (l *loader) tokPos(tk *token.Token) Pos { return l.src.pos(l.tokOffset(tk)) }

func (l *loader) tokOffset(tk *token.Token) int {
	return l.src.offset(tk.Position.Line, tk.Position.Column)
}

// pos returns the position where node n starts (for a block mapping: its first key).
func (l *loader) pos(n ast.Node) Pos {
	var tk *token.Token
	switch n := n.(type) {
	case *ast.MappingNode:
		if !n.IsFlowStyle && len(n.Values) > 0 {
			return l.pos(n.Values[0])
		}
		tk = n.Start
	case *ast.MappingValueNode:
		if isNil(n.Key) {
			tk = n.Start
		} else {
			return l.pos(n.Key)
		}
	case *ast.DocumentNode:
		if isNil(n.Body) {
			tk = n.Start
		} else {
			return l.pos(n.Body)
		}
	default:
		if !isNil(n) {
			tk = n.GetToken()
		}
	}
	if tk == nil || tk.Position == nil {
		return l.src.start()
	}
	return l.tokPos(tk)
}

func isNil(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// scan reports the YAML features that specs do not use, anywhere below n.
func (l *loader) scan(n ast.Node) {
	if isNil(n) {
		return
	}
	switch n := n.(type) {
	case *ast.AnchorNode:
		l.errorf(l.pos(n), UnsupportedYAML, "anchors are not supported")
		l.scan(n.Value)
	case *ast.AliasNode:
		l.errorf(l.pos(n), UnsupportedYAML, "aliases are not supported")
	case *ast.TagNode:
		tag := "!"
		if n.Start != nil {
			tag = n.Start.Value
		}
		l.errorf(l.pos(n), UnsupportedYAML, "tags (%s) are not supported", code(tag))
		l.scan(n.Value)
	case *ast.MergeKeyNode:
		l.errorf(l.pos(n), UnsupportedYAML, "merge keys (`<<`) are not supported")
	case *ast.MappingKeyNode:
		l.scan(n.Value)
	case *ast.MappingValueNode:
		l.scan(n.Key)
		l.scan(n.Value)
	case *ast.MappingNode:
		for _, v := range n.Values {
			l.scan(v)
		}
	case *ast.SequenceNode:
		for _, v := range n.Values {
			l.scan(v)
		}
	case *ast.DirectiveNode:
		l.errorf(l.pos(n), UnsupportedYAML, "YAML directives are not supported")
	}
}

// unwrap strips anchors and tags (reported by scan) from n; nil becomes a null node.
func unwrap(n ast.Node) ast.Node {
	for {
		switch m := n.(type) {
		case *ast.AnchorNode:
			n = m.Value
		case *ast.TagNode:
			n = m.Value
		default:
			if isNil(n) {
				return &ast.NullNode{}
			}
			return n
		}
	}
}

// kind describes the YAML type of n for messages, with an article.
func kind(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a sequence"
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode:
		return "an integer"
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a float"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.NullNode:
		return "null"
	case *ast.AliasNode:
		return "an alias"
	}
	return "a " + strings.ToLower(n.Type().String())
}

// An entry is a key and its value in a mapping.
type entry struct {
	key string
	pos Pos      // of the key
	val ast.Node // unwrapped, never nil
}

// isNull reports whether e has no value.
func (e entry) isNull() bool { _, ok := e.val.(*ast.NullNode); return ok }

// isAlias reports whether e's value is an alias; those are reported by scan alone.
func (e entry) isAlias() bool { _, ok := e.val.(*ast.AliasNode); return ok }

// entries returns the entries of mapping n in file order, reporting keys that are not strings
// and duplicate keys (only the first of those is returned).
func (l *loader) entries(n ast.Node) []entry {
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	}
	var out []entry
	first := map[string]Pos{}
	for _, mv := range values {
		if mv == nil {
			continue
		}
		key := unwrap(mv.Key)
		var name string
		switch k := key.(type) {
		case *ast.StringNode:
			name = k.Value
			if k.Token != nil && k.Token.Type == token.StringType {
				_, _, stop := l.src.text(name, 0, l.tokOffset(k.Token))
				l.checkTab(0, stop)
			}
		case *ast.MergeKeyNode, *ast.AliasNode: // reported by scan
			continue
		case *ast.MappingKeyNode:
			l.errorf(l.pos(k), UnsupportedYAML, "complex mapping keys (`?`) are not supported")
			continue
		default:
			l.errorf(l.pos(key), InvalidKey, "mapping keys must be names, got %s", kind(key))
			continue
		}
		pos := l.pos(key)
		if p, dup := first[name]; dup {
			l.errorf(pos, DuplicateKey, "duplicate key %s (first at %d:%d)", code(name), p.Line(), p.Col())
			continue
		}
		first[name] = pos
		out = append(out, entry{key: name, pos: pos, val: unwrap(mv.Value)})
	}
	return out
}

// fields returns the entries of mapping n by key, reporting unknown keys; ctx prefixes messages.
//
// An unknown key that misspells a known one (`betta` for `beta`) is read as that field when the
// mapping lacks it, so that nothing else is reported for want of it (a gate without `beta`)
// and the errors inside its value still are.
func (l *loader) fields(n ast.Node, known []string, ctx string) map[string]entry {
	return l.fieldsOf(l.entries(n), known, ctx)
}

// fieldsOf is fields for the entries es of a mapping. Of two entries with the same key, the
// first counts.
func (l *loader) fieldsOf(es []entry, known []string, ctx string) map[string]entry {
	m := map[string]entry{}
	for _, e := range es {
		if _, dup := m[e.key]; !dup && slices.Contains(known, e.key) {
			m[e.key] = e
		}
	}
	for _, e := range es {
		if slices.Contains(known, e.key) {
			continue
		}
		l.errorf(e.pos, UnknownField, "%sunknown field %s%s", ctx, code(e.key), didYouMean(e.key, known))
		if k := suggest.Closest(e.key, known); k != "" {
			if _, ok := m[k]; !ok {
				e.key = k // read as the field it misspells, under that field's name
				m[k] = e
			}
		}
	}
	return m
}

// recoverField returns the known field that key misspells, if the mapping whose keys are present
// lacks it and no earlier key was read as it, or "". It records the field in present.
func recoverField(key string, known []string, present map[string]bool) string {
	k := suggest.Closest(key, known)
	if k == "" || present[k] {
		return ""
	}
	present[k] = true
	return k
}

// paramKeys returns the key under which to read each entry of es, a mapping (what, such as
// "channel `Na`") whose keys are the fields known or else parameters. A key that misspells a
// known field (suggest.Closest finds one) is an unknown field: it is reported, and read as the
// field it misspells when the mapping lacks that field, or skipped ("") when it cannot be.
func (l *loader) paramKeys(what string, es []entry, known []string) []string {
	present := map[string]bool{}
	for _, f := range es {
		present[f.key] = true
	}
	keys := make([]string, len(es))
	for i, f := range es {
		keys[i] = f.key
		if slices.Contains(known, f.key) {
			continue
		}
		if hint := didYouMean(f.key, known); hint != "" {
			l.errorf(f.pos, UnknownField, "%s: unknown field %s%s", what, code(f.key), hint)
			// Read it as the field it misspells (see fields).
			keys[i] = recoverField(f.key, known, present)
		}
	}
	return keys
}

// mapping checks that e's value is a mapping. A null value is an error only if required.
func (l *loader) mapping(e entry, what string, required bool) bool {
	switch e.val.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return true
	case *ast.NullNode:
		if required {
			l.errorf(e.pos, MissingValue, "%s has no value", what)
		}
	case *ast.AliasNode:
	default:
		l.errorf(l.pos(e.val), WrongType, "%s must be a mapping, got %s", what, kind(e.val))
	}
	return false
}

// scalar returns e's value if it is a string or, if numbers, a number (as written), as a Scalar
// and a Text. It reports other values as not being what.
func (l *loader) scalar(e entry, what string, numbers bool) (Scalar, Text, bool) {
	var val string
	var tk *token.Token
	var style byte
	switch n := e.val.(type) {
	case *ast.StringNode:
		val, tk = n.Value, n.Token
		switch tk.Type {
		case token.SingleQuoteType:
			style = '\''
		case token.DoubleQuoteType:
			style = '"'
			l.checkEscapes(tk)
		}
	case *ast.LiteralNode:
		if n.Value != nil {
			val, tk, style = n.Value.Value, n.Start, '|'
			if tk.Type == token.FoldedType {
				style = '>'
			}
		}
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		if numbers {
			tk = n.GetToken()
			val = tk.Value
		}
	}
	switch {
	case tk != nil && tk.Position != nil:
		t, pos, stop := l.src.text(val, style, l.tokOffset(tk), l.afterPrev(tk))
		l.checkTab(style, stop)
		return Scalar{Value: val, Pos: pos, text: t}, t, true
	case e.isNull():
		l.errorf(e.pos, MissingValue, "%s has no value", code(e.key))
	case !e.isAlias():
		l.errorf(l.pos(e.val), WrongType, "%s must be %s, got %s", code(e.key), what, kind(e.val))
	}
	return Scalar{}, Text{}, false
}

// checkTab reports a tab inside a plain scalar where decoding stopped: goccy drops such tabs
// ("x<tab>y" becomes "xy").
func (l *loader) checkTab(style byte, stop int) {
	if style == 0 && stop >= 0 && stop < len(l.src.src) && l.src.src[stop] == '\t' {
		l.errorf(l.src.pos(stop), InvalidText, "tab characters inside unquoted text are not supported; use spaces")
	}
}

// checkEscapes reports the escape sequences of a double-quoted scalar that YAML does not define,
// such as `\xZZ`, which goccy decodes to garbage.
func (l *loader) checkEscapes(tk *token.Token) {
	src := l.src.src
	i := l.tokOffset(tk)
	for i < len(src) && isBlank(src[i]) {
		i++
	}
	if i >= len(src) || src[i] != '"' {
		return // goccy misplaced the token
	}
	for i++; i < len(src) && src[i] != '"'; i++ {
		if src[i] != '\\' {
			continue
		}
		if _, n, ok := unescape(src[i:]); ok {
			i += n - 1
			continue
		}
		n := 2
		if i+1 < len(src) && strings.IndexByte("xuU", src[i+1]) >= 0 {
			n = map[byte]int{'x': 4, 'u': 6, 'U': 10}[src[i+1]]
		}
		seq := string(src[i:min(i+n, len(src))])
		if j := strings.IndexAny(seq[1:], "\"\n\r"); j >= 0 {
			seq = seq[:j+1]
		}
		l.errorf(l.src.pos(i), InvalidText, "invalid escape sequence %s", code(seq))
		i++
	}
}

// str returns e's value, which must be a string.
func (l *loader) str(e entry) (Scalar, bool) {
	s, _, ok := l.scalar(e, "a string", false)
	return s, ok
}

// value returns e's value, a quantity such as "1 uF/cm2" or a number.
func (l *loader) value(e entry) *Scalar {
	s, _ := l.valueText(e)
	return s
}

// valueText returns e's value and the same as an expression text (a parameter's value may be
// an expression of other parameters); nil after an error.
func (l *loader) valueText(e entry) (*Scalar, Text) {
	s, t, ok := l.scalar(e, "a value (a string or a number)", true)
	if !ok {
		return nil, Text{}
	}
	if strings.TrimSpace(s.Value) == "" {
		l.errorf(s.Pos, MissingValue, "%s is empty", code(e.key))
		return nil, Text{}
	}
	return &s, t
}

// expr returns e's value, an expression.
func (l *loader) expr(e entry) *Text {
	s, t, ok := l.scalar(e, "an expression (a string or a number)", true)
	if ok && strings.TrimSpace(s.Value) == "" {
		l.errorf(s.Pos, MissingValue, "%s is empty", code(e.key))
		return nil
	}
	if !ok {
		return nil
	}
	return &t
}

// afterPrev returns the offset of the first byte after the indicator (such as `:` or `-`) that
// precedes token tk, skipping blanks, line breaks and comments: where tk should start. goccy
// misplaces some tokens, such as multi-line plain scalars at the end of the input. It returns
// -1 if tk does not follow an indicator.
func (l *loader) afterPrev(tk *token.Token) int {
	prev := tk.Prev
	for prev != nil && prev.Type == token.CommentType {
		prev = prev.Prev
	}
	if prev == nil || prev.Position == nil {
		return -1
	}
	switch prev.Type {
	case token.MappingValueType, token.SequenceEntryType, token.CollectEntryType,
		token.SequenceStartType, token.MappingStartType, token.MappingKeyType:
	default:
		return -1
	}
	src := l.src.src
	i := l.tokOffset(prev) + 1
	for i < len(src) {
		switch c := src[i]; {
		case isBlank(c) || isBreak(c):
			i++
		case c == '#':
			for i < len(src) && !isBreak(src[i]) {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// integer returns e's value, which must be an integer, as written.
func (l *loader) integer(e entry) *Scalar {
	switch n := e.val.(type) {
	case *ast.IntegerNode:
		return &Scalar{Value: n.Token.Value, Pos: l.pos(n)}
	case *ast.NullNode:
		l.errorf(e.pos, MissingValue, "%s has no value", code(e.key))
	case *ast.AliasNode:
	default:
		l.errorf(l.pos(n), WrongType, "%s must be an integer, got %s", code(e.key), kind(n))
	}
	return nil
}

// boolean returns e's value, which must be true or false.
func (l *loader) boolean(e entry) bool {
	switch n := e.val.(type) {
	case *ast.BoolNode:
		return n.Value
	case *ast.NullNode:
		l.errorf(e.pos, MissingValue, "%s has no value", code(e.key))
	case *ast.AliasNode:
	default:
		l.errorf(l.pos(n), WrongType, "%s must be a boolean (true or false), got %s", code(e.key), kind(n))
	}
	return false
}

// name reports whether s is a valid name, reporting it if not.
func (l *loader) name(s string, pos Pos) bool {
	ok := s != ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			ok = false
		}
	}
	switch {
	case !ok:
		l.errorf(pos, InvalidName, "invalid name %s: names are ASCII letters, digits and `_`, not starting with a digit", code(s))
	case strings.HasPrefix(s, "__"):
		l.errorf(pos, InvalidName, "invalid name %s: names starting with `__` are reserved", code(s))
	default:
		return true
	}
	return false
}

// spec reads the document body.
func (l *loader) spec(body ast.Node) *Spec {
	file := l.src.file
	top := l.src.start()
	if l.inline {
		top = l.pos(body)
	}
	s := &Spec{File: file, start: top}
	if body = unwrap(body); !isNil(body) {
		switch body.(type) {
		case *ast.MappingNode, *ast.MappingValueNode, *ast.NullNode, *ast.AliasNode:
		default:
			l.errorf(l.pos(body), WrongType, "the spec must be a mapping, got %s", kind(body))
			return s
		}
	}
	f := l.fields(body, topFields, "")

	if e, ok := f["neurogen"]; !ok {
		if !l.inline {
			l.errorf(top, MissingField, "missing `neurogen: %d` (the spec format version)", FormatVersion)
		}
	} else if v := l.version(e); v != nil {
		s.Version = *v
	}
	if e, ok := f["model"]; !ok {
		l.errorf(top, MissingField, "missing `model` (the model name, e.g. `model: HH52`)")
	} else if v, ok := l.str(e); ok {
		l.name(v.Value, v.Pos)
		s.Model = v
	}
	if e, ok := f["doc"]; ok {
		if v, ok := l.str(e); ok {
			s.Doc, s.DocPos = v.Value, v.Pos
		}
	}
	if e, ok := f["membrane"]; !ok {
		l.errorf(top, MissingField, "missing `membrane`")
	} else {
		s.Membrane = l.membrane(e)
	}
	if e, ok := f["method"]; ok {
		if v, ok := l.str(e); ok {
			s.Method = &v
		}
	}
	if e, ok := f["params"]; ok && l.mapping(e, "`params`", false) {
		for _, p := range l.entries(e.val) {
			if p := l.param(p); p != nil {
				s.Params = append(s.Params, p)
			}
		}
	}
	if e, ok := f["defs"]; ok {
		s.Defs, _ = l.defs(e)
	}
	if e, ok := f["ions"]; ok && l.mapping(e, "`ions`", false) {
		for _, i := range l.entries(e.val) {
			if i := l.ion(i); i != nil {
				s.Ions = append(s.Ions, i)
			}
		}
	}
	if e, ok := f["channels"]; !ok {
		l.errorf(top, MissingField, "missing `channels`")
	} else if l.mapping(e, "`channels`", true) {
		es := l.entries(e.val)
		if len(es) == 0 {
			l.errorf(e.pos, MissingValue, "`channels` is empty")
		}
		for _, c := range es {
			if c := l.channel(c); c != nil {
				s.Channels = append(s.Channels, c)
			}
		}
	}
	if e, ok := f["receptors"]; ok && l.mapping(e, "`receptors`", false) {
		for _, r := range l.entries(e.val) {
			if r := l.receptor(r); r != nil {
				s.Receptors = append(s.Receptors, r)
			}
		}
	}
	return s
}

// version reads `neurogen:`, the format version, and checks that this neurogen reads it.
func (l *loader) version(e entry) *Scalar {
	v := l.integer(e)
	if v == nil {
		return nil
	}
	x := int64(math.MaxInt64)
	switch n := e.val.(*ast.IntegerNode).Value.(type) {
	case int64:
		x = n
	case uint64:
		x = int64(min(n, math.MaxInt64))
	}
	if x < 1 {
		l.errorf(v.Pos, UnsupportedVersion, "invalid spec format version %s (versions start at 1)", v.Value)
	} else if x > FormatVersion {
		l.errorf(v.Pos, UnsupportedVersion, "spec format version %s is newer than this neurogen reads (up to %d)", v.Value, FormatVersion)
	}
	return v
}

// receptor reads a synaptic receptor; keys other than the reserved ones are its parameters.
func (l *loader) receptor(e entry) *Receptor {
	ok := l.name(e.key, e.pos)
	if !l.mapping(e, fmt.Sprintf("receptor %s", code(e.key)), true) || !ok {
		return nil
	}
	r := &Receptor{Name: Scalar{Value: e.key, Pos: e.pos}}
	es := l.entries(e.val)
	keys := l.paramKeys("receptor "+code(e.key), es, receptorFields)
	for i, f := range es {
		key := keys[i]
		if key == "" {
			continue
		}
		switch key {
		case "use":
			if v, ok := l.str(f); ok {
				r.Use = &v
			} else {
				r.Bad = true
			}
		case "doc":
			v, _ := l.str(f)
			r.Doc = v.Value
		case "current":
			if r.Current = l.expr(f); r.Current == nil {
				r.Bad = true
			}
		case "event":
			if r.Event = l.expr(f); r.Event == nil {
				r.Bad = true
			}
		case "weight":
			if r.Weight = l.value(f); r.Weight == nil {
				r.Bad = true
			}
		case "transmitter":
			if r.Transmitter = l.transmitter(e.key, f); r.Transmitter == nil {
				r.Bad = true
			}
		case "states":
			if !l.mapping(f, "`states`", false) {
				r.Bad = r.Bad || !f.isNull()
				continue
			}
			for _, se := range l.entries(f.val) {
				if st := l.receptorState(e.key, se); st != nil {
					r.States = append(r.States, st)
				}
			}
		default:
			if p := l.param(f); p != nil {
				r.Params = append(r.Params, p)
			}
		}
	}
	return r
}

// receptorState reads a state of receptor rec: `NAME: {deriv: EXPR, unit: UNIT, doc: TEXT}`.
func (l *loader) receptorState(rec string, e entry) *ReceptorState {
	ok := l.name(e.key, e.pos)
	if !l.mapping(e, fmt.Sprintf("state %s of receptor %s", code(e.key), code(rec)), true) || !ok {
		if ok {
			return &ReceptorState{Name: Scalar{Value: e.key, Pos: e.pos}, Bad: true}
		}
		return nil
	}
	st := &ReceptorState{Name: Scalar{Value: e.key, Pos: e.pos}}
	ctx := fmt.Sprintf("state %s of receptor %s: ", code(e.key), code(rec))
	f := l.fields(e.val, rstateFields, ctx)
	n := len(l.errs)
	if d, ok := f["deriv"]; ok {
		st.Deriv = l.expr(d)
	} else {
		l.errorf(e.pos, MissingField, "%smissing `deriv` (its derivative, e.g. `deriv: -%s/tau`)", ctx, e.key)
	}
	if p, ok := f["per"]; ok {
		if v, ok := l.str(p); ok {
			if v.Value != "neuron" && v.Value != "synapse" {
				l.errorf(v.Pos, WrongType, "%s`per` must be `neuron` or `synapse`, got %s", ctx, code(v.Value))
			}
			st.Per = &v
		}
	}
	if u, ok := f["unit"]; ok {
		st.Unit = l.value(u)
	} else if st.PerSynapse() {
		st.Unit = &Scalar{Value: "1", Pos: e.pos} // a fraction
	} else {
		l.errorf(e.pos, MissingField, "%smissing `unit` (e.g. `unit: nS`, or `unit: 1` for a fraction)", ctx)
	}
	if d, ok := f["doc"]; ok {
		v, _ := l.str(d)
		st.Doc = v.Value
	}
	st.Bad = len(l.errs) > n || st.Deriv == nil || st.Unit == nil
	return st
}

// transmitter reads a kinetic receptor's `transmitter: {T: VALUE, for: DURATION}`: one key
// names the transmitter, `for` gives the pulse's duration.
func (l *loader) transmitter(rec string, e entry) *Transmitter {
	what := fmt.Sprintf("`transmitter` of receptor %s", code(rec))
	if !l.mapping(e, what, true) {
		return nil
	}
	t := &Transmitter{Pos: e.pos}
	n := len(l.errs)
	for _, f := range l.entries(e.val) {
		if f.key == "for" {
			t.For = l.expr(f)
			continue
		}
		if t.Value != nil {
			l.errorf(f.pos, UnknownField, "%s: one name and `for`, as `{T: Cmax, for: Cdur}`: %s is a second name (the first is %s)", what, code(f.key), code(t.Name.Value))
			continue
		}
		if !l.name(f.key, f.pos) {
			continue
		}
		t.Name = Scalar{Value: f.key, Pos: f.pos}
		if t.Value = l.expr(f); t.Value == nil {
			return nil
		}
	}
	if len(l.errs) > n {
		return nil
	}
	if t.Value == nil {
		l.errorf(e.pos, MissingField, "%s: missing the transmitter and its value, as `{T: Cmax, for: Cdur}`", what)
		return nil
	}
	if t.For == nil {
		l.errorf(e.pos, MissingField, "%s: missing `for`, the pulse's duration, as `{T: Cmax, for: Cdur}`", what)
		return nil
	}
	return t
}

// membrane reads the `membrane:` section.
func (l *loader) membrane(e entry) *Membrane {
	m := &Membrane{Pos: e.pos}
	if !l.mapping(e, "`membrane`", true) {
		return m
	}
	f := l.fields(e.val, membraneFields, "membrane: ")
	for key, dst := range map[string]**Scalar{"C": &m.C, "A": &m.A, "V_th": &m.VTh, "V_init": &m.VInit, "refractory": &m.Refractory} {
		if e, ok := f[key]; ok {
			*dst = l.value(e)
		}
	}
	if e, ok := f["seed"]; ok {
		m.Seed = l.integer(e)
	}
	if _, ok := f["C"]; !ok {
		l.errorf(e.pos, MissingField, "membrane: missing `C` (the specific capacitance, e.g. `C: 1 uF/cm2`)")
	}
	if _, ok := f["V_init"]; !ok {
		l.errorf(e.pos, MissingField, "membrane: missing `V_init` (the initial potential, e.g. `V_init: -65 mV`)")
	}
	return m
}

// param reads a parameter: `NAME: VALUE` or `NAME: {value: VALUE, per_neuron: BOOL, doc: TEXT}`.
func (l *loader) param(e entry) *Param {
	if !l.name(e.key, e.pos) {
		return nil
	}
	p := &Param{Name: Scalar{Value: e.key, Pos: e.pos}}
	bad := func() *Param { p.Bad = true; return p }
	switch e.val.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		ctx := fmt.Sprintf("param %s: ", code(e.key))
		f := l.fields(e.val, paramFields, ctx)
		v, ok := f["value"]
		if !ok {
			l.errorf(e.pos, MissingField, "%smissing `value`", ctx)
			return bad()
		}
		if e, ok := f["per_neuron"]; ok {
			p.PerNeuron = l.boolean(e)
		}
		if e, ok := f["doc"]; ok {
			d, _ := l.str(e)
			p.Doc = d.Value
		}
		e = v
	case *ast.SequenceNode, *ast.BoolNode:
		l.errorf(l.pos(e.val), WrongType, "%s must be a value or a mapping with `value:`, got %s", code(e.key), kind(e.val))
		return bad()
	}
	v, t := l.valueText(e)
	if v == nil {
		return bad()
	}
	p.Value, p.Text = *v, t
	return p
}

// defs reads a `defs:` mapping of names to expressions; ok is false if it is not a mapping.
func (l *loader) defs(e entry) (defs []*Def, ok bool) {
	if !l.mapping(e, "`defs`", false) {
		return nil, e.isNull()
	}
	for _, d := range l.entries(e.val) {
		ok := l.name(d.key, d.pos)
		x := l.expr(d)
		switch {
		case !ok:
		case x == nil:
			defs = append(defs, &Def{Name: Scalar{Value: d.key, Pos: d.pos}, Bad: true})
		default:
			defs = append(defs, &Def{Name: Scalar{Value: d.key, Pos: d.pos}, Expr: *x})
		}
	}
	return defs, true
}

// channel reads a channel; keys other than the reserved ones are its parameters.
func (l *loader) channel(e entry) *Channel {
	ok := l.name(e.key, e.pos)
	if !l.mapping(e, fmt.Sprintf("channel %s", code(e.key)), true) || !ok {
		return nil
	}
	c := &Channel{Name: Scalar{Value: e.key, Pos: e.pos}}
	es := l.entries(e.val)
	keys := l.paramKeys("channel "+code(e.key), es, channelFields)
	for i, f := range es {
		key := keys[i]
		if key == "" {
			continue
		}
		switch key {
		case "use":
			if v, ok := l.str(f); ok {
				c.Use = &v
			} else {
				c.Bad = true
			}
		case "ion":
			if v, ok := l.str(f); ok && l.name(v.Value, v.Pos) {
				c.Ion = &v
			} else {
				c.Bad = true
			}
		case "doc":
			v, _ := l.str(f)
			c.Doc = v.Value
		case "current":
			if c.Current = l.expr(f); c.Current == nil {
				c.Bad = true
			}
		case "defs":
			var ok bool
			if c.Defs, ok = l.defs(f); !ok {
				c.Bad = true
			}
		case "gates":
			if l.mapping(f, "`gates`", false) {
				gs := l.entries(f.val)
				for i := 0; i < len(gs); i++ {
					// A field of a gate indented as a gate (`beta: ...` under `gates:`) is
					// reported once and read as a field of the gate before it.
					var extra []entry
					for i+1 < len(gs) && misindentedField(gs[i+1]) {
						i++
						x := gs[i]
						l.errorf(x.pos, MisplacedField, "%s is indented as a gate of channel %s, but it is a field of a gate: indent it as the fields of gate %s above",
							code(x.key), code(e.key), code(gs[i-len(extra)-1].key))
						extra = append(extra, x)
					}
					if g := l.gate(gs[i-len(extra)], extra...); g != nil {
						c.Gates = append(c.Gates, g)
					}
				}
			} else if !f.isNull() {
				c.Bad = true
			}
		default:
			if p := l.param(f); p != nil {
				c.Params = append(c.Params, p)
			}
		}
	}
	return c
}

// misindentedField reports whether e, an entry under `gates:`, is rather a field of a gate: its
// key is one and its value is not a mapping.
func misindentedField(e entry) bool {
	switch e.val.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return false
	}
	return slices.Contains(gateFields, e.key)
}

// gate reads a gate: alpha and beta, or inf and tau, and the optional fields. extra are fields
// of the gate written after it, indented as gates (reported by the caller).
func (l *loader) gate(e entry, extra ...entry) *Gate {
	ok := l.name(e.key, e.pos)
	if !l.mapping(e, fmt.Sprintf("gate %s", code(e.key)), true) || !ok {
		if ok {
			return &Gate{Name: Scalar{Value: e.key, Pos: e.pos}, Bad: true}
		}
		return nil
	}
	g := &Gate{Name: Scalar{Value: e.key, Pos: e.pos}}
	f := l.fieldsOf(append(l.entries(e.val), extra...), gateFields, fmt.Sprintf("gate %s: ", code(e.key)))
	for key, dst := range map[string]**Text{"alpha": &g.Alpha, "beta": &g.Beta, "inf": &g.Inf, "tau": &g.Tau,
		"deriv": &g.Deriv, "init": &g.Init, "phi": &g.Phi} {
		if e, ok := f[key]; ok {
			if *dst = l.expr(e); *dst == nil {
				g.Bad = true
			}
		}
	}
	if e, ok := f["power"]; ok {
		g.Power = l.integer(e)
	}
	if e, ok := f["doc"]; ok {
		d, _ := l.str(e)
		g.Doc = d.Value
	}
	has := func(k string) bool { _, ok := f[k]; return ok }
	n := len(l.errs)
	forms := 0
	for _, form := range [][]string{{"alpha", "beta"}, {"inf", "tau"}, {"deriv", "init"}} {
		if has(form[0]) || has(form[1]) {
			forms++
		}
	}
	switch {
	case forms > 1:
		l.errorf(e.pos, GateForm, "gate %s mixes forms: give `alpha` and `beta`, or `inf` and `tau`, or `inf` alone, or `deriv` and `init`", code(e.key))
	case has("alpha") != has("beta"):
		l.errorf(e.pos, GateForm, "gate %s: give both `alpha` and `beta`", code(e.key))
	case has("tau") && !has("inf"):
		l.errorf(e.pos, GateForm, "gate %s: `tau` needs `inf`", code(e.key))
	case has("deriv") != has("init"):
		l.errorf(e.pos, GateForm, "gate %s: `deriv` needs `init` (its initial value), and `init` needs `deriv`", code(e.key))
	case forms == 0:
		l.errorf(e.pos, GateForm, "gate %s: give `alpha` and `beta`, or `inf` and `tau`, or `inf` alone (an instantaneous gate), or `deriv` and `init`", code(e.key))
	}
	if len(l.errs) > n {
		g.Bad = true
	}
	if g.Phi != nil && g.Inf != nil && g.Tau == nil {
		l.errorf(e.pos, GateForm, "gate %s: an instantaneous gate (`inf` alone) has no `phi`", code(e.key))
	}
	return g
}

// ion reads an ion: its reversal potential, concentrations, dynamics; other keys are its
// parameters.
func (l *loader) ion(e entry) *Ion {
	ok := l.name(e.key, e.pos)
	if !l.mapping(e, fmt.Sprintf("ion %s", code(e.key)), true) || !ok {
		if ok {
			return &Ion{Name: Scalar{Value: e.key, Pos: e.pos}, Bad: true}
		}
		return nil
	}
	ion := &Ion{Name: Scalar{Value: e.key, Pos: e.pos}}
	es := l.entries(e.val)
	keys := l.paramKeys("ion "+code(e.key), es, ionFields)
	for i, f := range es {
		key := keys[i]
		if key == "" {
			continue
		}
		n := len(l.errs)
		switch key {
		case "use":
			if v, ok := l.str(f); ok {
				ion.Use = &v
			}
		case "doc":
			v, _ := l.str(f)
			ion.Doc = v.Value
		case "valence":
			ion.Valence = l.integer(f)
		case "E":
			ion.E = l.value(f)
		case "C_i":
			ion.Ci = l.value(f)
		case "C_o":
			ion.Co = l.value(f)
		case "dynamics":
			ion.Dynamics = l.expr(f)
		default:
			if p := l.param(f); p != nil {
				ion.Params = append(ion.Params, p)
			}
			continue
		}
		if len(l.errs) > n || f.isAlias() {
			ion.Bad = true
		}
	}
	return ion
}

// libraryFile reads a library file (a stock channel or receptor file, an ion file) of one YAML
// document, what it is named in errors ("a stock channel file"): it returns the loader and
// the document's body, scanned, or a nil body when the file is too large, does not parse or
// holds another number of documents, with the errors in l.errs.
func libraryFile(file string, src []byte, what string) (*loader, ast.Node) {
	s := newSource(file, src)
	l := &loader{src: s}
	if len(src) > MaxSize {
		l.errs.Add(s.start(), TooLarge, "the file is too large (%d bytes; at most %d)", len(src), MaxSize)
		return l, nil
	}
	f := l.parse(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(src[s.bom:])))
	if f == nil {
		return l, nil
	}
	if len(f.Docs) != 1 || isNil(f.Docs[0].Body) {
		l.errorf(l.src.start(), UnsupportedYAML, "%s holds one YAML document", what)
		return l, nil
	}
	body := unwrap(f.Docs[0].Body)
	l.scan(body)
	return l, body
}

// LoadChannel reads a stock channel file: `neurogen: 1`, `channel: NAME` and the fields of a
// channel (as under `channels:` in a spec). Errors are reported as by Load.
func LoadChannel(file string, src []byte) (*LibraryChannel, error) {
	l, body := libraryFile(file, src, "a stock channel file")
	if body == nil {
		return nil, l.errs
	}
	lc := &LibraryChannel{File: file}
	top := l.src.start()
	for _, e := range l.entries(body) {
		switch e.key {
		case "neurogen":
			if v := l.integer(e); v != nil {
				lc.Version = *v
			}
		case "channel":
			if v, ok := l.str(e); ok && l.name(v.Value, v.Pos) {
				lc.Channel = &Channel{Name: v}
			}
		}
	}
	if lc.Channel == nil {
		l.errorf(top, MissingField, "missing `channel: NAME`")
		l.errs.Sort()
		return nil, l.errs
	}
	// Read the remaining fields as the body of a channel.
	mv := &ast.MappingNode{}
	m, ok := body.(*ast.MappingNode)
	if !ok {
		l.errorf(top, WrongType, "a stock channel file must be a mapping, got %s", kind(body))
		return nil, l.errs
	}
	for _, mvn := range m.Values {
		if k, ok := unwrap(mvn.Key).(*ast.StringNode); ok && (k.Value == "neurogen" || k.Value == "channel") {
			continue
		}
		mv.Values = append(mv.Values, mvn)
	}
	if c := l.channel(entry{key: lc.Channel.Name.Value, pos: lc.Channel.Name.Pos, val: mv}); c != nil {
		c.Name = lc.Channel.Name
		lc.Channel = c
	}
	if lc.Channel.Use != nil {
		l.errorf(lc.Channel.Use.Pos, StockUse, "a stock channel cannot `use:` another")
	}
	l.errs.Sort()
	return lc, l.errs.Err()
}

// LoadIon reads an ion file: `neurogen: 1`, `ion: NAME` and the fields of an ion (as under
// `ions:` in a spec), as `neurogen import` writes a calcium pool. Errors are reported as by
// Load.
func LoadIon(file string, src []byte) (*LibraryIon, error) {
	l, body := libraryFile(file, src, "an ion file")
	if body == nil {
		return nil, l.errs
	}
	li := &LibraryIon{File: file}
	top := l.src.start()
	m, ok := body.(*ast.MappingNode)
	if !ok {
		l.errorf(top, WrongType, "an ion file must be a mapping, got %s", kind(body))
		return nil, l.errs
	}
	var name *Scalar
	for _, e := range l.entries(body) {
		switch e.key {
		case "neurogen":
			if v := l.integer(e); v != nil {
				li.Version = *v
			}
		case "ion":
			if v, ok := l.str(e); ok && l.name(v.Value, v.Pos) {
				name = &v
			}
		}
	}
	if name == nil {
		l.errorf(top, MissingField, "missing `ion: NAME`")
		l.errs.Sort()
		return nil, l.errs
	}
	// Read the remaining fields as the body of an ion.
	mv := &ast.MappingNode{}
	for _, mvn := range m.Values {
		if k, ok := unwrap(mvn.Key).(*ast.StringNode); ok && (k.Value == "neurogen" || k.Value == "ion") {
			continue
		}
		mv.Values = append(mv.Values, mvn)
	}
	li.Ion = l.ion(entry{key: name.Value, pos: name.Pos, val: mv})
	if li.Ion == nil {
		li.Ion = &Ion{Name: *name, Bad: true}
	}
	li.Ion.Name = *name
	if li.Ion.Use != nil {
		l.errorf(li.Ion.Use.Pos, StockUse, "an ion file cannot `use:` another")
	}
	l.errs.Sort()
	return li, l.errs.Err()
}

// LoadReceptor reads a stock receptor file: `neurogen: 1`, `receptor: NAME` and the fields of
// a receptor (as under `receptors:` in a spec). Errors are reported as by Load.
func LoadReceptor(file string, src []byte) (*LibraryReceptor, error) {
	l, body := libraryFile(file, src, "a stock receptor file")
	if body == nil {
		return nil, l.errs
	}
	lr := &LibraryReceptor{File: file}
	top := l.src.start()
	m, ok := body.(*ast.MappingNode)
	if !ok {
		l.errorf(top, WrongType, "a stock receptor file must be a mapping, got %s", kind(body))
		return nil, l.errs
	}
	var name Scalar
	rest := &ast.MappingNode{}
	for _, e := range l.entries(body) {
		switch e.key {
		case "neurogen":
			if v := l.integer(e); v != nil {
				lr.Version = *v
			}
		case "receptor":
			if v, ok := l.str(e); ok && l.name(v.Value, v.Pos) {
				name = v
			}
		}
	}
	if name.Value == "" {
		l.errorf(top, MissingField, "missing `receptor: NAME`")
		l.errs.Sort()
		return nil, l.errs
	}
	for _, mvn := range m.Values {
		if k, ok := unwrap(mvn.Key).(*ast.StringNode); ok && (k.Value == "neurogen" || k.Value == "receptor") {
			continue
		}
		rest.Values = append(rest.Values, mvn)
	}
	lr.Receptor = l.receptor(entry{key: name.Value, pos: name.Pos, val: rest})
	if lr.Receptor == nil {
		l.errs.Sort()
		return nil, l.errs
	}
	lr.Receptor.Name = name
	if lr.Receptor.Use != nil {
		l.errorf(lr.Receptor.Use.Pos, StockUse, "a stock receptor cannot `use:` another")
	}
	l.errs.Sort()
	return lr, l.errs.Err()
}

// code formats s, a name or key from the spec, for a message: in backquotes, or as a Go string
// literal if it has characters that would garble the message.
func code(s string) string {
	if s == "" {
		return `""`
	}
	for _, r := range s {
		if r == '`' || !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return "`" + s + "`"
}

// didYouMean returns " (did you mean `x`?)" for the known field x closest to name, or "".
func didYouMean(name string, known []string) string {
	best := suggest.Closest(name, known)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean `%s`?)", best)
}
