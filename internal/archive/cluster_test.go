package archive

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/store"
	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

// TestArchive_OnRedisCluster runs the archive on a real three-master Redis
// Cluster (storetest.Cluster), where a script or transaction over keys of
// several slots fails with CROSSSLOT.
func TestArchive_OnRedisCluster(t *testing.T) {
	rdb, prefix := storetest.Cluster(t)
	ctx := context.Background()
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
