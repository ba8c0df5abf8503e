package deliver_test

import (
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/deliver"
)

func TestQuietUntil(t *testing.T) {
	casa, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Skip("no tz database")
	}
	day := func(h, m int) time.Time { return time.Date(2024, 2, 16, h, m, 0, 0, casa) }
	for _, tc := range []struct {
		quiet string
		now   time.Time
		want  time.Time // zero: not quiet
	}{
		{"22:00-07:00", day(23, 30), time.Date(2024, 2, 17, 7, 0, 0, 0, casa)},
		{"22:00-07:00", day(3, 0), day(7, 0)},
		{"22:00-07:00", day(7, 0), time.Time{}},
		{"22:00-07:00", day(12, 0), time.Time{}},
		{"13:00-15:00", day(14, 59), day(15, 0)},
		{"13:00-15:00", day(15, 0), time.Time{}},
		{"", day(3, 0), time.Time{}},
		{"25:00-07:00", day(3, 0), time.Time{}},
		{"07:00-07:00", day(7, 0), time.Time{}},
	} {
		got, ok := deliver.QuietUntil(tc.quiet, casa, tc.now.UTC())
		if ok != !tc.want.IsZero() || (ok && !got.Equal(tc.want)) {
			t.Errorf("QuietUntil(%q, %v) = %v, %v; want %v", tc.quiet, tc.now, got, ok, tc.want)
		}
	}
}

func TestNextDigest(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no tz database")
	}
	now := time.Date(2024, 2, 16, 0, 30, 0, 0, time.UTC) // 09:30 in Tokyo
	for _, tc := range []struct {
		at   string
		want time.Time
	}{
		{"08:00", time.Date(2024, 2, 17, 8, 0, 0, 0, tokyo)},
		{"09:30", time.Date(2024, 2, 17, 9, 30, 0, 0, tokyo)},
		{"20:15", time.Date(2024, 2, 16, 20, 15, 0, 0, tokyo)},
		{"junk", time.Date(2024, 2, 17, 8, 0, 0, 0, tokyo)},
	} {
		if got := deliver.NextDigest(tc.at, tokyo, now); !got.Equal(tc.want) {
			t.Errorf("NextDigest(%q) = %v, want %v", tc.at, got, tc.want)
		}
	}
}
