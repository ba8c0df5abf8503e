package deliver_test

import (
	"testing"

	"github.com/migrawatch/migrawatch/internal/store/storetest"
)

// TestCluster_Delivery runs the delivery tests again with the store on a
// real three-master Redis Cluster (started by the suite): routing, the
// outbox, rate limits and sent marks work there without CROSSSLOT.
func TestCluster_Delivery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Redis Cluster")
	}
	storetest.OnCluster(t, map[string]func(*testing.T){
		"SeedReachesPrivateGroupAndChannel": TestDeliver_SeedReachesPrivateGroupAndChannelNotUnrelated,
		"ReprintJoinsStory":                 TestRouter_ReprintJoinsStoryAlsoReportedBy,
		"Waits429RetryAfter":                TestSender_Waits429RetryAfterAndDelivers,
		"BlockedChatPaused":                 TestSender_BlockedChatPausedOthersUnaffected,
		"MigratedGroupDeliveredToNewID":     TestSender_MigratedGroupDeliveredToNewID,
		"GivesUpToDeadStream":               TestSender_GivesUpAfterMaxAttemptsToDeadStream,
		"KilledBetweenSendAndAck":           TestSender_KilledBetweenSendAndAckRestartDeliversAllAtMostOneDuplicate,
		"GracefulRestartNoDuplicate":        TestSender_GracefulRestartNoDuplicate,
		"QuietHoursDeferToTheirEnd":         TestRouter_QuietHoursDeferToTheirEnd,
		"DigestAtDigestTime":                TestDigester_OneDigestAtDigestTimeEmptySendsNothing,
		"HandsBackJobsResumedAtOnce":        TestSender_StoppedSenderHandsBackJobsResumedAtOnce,
		"JobsFollowMigratedGroup":           TestSender_JobsQueuedForAMigratedGroupFollowItToTheNewID,
		"QuietOffReleasesHeldMessages":      TestSender_QuietOffReleasesHeldMessages,
	})
}
