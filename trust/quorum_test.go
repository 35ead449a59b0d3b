package trust

import (
	"slices"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	rep := func(p, d string) Replica { return Replica{Provider: bonfire.Address(p), Result: dg(d)} }
	type want struct {
		outcome Outcome
		result  string
		agree   []bonfire.Address
		faulted []bonfire.Address
		exclude []bonfire.Address
	}
	cases := []struct {
		name    string
		want    int
		results []Replica
		w       want
	}{
		{"one of two is pending", 2, []Replica{rep("a", "X")}, want{outcome: Pending}},
		{"unchecked single", 1, []Replica{rep("a", "X")}, want{Agreed, "X", []bonfire.Address{"a"}, nil, nil}},
		{"two agree", 2, []Replica{rep("a", "X"), rep("b", "X")}, want{Agreed, "X", []bonfire.Address{"a", "b"}, nil, nil}},
		{"two disagree: referee", 2, []Replica{rep("a", "X"), rep("b", "Y")}, want{outcome: NeedReferee, exclude: []bonfire.Address{"a", "b"}}},
		{"referee sides with A", 2, []Replica{rep("a", "X"), rep("b", "Y"), rep("c", "X")}, want{Agreed, "X", []bonfire.Address{"a", "c"}, []bonfire.Address{"b"}, nil}},
		{"referee sides with B", 2, []Replica{rep("a", "X"), rep("b", "Y"), rep("c", "Y")}, want{Agreed, "Y", []bonfire.Address{"b", "c"}, []bonfire.Address{"a"}, nil}},
		{"referee with neither: second referee", 2, []Replica{rep("a", "X"), rep("b", "Y"), rep("c", "Z")}, want{outcome: NeedReferee, exclude: []bonfire.Address{"a", "b", "c"}}},
		{"second referee breaks the tie", 2, []Replica{rep("a", "X"), rep("b", "Y"), rep("c", "Z"), rep("d", "Y")}, want{Agreed, "Y", []bonfire.Address{"b", "d"}, []bonfire.Address{"a", "c"}, nil}},
		{"all differ: inconclusive, nobody faulted", 2, []Replica{rep("a", "X"), rep("b", "Y"), rep("c", "Z"), rep("d", "W")}, want{outcome: Inconclusive}},
		{"replicate 3 majority", 3, []Replica{rep("a", "X"), rep("b", "Y"), rep("c", "X")}, want{Agreed, "X", []bonfire.Address{"a", "c"}, []bonfire.Address{"b"}, nil}},
		{"replicate 3 waits for the third", 3, []Replica{rep("a", "X"), rep("b", "X")}, want{outcome: Pending}},
		{"replicate 3 all differ", 3, []Replica{rep("a", "X"), rep("b", "Y"), rep("c", "Z")}, want{outcome: NeedReferee, exclude: []bonfire.Address{"a", "b", "c"}}},
		{"replicate 5 needs 3", 5, []Replica{rep("a", "X"), rep("b", "X"), rep("c", "Y"), rep("d", "Y"), rep("e", "Z")}, want{outcome: NeedReferee, exclude: []bonfire.Address{"a", "b", "c", "d", "e"}}},
		{"a replay does not vote twice", 2, []Replica{rep("a", "X"), rep("A", "X")}, want{outcome: Pending}},
		{"a replay cannot out-vote", 2, []Replica{rep("a", "X"), rep("b", "Y"), rep("a", "X")}, want{outcome: NeedReferee, exclude: []bonfire.Address{"a", "b"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := Decide(c.want, c.results)
			var res bonfire.Digest
			if c.w.result != "" {
				res = dg(c.w.result)
			}
			if d.Outcome != c.w.outcome || d.Result != res || !slices.Equal(d.Agree, c.w.agree) ||
				!slices.Equal(d.Faulted, c.w.faulted) || !slices.Equal(d.Exclude, c.w.exclude) {
				t.Fatalf("Decide = %+v\nwant %+v", d, c.w)
			}
		})
	}
}

func TestQuorum(t *testing.T) {
	t.Parallel()
	for want, q := range map[int]int{0: 1, 1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 16: 9} {
		if got := Quorum(want); got != q {
			t.Errorf("Quorum(%d) = %d, want %d", want, got, q)
		}
	}
}
