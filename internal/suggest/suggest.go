// Package suggest finds the name a mistyped one was meant to be, for every "did you mean"
// message in neurogen: unknown fields of a spec, names in expressions, units, methods, stock
// channels, flags, commands and the variables a monitor records.
//
// It needs only the standard library: its source travels, with the runtime's, into the module
// of every model program that neurogen run builds offline (see Source).
package suggest

import (
	"strings"
	"unicode/utf8"
)

// Closest returns the candidate closest to name, or "" if none is close enough to be what name
// misspells.
//
// Closeness is the edit distance between name and the candidate ignoring case, counting
// insertions, deletions and substitutions of a character and transpositions of two adjacent
// characters (optimal string alignment), on runes. A candidate is close enough if that distance
// is at most max(1, n/3) and less than n, where n is the number of runes in name: a name of one
// letter is matched only to the same letter in the other case, as every other name of one
// letter is as close as any. Ties are broken by the case-sensitive edit distance, so "mv"
// suggests "mV" rather than "ms", and then by order in candidates. An empty name has no
// suggestion; a candidate equal to name is returned as is.
func Closest(name string, candidates []string) string {
	n := utf8.RuneCountInString(name)
	if n == 0 {
		return ""
	}
	limit := min(max(1, n/3), n-1)
	nameRunes := []rune(name)
	lowerRunes := []rune(strings.ToLower(name))
	best, bestFold, bestExact := "", limit+1, 0
	for _, c := range candidates {
		// A candidate whose length differs by more than the limit is too far: skipping it
		// before folding its case keeps a search among thousands of names cheap.
		if d := utf8.RuneCountInString(c) - n; d > bestFold || -d > bestFold {
			continue
		}
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

// distance returns the optimal string alignment distance between a and b: the fewest
// insertions, deletions, substitutions and transpositions of adjacent runes that turn a into b,
// with no substring edited twice. If bound >= 0 and the distance certainly exceeds bound,
// distance may return any value greater than bound.
func distance(a, b []rune, bound int) int {
	if bound >= 0 && abs(len(a)-len(b)) > bound {
		return bound + 1
	}
	// Three rows of the dynamic-programming table: prev2 for i-2, prev for i-1, cur for i.
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
