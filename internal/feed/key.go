package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"time"
)

// SourceID is the id of a feed a user adds: "u" followed by the first 12 hex
// digits of the SHA-256 of its canonical URL, so the same feed added twice
// (with tracking parameters, another case of host, a fragment) gets one id.
func SourceID(rawURL string) string {
	sum := sha256.Sum256([]byte(CanonicalURL(rawURL)))
	return "u" + hex.EncodeToString(sum[:])[:12]
}

// trackingParams are query parameters that identify a campaign or a click,
// not a document.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true, "msclkid": true,
	"yclid": true, "mc_cid": true, "mc_eid": true, "igshid": true, "twclid": true, "ttclid": true,
	"traffic_source": true, "xtor": true, "at_medium": true, "at_campaign": true, "ocid": true,
	"cmpid": true, "ito": true, "ns_mchannel": true, "ns_source": true, "ns_campaign": true,
	"ns_linkname": true, "ns_fee": true, "_ga": true, "_gl": true, "ref_src": true, "__twitter_impression": true,
	"spm": true, "hpt": true, "hpid": true, "xtref": true, "xtcr": true,
}

// CanonicalURL normalizes a URL for identity: scheme and host lower-cased,
// default port dropped, fragment dropped, tracking parameters (utm_*, the
// at_* of AT Internet, fbclid, gclid, xtor, hpt, ...) removed and the rest
// sorted, and an empty path made "/". A string that does not parse is
// returned trimmed.
func CanonicalURL(rawURL string) string {
	rawURL = strings.TrimSpace(rawURL)
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return rawURL
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	host = strings.TrimSuffix(host, ".")
	if (u.Scheme == "http" && strings.HasSuffix(host, ":80")) || (u.Scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	if u.Path == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			lk := strings.ToLower(k)
			if strings.HasPrefix(lk, "utm_") || strings.HasPrefix(lk, "at_") || trackingParams[lk] {
				q.Del(k)
			}
		}
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			vs := q[k]
			for _, v := range vs {
				if b.Len() > 0 {
					b.WriteByte('&')
				}
				b.WriteString(url.QueryEscape(k))
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
		u.RawQuery = b.String()
	}
	u.ForceQuery = false
	return u.String()
}

// itemKey is the stable identity of an item: its GUID, else its canonical
// link, else a hash of title and date.
func itemKey(guid, link, title string, published time.Time, dateText string) string {
	if g := strings.TrimSpace(guid); g != "" {
		if strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
			// Permalink GUIDs often carry tracking parameters that change.
			g = CanonicalURL(g)
		}
		if len(g) > 512 {
			sum := sha256.Sum256([]byte(g))
			return "g:" + hex.EncodeToString(sum[:16])
		}
		return g
	}
	if link != "" {
		return CanonicalURL(link)
	}
	d := dateText
	if !published.IsZero() {
		d = published.UTC().Format(time.RFC3339)
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(title) + "\x00" + d))
	return "h:" + hex.EncodeToString(sum[:16])
}
