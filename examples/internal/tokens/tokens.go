package tokens

import (
	"bytes"
	"cmp"
	"encoding/json"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Tokenize splits text into lower-case tokens: maximal runs of letters and
// digits, keeping an apostrophe between two letters ("don't") so that
// contractions stay one token.
func Tokenize(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	runes := []rune(text)
	for i, r := range runes {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’') && cur.Len() > 0 && i+1 < len(runes) && unicode.IsLetter(runes[i+1]):
			cur.WriteByte('\'')
		default:
			flush()
		}
	}
	flush()
	return out
}

// Count is one token and how often it occurs.
type Count struct {
	Token string
	N     int
}

// Counts tallies tokens, most frequent first, ties broken by token so the
// order is total.
func Counts(tokens []string) []Count {
	m := map[string]int{}
	for _, t := range tokens {
		m[t]++
	}
	out := make([]Count, 0, len(m))
	for t, n := range m {
		out = append(out, Count{t, n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Token, b.Token))
	})
	return out
}

// MarshalCounts writes counts as a JSON object token → count, keys in the
// order given (JSON objects are unordered to a reader, but keeping rank
// order makes the file readable and its bytes stable).
func MarshalCounts(counts []Count) []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, c := range counts {
		k, _ := json.Marshal(c.Token) // a string always marshals
		b.WriteString("  ")
		b.Write(k)
		b.WriteString(": ")
		b.WriteString(itoa(c.N))
		if i < len(counts)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func itoa(n int) string {
	v, _ := json.Marshal(n)
	return string(v)
}

// Embed folds counts into a dims-dimensional vector by the hashing trick:
// token t adds ±count to slot fnv1a64(t) mod dims, the sign taken from the
// hash's top bit so that collisions cancel on average instead of piling up.
// The result is scaled to unit L2 norm (left zero when there are no tokens).
func Embed(counts []Count, dims int) []float64 {
	v := make([]float64, dims)
	for _, c := range counts {
		h := fnv.New64a()
		h.Write([]byte(c.Token))
		sum := h.Sum64()
		sign := 1.0
		if sum>>63 == 1 {
			sign = -1
		}
		v[sum%uint64(dims)] += sign * float64(c.N)
	}
	var sq float64
	for _, x := range v {
		sq += x * x // integers below 2**26 squared: exact, so order and fusion do not matter
	}
	if sq == 0 {
		return v
	}
	norm := math.Sqrt(sq)
	for i := range v {
		v[i] /= norm
	}
	return v
}
