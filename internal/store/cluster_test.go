package store

import (
	"testing"

	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

// TestCluster_ChatsOutboxStories runs this package's chat, outbox, rate-limit
// and story tests again on a real three-master Redis Cluster: every
// multi-key write stays within one slot or is split into single-slot steps,
// so none of them meets CROSSSLOT.
func TestCluster_ChatsOutboxStories(t *testing.T) {
	storetest.OnCluster(t, map[string]func(*testing.T){
		"SaveAndLoadFillsDefaults":             TestChats_SaveAndLoadFillsDefaults,
		"RoundTripsEverySetting":               TestChats_RoundTripsEverySetting,
		"SubscribeKeepsBothIndexes":            TestChats_SubscribeKeepsBothIndexes,
		"SetTopicsAndStatus":                   TestChats_SetTopicsAndStatus,
		"DeleteRemovesEveryKeyAndReverseIndex": TestChats_DeleteRemovesEveryKeyAndReverseIndex,
		"MigrateMovesEveryKey":                 TestChats_MigrateMovesEveryKey,
		"ListsEveryChat":                       TestChats_ListsEveryChat,
		"EditTargetSurvivesSaveChat":           TestChats_EditTargetSurvivesSaveChat,
		"RouteQueuesOncePerChatAndStory":       TestOutbox_RouteQueuesOncePerChatAndStory,
		"UnackedJobsAreReclaimedAckedOnesNot":  TestOutbox_UnackedJobsAreReclaimedAckedOnesNot,
		"RetryWaitsInDelayedSet":               TestOutbox_RetryWaitsInDelayedSet,
		"SentMarks":                            TestOutbox_SentMarks,
		"GCRASpacesAndHolds":                   TestRateLimit_GCRASpacesAndHolds,
		"StoriesCreateFindJoin":                TestStories_CreateFindJoin,
	})
}
