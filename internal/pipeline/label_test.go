package pipeline

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/migrawatch/migrawatch/internal/feed"
)

func TestResult_LabelCountsEachErrorInItsFamily(t *testing.T) {
	// A host name that does not resolve, as the fetcher's dialer reports it.
	noDNS := feed.NewFetcher(feed.Options{AllowPrivateAddresses: true, Resolver: func(context.Context, string) ([]netip.Addr, error) {
		return nil, errors.New("no such host")
	}})
	_, dnsErr := noDNS.Fetch(context.Background(), feed.Request{URL: "http://nowhere.test/rss"})
	var dns *net.DNSError
	if !errors.As(dnsErr, &dns) {
		t.Fatalf("the fetch failed otherwise: %v", dnsErr)
	}
	for _, tt := range []struct {
		name string
		r    Result
		want string
	}{
		{"ok", Result{Outcome: OutcomeOK}, "ok"},
		{"304", Result{Outcome: OutcomeNotModified}, "not_modified"},
		{"dns", Result{Outcome: OutcomeError, Err: dnsErr}, "error_network"},
		{"refused", Result{Outcome: OutcomeError, Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}, "error_network"},
		{"timeout", Result{Outcome: OutcomeError, Err: context.DeadlineExceeded}, "error_network"},
		{"http", Result{Outcome: OutcomeError, Err: &feed.StatusError{Code: 503}}, "error_http"},
		{"robots", Result{Outcome: OutcomeError, Err: feed.ErrDisallowed}, "error_blocked"},
		{"private", Result{Outcome: OutcomeError, Err: feed.ErrPrivateAddress}, "error_blocked"},
		{"parse", Result{Outcome: OutcomeError, Err: feed.ErrMalformed}, "error_parse"},
		{"listing", Result{Outcome: OutcomeError, Err: feed.ErrNoArticles}, "error_parse"},
		{"unknown", Result{Outcome: OutcomeError, Err: errors.New("something else")}, "error_other"},
		{"no error", Result{Outcome: OutcomeError}, "error_other"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Label(); got != tt.want {
				t.Errorf("Label() = %q, want %q", got, tt.want)
			}
		})
	}
}
