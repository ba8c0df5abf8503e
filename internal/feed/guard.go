package feed

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// Special-purpose ranges refused by the SSRF guard in addition to the classes
// net/netip names (RFC 6890 and its successors).
var refusedPrefixes = []struct {
	prefix netip.Prefix
	class  string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},            // RFC 1122 "this network"
	{netip.MustParsePrefix("100.64.0.0/10"), "private (CGNAT)"},    // RFC 6598 shared address space
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},            // RFC 6890 IETF protocol assignments
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},       // RFC 5737 TEST-NET-1
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},       // RFC 2544
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},    // RFC 5737 TEST-NET-2
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},     // RFC 5737 TEST-NET-3
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},             // RFC 1112 class E and broadcast
	{netip.MustParsePrefix("64:ff9b:1::/48"), "private (NAT64)"},   // RFC 8215 local-use NAT64
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},      // RFC 3849
	{netip.MustParsePrefix("fec0::/10"), "private (site-local)"},   // RFC 3879 deprecated site-local
	{netip.MustParsePrefix("100::/64"), "reserved (discard-only)"}, // RFC 6666
}

// addressClass returns "" for an address MigraWatch may connect to, else the
// name of the class that makes it unsafe to fetch on behalf of a user.
// IPv4-mapped and IPv4-compatible IPv6 forms are judged as the IPv4 address
// they carry, and NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses by the
// IPv4 address they embed, so no spelling of 127.0.0.1 gets through.
func addressClass(a netip.Addr) string {
	if !a.IsValid() {
		return "invalid"
	}
	a = a.Unmap()
	if a.Is6() {
		b := a.As16()
		// IPv4-compatible ::a.b.c.d (deprecated, RFC 4291 2.5.5.1).
		if a != netip.IPv6Unspecified() && a != netip.IPv6Loopback() && isZero(b[:12]) {
			if c := addressClass(netip.AddrFrom4([4]byte(b[12:16]))); c != "" {
				return c + " (IPv4-compatible IPv6)"
			}
		}
		// NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
		if netip.MustParsePrefix("64:ff9b::/96").Contains(a) {
			if c := addressClass(netip.AddrFrom4([4]byte(b[12:16]))); c != "" {
				return c + " (NAT64)"
			}
		}
		// 6to4 2002:V4ADDR::/48 (RFC 3056).
		if b[0] == 0x20 && b[1] == 0x02 {
			if c := addressClass(netip.AddrFrom4([4]byte(b[2:6]))); c != "" {
				return c + " (6to4)"
			}
		}
	}
	switch {
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast(), a.IsMulticast():
		return "multicast"
	}
	if a.Is4() && a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return "broadcast"
	}
	for _, r := range refusedPrefixes {
		if r.prefix.Contains(a) {
			return r.class
		}
	}
	return ""
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// checkAddress is the SSRF guard's verdict on a "host:port" the dialer is
// about to connect to.
func checkAddress(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if i := strings.IndexByte(host, '%'); i >= 0 { // zone: fe80::1%eth0
		host = host[:i]
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return &AddressError{Addr: host, Class: "unparsable"}
	}
	if c := addressClass(a); c != "" {
		return &AddressError{Addr: a.String(), Class: c}
	}
	return nil
}

// dialControl runs in the dialer after DNS resolution and before connect(2),
// for every connection including those made for redirects, so a hostname
// that resolves (or re-resolves) to a private address is refused no matter
// how it was reached.
func (f *Fetcher) dialControl(network, address string, _ syscall.RawConn) error {
	if f.opts.AllowPrivateAddresses {
		return nil
	}
	if f.permit != nil {
		host, _, _ := net.SplitHostPort(address)
		if a, err := netip.ParseAddr(host); err == nil && f.permit(a.Unmap()) {
			return nil
		}
	}
	return checkAddress(address)
}

// checkURL refuses URLs MigraWatch never fetches: other schemes than http and
// https, credentials in the URL, and missing hosts. Literal IP hosts are
// judged by the guard here already, so the error is the same with or
// without a proxy in between.
func (f *Fetcher) checkURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return fmt.Errorf("%w: scheme %q (only http and https)", ErrBadURL, u.Scheme)
	}
	if u.User != nil {
		return fmt.Errorf("%w: credentials in the URL are not accepted", ErrBadURL)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%w: no host in %q", ErrBadURL, u.String())
	}
	if f.opts.AllowPrivateAddresses {
		return nil
	}
	if a, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if f.permit != nil && f.permit(a.Unmap()) {
			return nil
		}
		if c := addressClass(a); c != "" {
			return &AddressError{Addr: a.String(), Class: c}
		}
	}
	if h := strings.ToLower(u.Hostname()); numericHost(h) {
		// 2130706433, 0x7f.1, 0177.0.0.1: inet_aton spellings some resolvers
		// turn into an address; no public feed is named like that.
		return &AddressError{Addr: h, Class: "ambiguous numeric"}
	}
	if h := strings.ToLower(u.Hostname()); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return &AddressError{Addr: h, Class: "loopback"}
	}
	return nil
}

// numericHost reports whether a host name that did not parse as an IP
// address is made only of digits, dots and hex prefixes.
func numericHost(h string) bool {
	if h == "" {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		l := strings.TrimPrefix(label, "0x")
		if label == "" || strings.Trim(l, "0123456789abcdef") != "" || (l != label && l == "") {
			return false
		}
		if l == label && strings.Trim(label, "0123456789") != "" {
			return false
		}
	}
	return true
}
