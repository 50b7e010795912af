package docread

import "github.com/kycq/kycq/kyc"

// A name has no check character: the reader says where it is unsure
// (kyc.DocumentRead.NameAlternatives) and the name match sends a typed
// name that differs only there to review. That covers a character
// misread in place, not characters added: a name read longer than it
// is differs from the typed one in length, and is rejected as a
// mismatch. A front whose name the reader could not have read as
// printed is not vouched for (a retake).

// cnNameLong is the most characters a name is read with surely: a
// surname of one or two characters and a given name of one or two
// (names of five or more exist, rarely).
const cnNameLong = 4

// nameDoubtful reports whether the name read, with its alternatives
// alts (per character, "" where the reader is sure), is one a front
// does not vouch for: longer than cnNameLong with any character
// uncertain; of cnNameLong or more with two characters uncertain or
// more; of cnNameLong or more ending in a character the reader was
// unsure of; or of three or more ending in a character the reader was
// unsure of without any candidate ("?"): a glare or a speck past the
// name read as a character of few strokes (dev seed 200's 林兰 read 林兰了,
// its 了 unsure without a candidate; dev seed 227's 罗英欣 read 罗英欣人,
// its 人 unsure with the candidate 儿).
func nameDoubtful(name string, alts []string) bool {
	n := len([]rune(name))
	if n == 0 || len(alts) != n {
		return false
	}
	unsure := 0
	for _, a := range alts {
		if a != "" {
			unsure++
		}
	}
	switch {
	case n > cnNameLong && unsure > 0:
		return true
	case n >= cnNameLong && unsure >= 2:
		return true
	case n >= cnNameLong && alts[n-1] != "":
		return true
	}
	return n >= 3 && alts[n-1] == "?"
}

// sameDoubtfulEnd reports whether the name read on a later framing ends
// as an earlier reading's name did when that name was doubtful
// (nameDoubtful) for its last character: the mark past the name read
// again (dev seed 200's 林兰了, its 了 unsure without a candidate on the
// outline's card, read again with a candidate on a framing from the
// number line).
func sameDoubtfulEnd(earlier kyc.DocumentRead, name string) bool {
	e, l := []rune(earlier.Name), []rune(name)
	return len(e) >= 3 && len(l) >= 3 && nameDoubtful(earlier.Name, earlier.NameAlternatives) &&
		earlier.NameAlternatives[len(e)-1] == "?" && l[len(l)-1] == e[len(e)-1]
}
