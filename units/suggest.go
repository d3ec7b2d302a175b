package units

import (
	"strings"
	"unicode/utf8"
)

// Suggest returns the candidate closest to name, for "did you mean"
// messages, or "" if none is close enough. It is used for unit names and
// for every other "did you mean" in neurogen.
//
// Closeness is the edit distance between name and the candidate ignoring
// case, counting insertions, deletions and substitutions of a character and
// transpositions of two adjacent characters (optimal string alignment), on
// runes. A candidate is close enough if that distance is at most
// max(1, n/3), where n is the number of runes in name. Ties are broken by
// the case-sensitive edit distance, so "mv" suggests "mV" rather than "ms",
// and then by order in candidates. An empty name has no suggestion; a
// candidate equal to name is returned as is.
func Suggest(name string, candidates []string) string {
	if name == "" {
		return ""
	}
	limit := max(1, utf8.RuneCountInString(name)/3)
	nameRunes := []rune(name)
	lowerRunes := []rune(strings.ToLower(name))
	best, bestFold, bestExact := "", limit+1, 0
	for _, c := range candidates {
		fold := distance(lowerRunes, []rune(strings.ToLower(c)), bestFold)
		if fold > bestFold {
			continue
		}
		exact := distance(nameRunes, []rune(c), -1)
		if fold < bestFold || exact < bestExact {
			best, bestFold, bestExact = c, fold, exact
		}
	}
	return best
}

// distance returns the optimal string alignment distance between a and b:
// the fewest insertions, deletions, substitutions and transpositions of
// adjacent runes that turn a into b, with no substring edited twice. If
// bound >= 0 and the distance certainly exceeds bound, distance may return
// any value greater than bound.
func distance(a, b []rune, bound int) int {
	if bound >= 0 && abs(len(a)-len(b)) > bound {
		return bound + 1
	}
	// Three rows of the dynamic-programming table: prev2 for i-2, prev for
	// i-1, cur for i.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if bound >= 0 && rowMin > bound {
			return bound + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
