package spec

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// source is a spec file with a line index. It converts goccy's token positions (1-based line and
// rune column) to byte offsets and byte offsets to Pos, and maps decoded YAML scalars back to
// the bytes they came from.
//
// Line breaks are "\n", "\r\n" and a lone "\r", as in goccy's scanner, so that line numbers agree
// with goccy's.
type source struct {
	file  string
	src   []byte
	bom   int   // length of a leading UTF-8 byte order mark, which goccy does not see
	lines []int // byte offset of the start of each line
	f     *File // what positions point to: the name and the line index
}

func newSource(file string, src []byte) *source {
	s := &source{file: file, src: src, lines: []int{0}}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		s.bom = 3
	}
	for i := 0; i < len(src); i++ {
		if isBreak(src[i]) {
			i = skipBreak(src, i) - 1
			s.lines = append(s.lines, i+1)
		}
	}
	s.f = &File{name: file, size: len(src), bom: s.bom, lines: s.lines}
	return s
}

// pos returns the position of byte offset off, clamped to the file.
func (s *source) pos(off int) Pos {
	return Pos{file: s.f, off: max(0, min(off, len(s.src)))}
}

// start returns the position of the file's first byte after a byte order mark: line 1,
// column 1.
func (s *source) start() Pos { return s.pos(s.bom) }

// offset converts a goccy position (1-based line, 1-based rune column in the text goccy parsed,
// which lacks a byte order mark) to a byte offset in the file, clamped to the line.
func (s *source) offset(line, col int) int {
	line = max(1, min(line, len(s.lines)))
	start, end := s.lines[line-1], len(s.src)
	if line == 1 {
		start = s.bom
	}
	if line < len(s.lines) {
		end = s.lines[line]
		for end > start && isBreak(s.src[end-1]) {
			end--
		}
	}
	i := start
	for c := 1; c < col && i < end; c++ {
		_, n := utf8.DecodeRune(s.src[i:end])
		i += n
	}
	return i
}

// text returns the Text of a scalar whose decoded value is val and the position where the
// scalar starts: its first byte if plain, its opening quote if quoted, its indicator (`|` or `>`)
// if a block scalar. style is 0 (plain), a quote (`'` or `"`), `|` or `>`. The scalar starts at
// byte offset start, as goccy says, or else at one of alts (negative alts are ignored).
//
// Every byte of val is mapped to the byte it was decoded from. Bytes decoded from an escape
// sequence map to its backslash, a single quote written twice to the first of the two, and
// spaces and line breaks made by line folding to the first blank or line break they replace.
// Should goccy decode a scalar in a way this does not reproduce, the bytes from there on map to
// the last byte mapped: the positions stay in the file, if less precise. stop is then the offset
// where that happened, else -1.
func (s *source) text(val string, style byte, start int, alts ...int) (t Text, begin Pos, stop int) {
	offs, b, stop := s.align(val, start, style)
	for _, alt := range alts {
		if len(offs) == len(val) {
			break
		}
		if o, b2, s2 := s.align(val, alt, style); len(o) > len(offs) {
			offs, b, stop = o, b2, s2
		}
	}
	first := b // where the text starts
	if style == '\'' || style == '"' {
		first = min(b+1, len(s.src))
	}
	if len(val) == 0 {
		return Text{Pos: s.pos(first)}, s.pos(b), stop
	}
	if len(offs) == 0 {
		offs = append(offs, first)
	}
	for len(offs) < len(val) {
		offs = append(offs, offs[len(offs)-1])
	}
	simple := true // on one line, byte for byte
	for i, o := range offs {
		if o != offs[0]+i || (i > 0 && isBreak(s.src[o-1])) {
			simple = false
			break
		}
	}
	t = Text{Src: val, Pos: s.pos(offs[0])}
	if !simple {
		t.offs = make([]int32, len(offs))
		for i, o := range offs {
			t.offs[i] = int32(max(0, min(o, len(s.src))))
		}
	}
	return t, s.pos(b), stop
}

// align maps the bytes of val to offsets of s.src; see text. It returns the offsets of the bytes
// it could map (all of them, unless it lost track), the offset where the scalar starts and, if
// it lost track, the offset where it did (else -1).
func (s *source) align(val string, start int, style byte) (offs []int, begin, stop int) {
	src := s.src
	if start < 0 || start >= len(src) {
		return nil, max(0, min(start, len(src))), -1
	}
	if style == '|' || style == '>' {
		if src[start] != style {
			return nil, start, -1
		}
		return s.alignBlock(val, start, style), start, -1
	}
	// goccy may place a token at the blanks before it.
	for start < len(src) && isBlank(src[start]) && (style != 0 || val == "" || val[0] != src[start]) {
		start++
	}
	begin = start
	if style == '\'' || style == '"' {
		if start >= len(src) || src[start] != style {
			return nil, begin, -1
		}
		start++
	}
	offs = make([]int, 0, len(val))
	i := start
	for j := 0; j < len(val); {
		if i >= len(src) {
			return offs, begin, i
		}
		c := val[j]
		switch b := src[i]; {
		case isBlank(b) || isBreak(b):
			k := i
			for k < len(src) && isBlank(src[k]) {
				k++
			}
			if k == len(src) || !isBreak(src[k]) {
				// Blanks inside a line are kept.
				if b != c {
					return offs, begin, i
				}
				offs = append(offs, i)
				i, j = i+1, j+1
				continue
			}
			// A line fold: trailing blanks, line breaks and the next line's indentation become
			// a space, or n-1 line feeds for n line breaks.
			n := 0
			for k < len(src) && isBreak(src[k]) {
				k = skipBreak(src, k)
				n++
				for k < len(src) && isBlank(src[k]) {
					k++
				}
			}
			if n == 1 {
				if c != ' ' {
					return offs, begin, i
				}
				offs = append(offs, i)
				j++
			}
			for ; n > 1; n-- {
				if j >= len(val) || val[j] != '\n' {
					return offs, begin, i
				}
				offs = append(offs, i)
				j++
			}
			i = k
		case style == '\'' && b == '\'':
			if c != '\'' || i+1 >= len(src) || src[i+1] != '\'' {
				return offs, begin, i
			}
			offs = append(offs, i)
			i, j = i+2, j+1
		case style == '"' && b == '\\':
			dec, n, ok := unescape(src[i:])
			if !ok || !strings.HasPrefix(val[j:], dec) {
				return offs, begin, i
			}
			if dec == "" { // an escaped line break: the next line's indentation goes too
				for i += n; i < len(src) && isBlank(src[i]); i++ {
				}
				continue
			}
			for range len(dec) {
				offs = append(offs, i)
			}
			i, j = i+n, j+len(dec)
		default:
			if b != c {
				return offs, begin, i
			}
			offs = append(offs, i)
			i, j = i+1, j+1
		}
	}
	return offs, begin, -1
}

// alignBlock maps the bytes of val, the value of a literal (`|`) or folded (`>`) block scalar
// whose indicator is at start, to source offsets.
func (s *source) alignBlock(val string, start int, style byte) []int {
	src := s.src
	i := start
	for i < len(src) && !isBreak(src[i]) { // the header and its comment
		i++
	}
	i = skipBreak(src, i)

	// The content indentation: that of the first non-blank line, less the spaces that begin
	// the first non-empty line of val (a more indented first line keeps its extra spaces).
	indent := -1
	for k := i; k < len(src); k = skipBreak(src, k) {
		n := 0
		for k < len(src) && src[k] == ' ' {
			k, n = k+1, n+1
		}
		for k < len(src) && isBlank(src[k]) {
			k++
		}
		if k < len(src) && !isBreak(src[k]) {
			v := strings.TrimLeft(val, "\n")
			indent = n - (len(v) - len(strings.TrimLeft(v, " ")))
			break
		}
	}
	if indent < 0 && strings.Trim(val, "\n") != "" {
		return nil
	}

	offs := make([]int, 0, len(val))
	for j := 0; j < len(val); {
		if i >= len(src) { // the final line break of a scalar at the end of the file
			if val[j] != '\n' {
				return offs
			}
			offs = append(offs, max(0, len(src)-1))
			j++
			continue
		}
		for k := 0; k < indent && i < len(src) && src[i] == ' '; k++ {
			i++
		}
		k := i
		for k < len(src) && isBlank(src[k]) {
			k++
		}
		if (k == len(src) || isBreak(src[k])) && (j == len(val) || i == len(src) || val[j] != src[i]) {
			i = k // the blanks of an empty line, unless kept
		}
		for ; i < len(src) && !isBreak(src[i]) && j < len(val); i, j = i+1, j+1 {
			if src[i] != val[j] {
				return offs
			}
			offs = append(offs, i)
		}
		if j == len(val) || i == len(src) {
			continue
		}
		switch {
		case val[j] == '\n', style == '>' && val[j] == ' ':
			offs = append(offs, i)
			j++
		case style == '>': // a line break folded away before empty lines
		default:
			return offs
		}
		i = skipBreak(src, i)
	}
	return offs
}

// unescape decodes the double-quoted escape sequence at the start of b (which starts with a
// backslash) the way goccy does. It returns the decoded bytes ("" for an escaped line break), the
// length of the sequence and whether it could decode it.
func unescape(b []byte) (dec string, n int, ok bool) {
	if len(b) < 2 {
		return "", 0, false
	}
	if isBreak(b[1]) {
		return "", skipBreak(b, 1), true
	}
	if i := strings.IndexByte(`0abtnvfre "/\N_LP`+"\t", b[1]); i >= 0 {
		r := []rune("\x00\a\b\t\n\v\f\r\x1b \"/\\\u0085\u00a0\u2028\u2029\t")[i]
		return string(r), 2, true
	}
	hex := func(s []byte) (rune, bool) {
		v, err := strconv.ParseUint(string(s), 16, 32)
		return rune(v), err == nil && !strings.ContainsAny(string(s), "+-_")
	}
	var r rune
	switch {
	case b[1] == 'x' && len(b) >= 4:
		r, ok = hex(b[2:4])
		n = 4
	case b[1] == 'u' && len(b) >= 6:
		r, ok = hex(b[2:6])
		n = 6
		if ok && r >= 0xD800 && r <= 0xDBFF && len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
			lo, ok2 := hex(b[8:12])
			if ok2 && lo >= 0xDC00 && lo <= 0xDFFF {
				r, n = (r-0xD800)*0x400+(lo-0xDC00)+0x10000, 12
			}
		}
	case b[1] == 'U' && len(b) >= 10:
		r, ok = hex(b[2:10])
		n = 10
	}
	if !ok {
		return "", 0, false
	}
	return string(r), n, true
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' }
func isBreak(b byte) bool { return b == '\n' || b == '\r' }

// skipBreak returns the offset after the line break at src[i].
func skipBreak(src []byte, i int) int {
	if i < len(src) && src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
		return i + 2
	}
	if i < len(src) && isBreak(src[i]) {
		return i + 1
	}
	return i
}
