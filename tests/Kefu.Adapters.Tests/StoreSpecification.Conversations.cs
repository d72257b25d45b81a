using System.Text.Json;
using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

public abstract partial class StoreSpecification
{
    [SkippableFact]
    public async Task A_started_conversation_is_queued_with_no_messages_and_is_reported()
    {
        var world = await BootstrapAsync();
        var visitor = await NewVisitorAsync(world);

        var start = await Conversations.StartConversationAsync(
            new StartConversation(world.Tenant.Id, world.Site.Id, visitor.Id, world.Team.Id, null), None).Within();

        Assert.True(start.Started);
        Assert.Equal("queued", start.Conversation.Status);
        Assert.Equal(0, start.Conversation.LastSeq);
        Assert.Equal(world.Team.Id, start.Conversation.TeamId);
        Assert.StartsWith("c_", start.Conversation.Id, StringComparison.Ordinal);
        Assert.Equal(start.Conversation, Assert.IsType<ConversationUpdated>(Observer.Changes[^1]).Conversation);
        Assert.Equal(start.Conversation, await Conversations.GetConversationAsync(start.Conversation.Id, None).Within());
    }

    [SkippableFact]
    public async Task Twenty_concurrent_starts_for_one_visitor_give_one_conversation()
    {
        var world = await BootstrapAsync();
        var visitor = await NewVisitorAsync(world);
        var request = new StartConversation(world.Tenant.Id, world.Site.Id, visitor.Id, world.Team.Id, null);

        var starts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Conversations.StartConversationAsync(request, None))).Within();

        Assert.Single(starts, s => s.Started);
        Assert.Single(starts.Select(s => s.Conversation.Id).Distinct());
        Assert.Single(await Conversations.ListForVisitorAsync(visitor.Id, 10, None).Within());
    }

    [SkippableFact]
    public async Task A_repeated_client_conv_id_returns_the_same_conversation()
    {
        var world = await BootstrapAsync();
        var visitor = await NewVisitorAsync(world);
        var request = new StartConversation(world.Tenant.Id, world.Site.Id, visitor.Id, world.Team.Id, "cc-1");

        var first = await Conversations.StartConversationAsync(request, None).Within();
        await Conversations.CloseAsync(first.Conversation.Id, visitor.Id, "visitor", null, None).Within();
        var retry = await Conversations.StartConversationAsync(request, None).Within();
        var next = await Conversations.StartConversationAsync(request with { ClientConvId = "cc-2" }, None).Within();

        Assert.False(retry.Started);
        Assert.Equal(first.Conversation.Id, retry.Conversation.Id);
        Assert.True(next.Started);
        Assert.NotEqual(first.Conversation.Id, next.Conversation.Id);
    }

    [SkippableFact]
    public async Task Assignment_never_exceeds_capacity_under_100_concurrent_attempts()
    {
        var world = await BootstrapAsync();
        var conversations = new List<Conversation>();
        for (var i = 0; i < 100; i++)
        {
            conversations.Add(await NewConversationAsync(world));
        }
        AgentCandidate[] candidates = [new("a_one", "One", 5), new("a_two", "Two", 10), new("a_three", "Three", 3)];

        var assignments = await Task.WhenAll(conversations.Select(c => Conversations.TryAssignAsync(c.Id, candidates, None))).Within();

        Assert.Equal(18, assignments.Count(a => a is not null));
        var loads = await Conversations.GetAgentLoadsAsync(["a_one", "a_two", "a_three", "a_none"], None).Within();
        Assert.Equal([new("a_one", 5), new("a_two", 10), new("a_three", 3), new AgentLoad("a_none", 0)], loads);
        Assert.Equal(82, (await Conversations.ListQueuedAsync(world.Tenant.Id, 1000, None).Within()).Count);
    }

    [SkippableFact]
    public async Task Assignment_picks_the_least_loaded_candidate_and_breaks_ties_by_order()
    {
        var world = await BootstrapAsync();
        AgentCandidate[] candidates = [new("a_first", "First", 2), new("a_second", "Second", 2)];
        var picked = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            var conversation = await NewConversationAsync(world);
            picked.Add((await Conversations.TryAssignAsync(conversation.Id, candidates, None).Within())?.Conversation.AssigneeId);
        }

        Assert.Equal(["a_first", "a_second", "a_first", "a_second", null], picked);
        Assert.Equal(2, (await Conversations.ListOpenForAgentAsync("a_first", None).Within()).Count);
    }

    [SkippableFact]
    public async Task Assignment_opens_the_conversation_and_appends_an_assigned_event()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        await AppendAsync(conversation, "question");

        var assignment = await Conversations.TryAssignAsync(conversation.Id, [new("a_x", "Xiao Wang", 3)], None).Within();

        Assert.NotNull(assignment);
        Assert.Equal("open", assignment.Conversation.Status);
        Assert.Equal("a_x", assignment.Conversation.AssigneeId);
        Assert.Equal("Xiao Wang", assignment.Conversation.AssigneeName);
        Assert.Equal(2, assignment.Conversation.LastSeq);
        AssertEvent(assignment.Event, 2, "assigned");
        using (var meta = JsonDocument.Parse(assignment.Event.MetaJson!))
        {
            Assert.Equal("a_x", meta.RootElement.GetProperty("agentId").GetString());
            Assert.Equal("Xiao Wang", meta.RootElement.GetProperty("agentName").GetString());
        }
        var changes = Observer.Changes;
        Assert.Equal(assignment.Event, Assert.IsType<MessageAppended>(changes[^2]).Message);
        Assert.Equal(assignment.Conversation, Assert.IsType<ConversationUpdated>(changes[^1]).Conversation);
        Assert.Equal(assignment.Conversation, await Conversations.GetConversationAsync(conversation.Id, None).Within());
        Assert.Null(await Conversations.TryAssignAsync(conversation.Id, [new("a_y", "Y", 3)], None).Within());
    }

    [SkippableFact]
    public async Task Closing_appends_a_closed_event_and_a_second_close_is_already_closed()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);

        var closed = await Conversations.CloseAsync(conversation.Id, world.Admin.Id, "agent", "Admin", None).Within();
        var again = await Conversations.CloseAsync(conversation.Id, world.Admin.Id, "agent", "Admin", None).Within();
        var missing = await Conversations.CloseAsync("c_missing", world.Admin.Id, "agent", null, None).Within();

        Assert.Equal(CloseOutcome.Closed, closed.Outcome);
        Assert.Equal("closed", closed.Conversation!.Status);
        Assert.NotNull(closed.Conversation.ClosedAt);
        Assert.Equal(1, closed.Conversation.LastSeq);
        var stored = Assert.Single(await Conversations.ReadAfterAsync(conversation.Id, 0, 10, None).Within());
        AssertEvent(stored, 1, "closed");
        using (var meta = JsonDocument.Parse(stored.MetaJson!))
        {
            Assert.Equal(world.Admin.Id, meta.RootElement.GetProperty("by").GetString());
            Assert.Equal("agent", meta.RootElement.GetProperty("byType").GetString());
        }
        Assert.Equal(CloseOutcome.AlreadyClosed, again.Outcome);
        Assert.Equal(CloseOutcome.NotFound, missing.Outcome);
        Assert.Equal(closed.Conversation, Assert.IsType<ConversationUpdated>(Observer.Changes[^1]).Conversation);
    }

    [SkippableFact]
    public async Task Conversation_lists_are_ordered_and_filtered()
    {
        var world = await BootstrapAsync();
        var visitor = await NewVisitorAsync(world);
        var request = new StartConversation(world.Tenant.Id, world.Site.Id, visitor.Id, world.Team.Id, null);
        var first = (await Conversations.StartConversationAsync(request, None).Within()).Conversation;
        await Conversations.CloseAsync(first.Id, visitor.Id, "visitor", null, None).Within();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = (await Conversations.StartConversationAsync(request, None).Within()).Conversation;
        Clock.Advance(TimeSpan.FromSeconds(1));
        var other = await NewConversationAsync(world);
        await Conversations.TryAssignAsync(other.Id, [new("a_z", "Z", 5)], None).Within();

        var forVisitor = await Conversations.ListForVisitorAsync(visitor.Id, 10, None).Within();
        var queued = await Conversations.ListQueuedAsync(world.Tenant.Id, 10, None).Within();
        var forAgent = await Conversations.ListOpenForAgentAsync("a_z", None).Within();

        Assert.Equal([second.Id, first.Id], forVisitor.Select(c => c.Id));
        Assert.Equal([second.Id], queued.Select(c => c.Id));
        Assert.Equal([other.Id], forAgent.Select(c => c.Id));
        Assert.Single(await Conversations.ListForVisitorAsync(visitor.Id, 1, None).Within());
    }

    [SkippableFact]
    public async Task Lists_for_many_users_at_once_give_each_user_what_its_own_list_gives()
    {
        var world = await BootstrapAsync();
        var busy = await NewVisitorAsync(world);
        var request = new StartConversation(world.Tenant.Id, world.Site.Id, busy.Id, world.Team.Id, null);
        var busyIds = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var started = (await Conversations.StartConversationAsync(request, None).Within()).Conversation;
            busyIds.Insert(0, started.Id);
            await Conversations.TryAssignAsync(started.Id, [new("a_busy", "Busy", 10)], None).Within();
            if (i < 3)
            {
                await Conversations.CloseAsync(started.Id, busy.Id, "visitor", null, None).Within();
            }
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var single = await NewConversationAsync(world);
        await Conversations.TryAssignAsync(single.Id, [new("a_other", "Other", 10)], None).Within();
        var silent = await NewVisitorAsync(world);
        string[] visitors = [single.VisitorId, busy.Id, silent.Id, "v_nobody"];
        string[] agents = ["a_busy", "a_other", "a_nobody"];

        var forVisitors = await Conversations.ListForVisitorsAsync(visitors, 3, None).Within();
        var forAgents = await Conversations.ListOpenForAgentsAsync(agents, None).Within();

        foreach (var visitor in visitors)
        {
            var alone = await Conversations.ListForVisitorAsync(visitor, 3, None).Within();
            Assert.Equal(alone, forVisitors.Where(c => c.VisitorId == visitor));
        }
        Assert.Equal(busyIds.Take(3), forVisitors.Where(c => c.VisitorId == busy.Id).Select(c => c.Id));
        foreach (var agent in agents)
        {
            var alone = await Conversations.ListOpenForAgentAsync(agent, None).Within();
            Assert.Equal(alone, forAgents.Where(c => c.AssigneeId == agent));
        }
        Assert.Equal(new[] { busyIds[0], single.Id }.Order(StringComparer.Ordinal), forAgents.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await Conversations.ListForVisitorsAsync([], 3, None).Within());
        Assert.Empty(await Conversations.ListOpenForAgentsAsync([], None).Within());
    }

    private static void AssertEvent(StoredMessage message, long seq, string name)
    {
        Assert.Equal(seq, message.Seq);
        Assert.Equal("system", message.SenderType);
        Assert.Equal("system", message.SenderId);
        Assert.Equal("event", message.Kind);
        Assert.Null(message.ClientMsgId);
        using var meta = JsonDocument.Parse(message.MetaJson!);
        Assert.Equal(name, meta.RootElement.GetProperty("event").GetString());
    }
}
