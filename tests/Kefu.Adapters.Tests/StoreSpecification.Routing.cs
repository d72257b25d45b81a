using System.Text.Json;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

public abstract partial class StoreSpecification
{
    [SkippableFact]
    public async Task Agents_are_created_once_per_username_with_skills_and_the_default_team_unless_teams_are_given()
    {
        var world = await BootstrapAsync();
        var sales = await Directory.SaveTeamAsync(new TeamProfile("team_sales", world.Tenant.Id, "Sales", false, "round-robin", 30), None).Within();
        Assert.Equal(new TeamProfile("team_sales", world.Tenant.Id, "Sales", false, "round-robin", 30), sales);

        var plain = await Directory.CreateAgentAsync(new NewAgent(world.Tenant.Id, "plain", "h", "Plain", 3, false, null, ["zh", "vip"]), None).Within();
        var seller = await Directory.CreateAgentAsync(new NewAgent(world.Tenant.Id, "seller", "h", "Seller", 4, false, ["team_sales", "team_other_tenant"], []), None).Within();
        var again = await Directory.CreateAgentAsync(new NewAgent(world.Tenant.Id, "plain", "h", "Again", 1, false, null, []), None).Within();

        Assert.NotNull(plain);
        Assert.Equal([world.Team.Id], plain.TeamIds);
        Assert.Equal(["zh", "vip"], plain.Skills);
        Assert.Equal(["team_sales"], seller!.TeamIds);
        Assert.Null(again);
        var read = await Directory.GetAgentProfileAsync(plain.Agent.Id, None).Within();
        Assert.Equal((plain.Agent, plain.TeamIds, plain.Skills), (read!.Agent, read.TeamIds, read.Skills), (a, b) => a.Item1 == b.Item1 && a.Item2.SequenceEqual(b.Item2) && a.Item3.SequenceEqual(b.Item3));
        var listed = await Directory.ListAgentsAsync(world.Tenant.Id, None).Within();
        Assert.Equal(["admin", "plain", "seller"], listed.Select(a => a.Agent.Username));
        var teams = await Directory.ListTeamsAsync(world.Tenant.Id, None).Within();
        Assert.Equal([world.Team.Id, "team_sales"], teams.Select(t => t.Id));
        Assert.Equal("least-busy", teams[0].Strategy);
    }

    [SkippableFact]
    public async Task Updating_an_agent_changes_only_what_is_given_and_disabling_bumps_its_token_version()
    {
        var world = await BootstrapAsync();
        await Directory.SaveTeamAsync(new TeamProfile("team_b", world.Tenant.Id, "B", false, "least-busy", 0), None).Within();
        var agent = (await Directory.CreateAgentAsync(new NewAgent(world.Tenant.Id, "changing", "h", "Before", 3, false, null, ["zh"]), None).Within())!;

        var renamed = await Directory.UpdateAgentAsync(new AgentChanges(agent.Agent.Id, DisplayName: "After", TeamIds: ["team_b"]), None).Within();
        Assert.Equal("After", renamed!.Agent.DisplayName);
        Assert.Equal(3, renamed.Agent.MaxConcurrent);
        Assert.Equal(["zh"], renamed.Skills);
        Assert.Equal(["team_b"], renamed.TeamIds);
        Assert.Equal(agent.Agent.TokenVersion, renamed.Agent.TokenVersion);

        var disabled = await Directory.UpdateAgentAsync(new AgentChanges(agent.Agent.Id, Disabled: true, Skills: []), None).Within();
        Assert.True(disabled!.Agent.Disabled);
        Assert.Empty(disabled.Skills);
        Assert.Equal(agent.Agent.TokenVersion + 1, disabled.Agent.TokenVersion);
        Assert.Null(await Directory.UpdateAgentAsync(new AgentChanges("a_missing", DisplayName: "x"), None).Within());
        Assert.Null(await Directory.SaveTeamAsync(new TeamProfile("team_c", world.Tenant.Id, "B", false, "least-busy", 0), None).Within());
    }

    [SkippableFact]
    public async Task Routable_conversations_keep_their_skills_and_priority_and_requeue_and_transfer_leave_events()
    {
        var world = await BootstrapAsync();
        var visitor = await NewVisitorAsync(world);
        var start = await Conversations.StartConversationAsync(
            new StartConversation(world.Tenant.Id, world.Site.Id, visitor.Id, world.Team.Id, null, ["zh"], 1), None).Within();
        var plain = await NewConversationAsync(world);

        var routable = await Conversations.ListRoutableAsync(None).Within();
        Assert.Equal([start.Conversation.Id, plain.Id], routable.Select(r => r.Conversation.Id));
        Assert.Equal(["zh"], routable[0].Skills);
        Assert.Equal(1, routable[0].Priority);
        Assert.Empty(routable[1].Skills);
        Assert.Equal(0, routable[1].Priority);

        var by = new RoutingActor("a_x", SenderTypes.Agent, "X", "over to you");
        Assert.Null(await Conversations.RequeueAsync(plain.Id, null, null, by, None).Within());
        await Conversations.TryAssignAsync(plain.Id, [new("a_x", "X", 5)], None).Within();
        Assert.Null(await Conversations.TransferAsync(plain.Id, new("a_full", "Full", 0), by, None).Within());
        var moved = await Conversations.TransferAsync(plain.Id, new("a_y", "Y", 5), by, None).Within();
        Assert.Equal("a_y", moved!.Conversation.AssigneeId);
        AssertMeta(moved.Event, "transferred", ("agentId", "a_y"), ("fromAgentId", "a_x"), ("note", "over to you"));

        await Directory.SaveTeamAsync(new TeamProfile("team_b", world.Tenant.Id, "B", false, "least-busy", 0), None).Within();
        var requeued = await Conversations.RequeueAsync(plain.Id, "team_b", null, by, None).Within();
        Assert.Equal((ConversationStatuses.Queued, null, "team_b"), (requeued!.Status, requeued.AssigneeId, requeued.TeamId));
        Assert.Equal(requeued, Assert.IsType<ConversationUpdated>(Observer.Changes[^1]).Conversation);
        var events = await Conversations.ReadAfterAsync(plain.Id, 0, 10, None).Within();
        AssertMeta(events[^1], "transferred", ("toTeam", "team_b"), ("fromAgentId", "a_y"));
        Assert.Null(await Conversations.RequeueAsync(plain.Id, null, null, by, None).Within());
    }

    private static void AssertMeta(StoredMessage message, string eventName, params (string Name, string Value)[] properties)
    {
        Assert.Equal(MessageKinds.Event, message.Kind);
        using var meta = JsonDocument.Parse(message.MetaJson!);
        Assert.Equal(eventName, meta.RootElement.GetProperty("event").GetString());
        foreach (var (name, value) in properties)
        {
            Assert.Equal(value, meta.RootElement.GetProperty(name).GetString());
        }
    }
}
