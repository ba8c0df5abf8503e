package feed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Class is what a failed fetch or parse means, whoever reports it: the poll
// metrics, /subscribe, /status and check-feed all read an error through
// Classify (or a stored error text through ClassifyText), so they agree.
type Class string

// The classes, from the most specific to the catch-all.
const (
	ClassPrivate           Class = "private"            // the SSRF guard refused the address
	ClassBadURL            Class = "bad_url"            // not an absolute http(s) URL
	ClassRobots            Class = "robots"             // robots.txt disallows the URL
	ClassRobotsUnreachable Class = "robots_unreachable" // robots.txt could not be read
	ClassStatus            Class = "status"             // an HTTP status other than 200 and 304
	ClassRedirects         Class = "redirects"          // too many redirects
	ClassTooLarge          Class = "too_large"          // the body is over the cap
	ClassEncoding          Class = "encoding"           // unusable character encoding
	ClassMalformed         Class = "malformed"          // a feed that cannot be parsed
	ClassNotAFeed          Class = "not_a_feed"         // a document that is no feed
	ClassNoArticles        Class = "no_articles"        // a listing page without articles
	ClassTimeout           Class = "timeout"            // the site was too slow
	ClassTLS               Class = "tls"                // the site's certificate was refused
	ClassNetwork           Class = "network"            // the site cannot be reached (DNS, refused, reset)
	ClassOther             Class = "other"              // none of the above
)

// Family groups the classes the way the poll metrics count them:
// "blocked", "http", "parse", "network" or "other".
func (c Class) Family() string {
	switch c {
	case ClassPrivate, ClassRobots:
		return "blocked"
	case ClassStatus:
		return "http"
	case ClassNotAFeed, ClassMalformed, ClassEncoding, ClassNoArticles:
		return "parse"
	case ClassTimeout, ClassTLS, ClassNetwork, ClassRobotsUnreachable:
		return "network"
	}
	return "other"
}

// sentinels maps each sentinel error to its class, most specific first.
var sentinels = []struct {
	err   error
	class Class
}{
	{ErrPrivateAddress, ClassPrivate},
	{ErrBadURL, ClassBadURL},
	{ErrRobotsUnreachable, ClassRobotsUnreachable},
	{ErrDisallowed, ClassRobots},
	{ErrTooManyRedirects, ClassRedirects},
	{ErrTooLarge, ClassTooLarge},
	{ErrEncoding, ClassEncoding},
	{ErrMalformed, ClassMalformed},
	{ErrNoArticles, ClassNoArticles},
	{ErrNotAFeed, ClassNotAFeed},
}

// Classify says what err, as the fetcher, the parser or the page reader
// returned it, means. A nil error is ClassOther.
func Classify(err error) Class {
	if err == nil {
		return ClassOther
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.class
		}
	}
	var (
		se   *StatusError
		cert *tls.CertificateVerificationError
		unk  x509.UnknownAuthorityError
		host x509.HostnameError
		inv  x509.CertificateInvalidError
		rec  tls.RecordHeaderError
		ne   net.Error
	)
	switch {
	case errors.As(err, &se):
		return ClassStatus
	case errors.As(err, &cert), errors.As(err, &unk), errors.As(err, &host), errors.As(err, &inv), errors.As(err, &rec):
		return ClassTLS
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return ClassTimeout
	case errors.As(err, &ne) && ne.Timeout():
		return ClassTimeout
	case isNetwork(err):
		return ClassNetwork
	}
	return ClassOther
}

// isNetwork reports a failure to reach the site: a name that does not
// resolve, a refused or reset connection, a server that hangs up mid-answer.
func isNetwork(err error) bool {
	var (
		dns *net.DNSError
		op  *net.OpError
	)
	return errors.As(err, &dns) || errors.As(err, &op) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// A feed's last error reaches /status as the text the poller stored. The
// texts below are those of the errors Classify knows; a test feeds the real
// errors through, so a reworded error cannot go unnoticed.
var (
	statusTextRE = regexp.MustCompile(`HTTP status (\d{3})`)
	textMarks    = []struct {
		class Class
		marks []string
	}{
		{ClassNotAFeed, []string{"got an HTML page, not a feed", "is not an RSS, Atom or JSON feed"}},
		{ClassPrivate, []string{"refusing to connect to"}},
		// The messages of net/http, net and crypto/tls for a site that is
		// too slow, whose certificate is refused, or that cannot be reached.
		{ClassTLS, []string{"x509:", "tls:", "certificate"}},
		{ClassTimeout, []string{"deadline exceeded", "timeout", "Timeout"}},
		{ClassNetwork, []string{"dial tcp", "no such host", "connection refused", "connection reset", "EOF", "network is unreachable", "server misbehaving"}},
	}
)

// ClassifyText says what a stored error text means; code is the HTTP status
// of a ClassStatus text. ok is false for a text none of the known errors
// wrote.
func ClassifyText(text string) (class Class, code int, ok bool) {
	if strings.Contains(text, textMarks[0].marks[0]) || strings.Contains(text, textMarks[0].marks[1]) {
		return ClassNotAFeed, 0, true
	}
	for _, s := range sentinels {
		if strings.Contains(text, s.err.Error()) {
			return s.class, 0, true
		}
	}
	if m := statusTextRE.FindStringSubmatch(text); m != nil {
		code, _ = strconv.Atoi(m[1])
		return ClassStatus, code, true
	}
	for _, tm := range textMarks[1:] {
		for _, m := range tm.marks {
			if strings.Contains(text, m) {
				return tm.class, 0, true
			}
		}
	}
	return ClassOther, 0, false
}
