using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

/// <summary>Two instances on one database behave as two nodes sharing a store.</summary>
public abstract partial class StoreSpecification
{
    [SkippableFact]
    public async Task Two_instances_appending_to_one_conversation_keep_seqs_gapless()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var other = Open(new RecordingObserver());
        IConversationStore[] nodes = [Conversations, other.Conversations];

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async appender =>
        {
            var mine = new List<AppendResult>();
            for (var i = 0; i < 10; i++)
            {
                // Alternate nodes so each one's view of the conversation is stale half of the time.
                var node = nodes[(appender + i) % 2];
                mine.Add(await node.AppendAsync(Text(conversation, $"n-{appender}-{i}"), None).Within());
            }
            return mine;
        })).Within();

        Assert.All(results.SelectMany(r => r), r => Assert.Equal(AppendOutcome.Appended, r.Outcome));
        AssertGapless(results.SelectMany(r => r).Select(r => r.Message!.Seq), 200);
        var repeat = await other.Conversations.AppendAsync(Text(conversation, "n-0-0"), None).Within();
        Assert.Equal(AppendOutcome.Duplicate, repeat.Outcome);
    }

    [SkippableFact]
    public async Task Two_instances_assigning_at_once_never_exceed_capacity()
    {
        var world = await BootstrapAsync();
        var conversations = new List<Conversation>();
        for (var i = 0; i < 40; i++)
        {
            conversations.Add(await NewConversationAsync(world));
        }
        var other = Open(new RecordingObserver());
        AgentCandidate[] candidates = [new("a_one", "One", 4), new("a_two", "Two", 3)];

        var assignments = await Task.WhenAll(conversations.Select((c, i) =>
            (i % 2 == 0 ? Conversations : other.Conversations).TryAssignAsync(c.Id, candidates, None))).Within();

        Assert.Equal(7, assignments.Count(a => a is not null));
        var loads = await Conversations.GetAgentLoadsAsync(["a_one", "a_two"], None).Within();
        Assert.Equal([new("a_one", 4), new AgentLoad("a_two", 3)], loads);
    }

    [SkippableFact]
    public async Task A_conversation_closed_by_one_instance_is_closed_for_the_other()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var other = Open(new RecordingObserver());
        await other.Conversations.AppendAsync(Text(conversation, "warm"), None).Within();

        await Conversations.CloseAsync(conversation.Id, world.Admin.Id, "agent", null, None).Within();
        var late = await other.Conversations.AppendAsync(Text(conversation, "late"), None).Within();

        Assert.Equal(AppendOutcome.Closed, late.Outcome);
    }

    [SkippableFact]
    public async Task A_requeue_expecting_an_agent_the_other_instance_transferred_the_conversation_from_changes_nothing()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var other = Open(new RecordingObserver());
        await Conversations.TryAssignAsync(conversation.Id, [new("a_x", "X", 5)], None).Within();
        // This instance has the conversation as a_x's at hand; the other transfers it to a_y.
        Assert.Equal("a_x", (await Conversations.GetConversationAsync(conversation.Id, None).Within())!.AssigneeId);
        var moved = await other.Conversations.TransferAsync(conversation.Id, new("a_y", "Y", 5), new RoutingActor("a_admin", SenderTypes.Agent, "Admin", null), None).Within();
        var changes = Observer.Changes.Count;

        // a_x's grace period ends here after the transfer: the requeue meant for a_x must not take it from a_y.
        var offline = new RoutingActor(SenderTypes.System, SenderTypes.System, null, "agent offline");
        Assert.Null(await Conversations.RequeueAsync(conversation.Id, null, "a_x", offline, None).Within());
        var kept = await Conversations.GetConversationAsync(conversation.Id, None).Within();
        Assert.Equal((ConversationStatuses.Open, "a_y", moved!.Conversation.LastSeq), (kept!.Status, kept.AssigneeId, kept.LastSeq));
        Assert.Equal(changes, Observer.Changes.Count);

        var requeued = await Conversations.RequeueAsync(conversation.Id, null, "a_y", offline, None).Within();
        Assert.Equal((ConversationStatuses.Queued, null), (requeued!.Status, requeued.AssigneeId));
        var events = await other.Conversations.ReadAfterAsync(conversation.Id, 0, 10, None).Within();
        AssertMeta(events[^1], "unassigned", ("fromAgentId", "a_y"));
        Assert.Equal(0, (await Conversations.GetAgentLoadsAsync(["a_y"], None).Within())[0].OpenConversations);
    }

    [SkippableFact]
    public async Task The_same_message_sent_through_two_instances_at_once_is_stored_once()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var other = Open(new RecordingObserver());
        IConversationStore[] nodes = [Conversations, other.Conversations];

        // Every message goes through both nodes at the same moment, as a client retrying on another node would.
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => nodes[i % 2].AppendAsync(Text(conversation, $"twin-{i / 2}"), None))).Within();

        foreach (var pair in results.GroupBy(r => r.Message!.ClientMsgId))
        {
            Assert.Single(pair, r => r.Outcome == AppendOutcome.Appended);
            Assert.Single(pair.Select(r => r.Message).Distinct());
        }
        var stored = await Conversations.ReadAfterAsync(conversation.Id, 0, 100, None).Within();
        AssertGapless(stored.Select(m => m.Seq), 20);
    }
}
