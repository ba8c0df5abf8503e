package store_test

import (
	"testing"

	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

// TestCluster_FeedsLeasesAlertsStats runs this package's feed, lease, alert
// and statistics tests again on a real three-master Redis Cluster. (Pub/sub
// on Cluster reaches every node over the cluster bus, in no promised order
// across publishers; the alert index reloads per chat and needs none, so
// the change-notice test checks that every notice comes, in any order.)
func TestCluster_FeedsLeasesAlertsStats(t *testing.T) {
	storetest.OnCluster(t, map[string]func(*testing.T){
		"AlertsAddListRemoveWithLimit":     TestAlerts_AddListRemoveWithLimit,
		"AlertsAllAlertsScansEveryChat":    TestAlerts_AllAlertsScansEveryChat,
		"AlertsWatchSeesChanges":           TestAlerts_WatchSeesChangesFromAnotherClient,
		"RecentKeepsNewestBoundedAndFresh": TestRecent_KeepsNewestBoundedAndFresh,
		"FeedsRegisterKeepsPollingState":   TestFeeds_RegisterKeepsPollingStateAndLists,
		"FeedsLeaseIsExclusive":            TestFeeds_LeaseIsExclusiveAndOnlyItsOwnerReleasesIt,
		"FeedsSeenSetIsBounded":            TestFeeds_SeenSetIsBoundedByCountAndAge,
		"LeaseAcquireIsExclusive":          TestLease_AcquireIsExclusiveUntilReleased,
		"LeaseRenewExtendsOnlyTheHolders":  TestLease_RenewExtendsOnlyTheHoldersLease,
		"LeaseConcurrentAcquireOneWinner":  TestLease_ConcurrentAcquireHasOneWinner,
		"DeleteAndMigrateNotifyAlerts":     TestStore_DeleteAndMigrateChatNotifyAlertIndexes,
		"StoryCountsPerDayAndLanguage":     TestStore_StoryCountsPerDayAndLanguage,
		"DeliveriesCountsPerMinute":        TestStore_DeliveriesCountsPerMinuteFromSince,
		"LastDeliveryKeepsTheLatest":       TestStore_LastDeliveryKeepsTheLatestPerChat,
		"QueueReportsOutboxSizes":          TestStore_QueueReportsOutboxSizes,
		"PageOffersExpireAndStayBounded":   TestStore_PageOffersExpireAndStayBounded,
	})
}
