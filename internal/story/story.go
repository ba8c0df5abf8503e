// Package story recognizes the same news story carried by several outlets: a
// wire dispatch reprinted with small edits by 2M.ma, Hespress and Le360 is one
// story, delivered once with "also reported by ...". It computes a MinHash
// signature over the normalized word pairs of an article's title and lead,
// and splits it into locality-sensitive bands so that a store can find the
// candidate stories of a new article with a few exact lookups.
package story

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/fnv"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Signature shape: Hashes MinHash values in Bands bands of Rows rows. Two
// articles whose shingle sets have Jaccard similarity s share at least one
// band with probability 1-(1-s^Rows)^Bands: 0.99 at s=0.6, 0.93 at s=0.5,
// 0.15 at s=0.2 and 0.0025 at s=0.05 (unrelated stories), so a new article
// is compared with a handful of recent stories, not all of them.
const (
	Hashes = Bands * Rows
	Bands  = 20
	Rows   = 3
)

// Threshold is the estimated Jaccard similarity of word-pair shingles from
// which two articles are the same story. On the labelled articles, reprints
// (dateline and credit added, headline prefixed or shortened, a word swapped,
// the lead cut to the feed's 30 words, typography changed) score 0.70 and
// above, while different stories on the same subject in the same language
// score at most 0.13; the tests pin both sides.
const Threshold = 0.45

// leadWords is how much of an article's text, after its title, goes into the
// signature: the lead paragraph, which reprints keep nearly verbatim.
const leadWords = 40

// minShingles is the least number of shingles a signature needs to mean
// anything; shorter texts never match.
const minShingles = 4

// Signature is the MinHash signature of an article's title and lead.
type Signature [Hashes]uint32

// ErrBadSignature is returned by Parse for bytes that are not a signature.
var ErrBadSignature = errors.New("malformed story signature")

// Lead returns the text that, with the title, identifies an article's story:
// the first words of its text, else of its feed description, else its gist.
func Lead(a news.Article) string {
	for _, s := range []string{a.Text, a.Content, a.Description, strings.Join(a.Summary.Gist, " ")} {
		if strings.TrimSpace(s) != "" {
			return firstWords(s, leadWords*2) // generous in raw words; Sign trims normalized ones
		}
	}
	return ""
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// shingles returns the distinct hashed word pairs of title and lead.
func shingles(title, lead string) []uint64 {
	words := textproc.Words(title)
	lw := textproc.Words(lead)
	if len(lw) > leadWords {
		lw = lw[:leadWords]
	}
	words = append(words, lw...)
	seen := make(map[uint64]struct{}, len(words))
	out := make([]uint64, 0, len(words))
	add := func(s string) {
		h := fnv.New64a()
		h.Write([]byte(s))
		v := h.Sum64()
		if _, ok := seen[v]; !ok {
			seen[v] = struct{}{}
			out = append(out, v)
		}
	}
	if len(words) == 1 {
		add(words[0])
	}
	for i := 0; i+1 < len(words); i++ {
		add(words[i] + " " + words[i+1])
	}
	return out
}

// seeds are the per-slot salts of the MinHash permutations, fixed so that
// signatures computed by any replica, at any time, compare.
var seeds = func() [Hashes]uint64 {
	var s [Hashes]uint64
	x := uint64(0x6d696772617761) // "migrawa"
	for i := range s {
		x = splitmix(x)
		s[i] = x
	}
	return s
}()

// splitmix is the SplitMix64 finalizer, a fast well-mixing 64-bit hash.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Sign computes the signature of an article's title and lead. ok is false
// when the text is too short to tell stories apart.
func Sign(title, lead string) (sig Signature, ok bool) {
	sh := shingles(title, lead)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	if len(sh) < minShingles {
		return sig, false
	}
	for _, v := range sh {
		for i, seed := range seeds {
			if h := uint32(splitmix(v^seed) >> 32); h < sig[i] {
				sig[i] = h
			}
		}
	}
	return sig, true
}

// SignArticle is Sign of an article's title and Lead.
func SignArticle(a news.Article) (Signature, bool) {
	return Sign(a.Title, Lead(a))
}

// Similarity estimates the Jaccard similarity of the shingle sets behind two
// signatures: the fraction of slots where they agree.
func Similarity(a, b Signature) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / Hashes
}

// BandKeys returns the signature's band hashes, one short string per band,
// prefixed by the band number so bands never collide with each other.
func (s Signature) BandKeys() []string {
	keys := make([]string, Bands)
	var buf [Rows * 4]byte
	for b := range Bands {
		for r := range Rows {
			binary.BigEndian.PutUint32(buf[r*4:], s[b*Rows+r])
		}
		h := fnv.New64a()
		h.Write(buf[:])
		var out [8]byte
		binary.BigEndian.PutUint64(out[:], h.Sum64())
		keys[b] = string(rune('a'+b)) + hex.EncodeToString(out[:6])
	}
	return keys
}

// Bytes encodes the signature for storage.
func (s Signature) Bytes() []byte {
	out := make([]byte, Hashes*4)
	for i, v := range s {
		binary.BigEndian.PutUint32(out[i*4:], v)
	}
	return out
}

// Parse decodes a signature encoded by Bytes.
func Parse(b []byte) (Signature, error) {
	var s Signature
	if len(b) != Hashes*4 {
		return s, ErrBadSignature
	}
	for i := range s {
		s[i] = binary.BigEndian.Uint32(b[i*4:])
	}
	return s, nil
}

// ID names the story an article starts: a stable hash of its feed and item
// key, so a replica that sees the same item again computes the same id.
func ID(a news.Article) string {
	h := sha256.Sum256([]byte(a.FeedID + "\x00" + a.Key))
	return hex.EncodeToString(h[:8])
}
