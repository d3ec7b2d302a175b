package nmodl

import (
	"bytes"
	"fmt"

	"github.com/neurogen/neurogen/spec"
)

// A scanner splits NMODL source into tokens on demand. It keeps the comments it passes (":" and
// "?" line comments, COMMENT ... ENDCOMMENT blocks) for the File, and reports lexical errors
// through err. Units in parentheses are not tokens: the parser, where a declaration or a
// number may be followed by units, asks for them with units once it has seen the "(".
type scanner struct {
	file     *spec.File
	src      []byte
	start    int // where the text starts: after a UTF-8 byte order mark, if any
	off      int // where the next token's scan starts
	comments []*Comment
	err      func(off int, format string, args ...any)
}

// A tok is one scanned token: its kind, its text, where it starts and ends, and whether a line
// break separates it from the token before (the parser's recovery resumes at a line start).
type tok struct {
	kind     Token
	lit      string
	off, end int
	nl       bool
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// skipSpace skips blanks, line breaks and comments, and reports whether it passed a line
// break. A comment runs to the end of its line, so it ends with a break too.
func (s *scanner) skipSpace() (nl bool) {
	for s.off < len(s.src) {
		switch c := s.src[s.off]; c {
		case ' ', '\t', '\f', '\v':
			s.off++
		case '\n', '\r':
			s.off++
			nl = true
		case ':', '?':
			start := s.off
			for s.off < len(s.src) && s.src[s.off] != '\n' && s.src[s.off] != '\r' {
				s.off++
			}
			s.comments = append(s.comments, &Comment{At: s.file.Pos(start), Kind: LineComment, Text: string(s.src[start+1 : s.off])})
		default:
			return nl
		}
	}
	return nl
}

// word reports whether the name w starts at off, as a whole word.
func (s *scanner) word(off int, w string) bool {
	if !bytes.HasPrefix(s.src[off:], []byte(w)) {
		return false
	}
	end := off + len(w)
	return (off == 0 || !isLetter(s.src[off-1]) && !isDigit(s.src[off-1])) &&
		(end == len(s.src) || !isLetter(s.src[end]) && !isDigit(s.src[end]))
}

// until returns the offset of the first whole word w at or after off, or -1.
func (s *scanner) until(off int, w string) int {
	for {
		i := bytes.Index(s.src[off:], []byte(w))
		if i < 0 {
			return -1
		}
		if s.word(off+i, w) {
			return off + i
		}
		off += i + 1
	}
}

// next scans the next token.
func (s *scanner) next() tok {
	nl := false // a line break since the last token, in blanks or in comments
	for {
		nl = s.skipSpace() || nl
		t := s.scan()
		t.nl = nl || t.off == s.start
		if t.kind == NameTok && t.lit == "COMMENT" {
			// A comment block: its text, up to ENDCOMMENT, is kept as a comment.
			end := s.until(t.end, "ENDCOMMENT")
			if end < 0 {
				s.err(t.off, "COMMENT without ENDCOMMENT")
				end = len(s.src)
				s.off = end
			} else {
				s.off = end + len("ENDCOMMENT")
			}
			text := s.src[t.end:end]
			s.comments = append(s.comments, &Comment{At: s.file.Pos(t.off), Kind: BlockComment, Text: string(text)})
			nl = nl || bytes.ContainsAny(text, "\n\r")
			continue
		}
		return t
	}
}

func (s *scanner) scan() tok {
	start := s.off
	t := tok{off: start}
	if start >= len(s.src) {
		t.kind, t.end = EOF, start
		return t
	}
	c := s.src[start]
	s.off++
	switch {
	case isLetter(c):
		for s.off < len(s.src) && (isLetter(s.src[s.off]) || isDigit(s.src[s.off])) {
			s.off++
		}
		t.kind, t.lit = NameTok, string(s.src[start:s.off])
		switch {
		case s.off < len(s.src) && s.src[s.off] == '\'':
			for s.off < len(s.src) && s.src[s.off] == '\'' {
				s.off++
			}
			t.kind, t.lit = PrimeTok, string(s.src[start:s.off])
		case t.lit == "TITLE":
			// The rest of the line is the title.
			e := s.off
			for e < len(s.src) && s.src[e] != '\n' && s.src[e] != '\r' {
				e++
			}
			t.kind, t.lit, s.off = TitleTok, string(bytes.TrimSpace(s.src[s.off:e])), e
		case t.lit == "VERBATIM":
			end := s.until(s.off, "ENDVERBATIM")
			if end < 0 {
				s.err(start, "VERBATIM without ENDVERBATIM")
				end = len(s.src)
				t.kind, t.lit, s.off = VerbatimTok, string(s.src[s.off:end]), end
			} else {
				t.kind, t.lit, s.off = VerbatimTok, string(s.src[s.off:end]), end+len("ENDVERBATIM")
			}
		}
	case isDigit(c) || c == '.' && s.off < len(s.src) && isDigit(s.src[s.off]):
		s.off = start
		s.number()
		t.kind, t.lit = NumberTok, string(s.src[start:s.off])
	case c == '"':
		for s.off < len(s.src) && s.src[s.off] != '"' && s.src[s.off] != '\n' && s.src[s.off] != '\r' {
			s.off++
		}
		if s.off >= len(s.src) || s.src[s.off] != '"' {
			s.err(start, "string not terminated")
		} else {
			s.off++
		}
		t.kind, t.lit = StringTok, string(s.src[start:s.off])
	default:
		t.kind = s.operator(c)
		t.lit = string(s.src[start:s.off])
		if t.kind == Illegal {
			s.err(start, "unexpected character %s", quoteChar(s.src[start:]))
		}
	}
	t.end = s.off
	return t
}

// number scans digits, an optional fraction and an optional exponent.
func (s *scanner) number() {
	digits := func() int {
		n := 0
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
			n++
		}
		return n
	}
	digits()
	if s.off < len(s.src) && s.src[s.off] == '.' {
		s.off++
		digits()
	}
	if s.off < len(s.src) && (s.src[s.off] == 'e' || s.src[s.off] == 'E') {
		// An exponent only if digits follow (with a sign): "2e" is not a number and a name.
		e := s.off + 1
		if e < len(s.src) && (s.src[e] == '+' || s.src[e] == '-') {
			e++
		}
		if e < len(s.src) && isDigit(s.src[e]) {
			s.off = e
			digits()
		} else {
			s.err(s.off, "exponent has no digits")
			s.off = e
		}
	}
}

func (s *scanner) operator(c byte) Token {
	peek := func(b byte) bool {
		if s.off < len(s.src) && s.src[s.off] == b {
			s.off++
			return true
		}
		return false
	}
	switch c {
	case '(':
		return LParen
	case ')':
		return RParen
	case '{':
		return LBrace
	case '}':
		return RBrace
	case '[':
		return LBrack
	case ']':
		return RBrack
	case ',':
		return Comma
	case '+':
		return Plus
	case '*':
		return Star
	case '/':
		return Slash
	case '%':
		return Percent
	case '^':
		return Caret
	case '~':
		return Tilde
	case '-':
		if peek('>') {
			return Arrow
		}
		return Minus
	case '=':
		if peek('=') {
			return Eq
		}
		return Equals
	case '!':
		if peek('=') {
			return Ne
		}
		return Not
	case '>':
		if peek('=') {
			return Ge
		}
		return Gt
	case '<':
		switch {
		case peek('='):
			return Le
		case peek('<'):
			return Flux
		case s.off+1 < len(s.src) && s.src[s.off] == '-' && s.src[s.off+1] == '>':
			s.off += 2
			return Reversible
		}
		return Lt
	case '&':
		if peek('&') {
			return AndAnd
		}
	case '|':
		if peek('|') {
			return OrOr
		}
	}
	return Illegal
}

// units scans the text of units up to the ")" that closes the "(" just before s.off, and
// returns it with the offset of that ")" (or -1 when there is none on the line). Units are
// letters, digits, blanks and the signs / - * . ^ + ; parentheses do not nest in them.
func (s *scanner) units() (text string, rparen int) {
	start := s.off
	for i := start; i < len(s.src); i++ {
		switch c := s.src[i]; {
		case c == ')':
			s.off = i + 1
			return string(s.src[start:i]), i
		case isLetter(c) || isDigit(c) || c == ' ' || c == '\t' || c == '/' || c == '-' ||
			c == '*' || c == '.' || c == '^' || c == '+':
		default:
			return string(s.src[start:i]), -1
		}
	}
	return string(s.src[start:]), -1
}

// quoteChar quotes the character (or byte, when not valid UTF-8) that b starts with.
func quoteChar(b []byte) string {
	r := []rune(string(b[:min(len(b), 4)]))
	if len(r) == 0 || r[0] == 0xFFFD {
		return fmt.Sprintf("%#02x", b[0])
	}
	return fmt.Sprintf("%q", r[0])
}
