package archive

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
)

// TestArchive_OnRedisCluster runs the archive on a real Redis Cluster, where
// a script or transaction over keys of several slots fails with CROSSSLOT:
// MIGRAWATCH_TEST_CLUSTER lists its nodes (host:port,host:port,...).
func TestArchive_OnRedisCluster(t *testing.T) {
	addrs := os.Getenv("MIGRAWATCH_TEST_CLUSTER")
	if addrs == "" {
		t.Skip("no Redis Cluster (MIGRAWATCH_TEST_CLUSTER)")
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: strings.Split(addrs, ",")})
	t.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "mwtest:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		_ = rdb.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			it := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
			for it.Next(ctx) {
				c.Del(ctx, it.Val())
			}
			return nil
		})
	})
	st := store.New(rdb, prefix)
	c := &clock{now: time.Now().UTC().Truncate(time.Second)}
	x, err := New(Options{Store: st, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	now := c.Now()
	record(t, x, palatini(now)...)
	record(t, x, article("Le360", "https://le360.ma/b1", news.French, now.Add(-12*time.Hour),
		q("Palatini", "", "Nous accompagnons les communes qui accueillent les migrants")))
	both := article("2M.ma", "https://2m.ma/ar2", news.Arabic, now.Add(-10*time.Hour),
		q("لورا بالاتيني", "", "إدماج المهاجرين يتطلب مشاركة جميع الفاعلين المحليين"))
	both.Text = "قالت السيدة لورا بالاتيني (Laura Palatini) إن المشروع مهم."
	record(t, x, both)

	p, err := x.Search(ctx, "Palatini", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := links(p.Quotes); len(got) != 5 || got[0] != "https://2m.ma/ar2" {
		t.Errorf("Palatini on a cluster: %v", got)
	}
	id, _ := Identify("Laura Palatini")
	sp, err := x.SpeakerQuotes(ctx, id.ID, 0, 10)
	if err != nil || len(sp.Quotes) != 5 {
		t.Errorf("her button on a cluster: %v, %v", links(sp.Quotes), err)
	}
	w, err := x.Search(ctx, "voluntary dignity", 0, 10)
	if err != nil || !slices.Equal(links(w.Quotes), []string{"https://hespress.com/l1"}) {
		t.Errorf("words on a cluster: %v, %v", links(w.Quotes), err)
	}
	vs, err := x.Voices(ctx, nil, []string{"migration"}, 5)
	if err != nil || len(vs) != 3 || vs[0].Quotes != 4 { // her 3 + the Arabic one; "Palatini" alone counts apart
		t.Errorf("voices on a cluster: %+v, %v", vs, err)
	}
	if err := st.SetWeeklyVoices(ctx, -100, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ids, err := st.ClaimWeeklyVoices(ctx, now, time.Minute, 10); err != nil || !slices.Equal(ids, []int64{-100}) {
		t.Errorf("weekly claim on a cluster: %v, %v", ids, err)
	}
	if first, err := st.FirstQuoteTap(ctx, -100, 1, id.ID, time.Minute); err != nil || !first {
		t.Errorf("button mark on a cluster: %v, %v", first, err)
	}
}
