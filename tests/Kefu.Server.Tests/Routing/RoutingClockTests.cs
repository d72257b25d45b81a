using System.Net;
using System.Text.Json.Nodes;
using Kefu.Server.Agents;
using Kefu.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Server.Tests.Routing;

/// <summary>
/// Lifecycle timeouts at their boundaries, on the server's own fake clock (<see cref="FakeClockServer"/>):
/// nothing here waits for real time to pass.
/// </summary>
public sealed class RoutingClockTests
{
    // Monday 2026-11-23 10:00 in Shanghai.
    private static readonly DateTimeOffset Monday10 = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_silent_conversation_is_warned_after_the_warning_time_closed_after_the_close_time_and_reopened_only_within_the_window()
    {
        await using var server = new FakeClockServer(Monday10, new Dictionary<string, string>
        {
            ["Kefu:Lifecycle:InactivityWarningSeconds"] = "60",
            ["Kefu:Lifecycle:InactivityCloseSeconds"] = "120",
            ["Kefu:Lifecycle:ReopenWindowSeconds"] = "300",
        });
        var admin = await server.AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(server, admin, "clock-agent", 5);
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "one question");
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));
        var lastWrite = server.Clock.GetUtcNow();

        server.Advance(TimeSpan.FromSeconds(59));
        Assert.False(visitor.HasQueued(IsEvent("inactivityWarning")));
        // One jump past the next sweep (every 15 s, a quarter of the shortest timeout): the clock stands still
        // while that sweep runs, so the times it writes are exact.
        server.Advance(TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(16));
        var warning = await visitor.WaitForAsync(IsEvent("inactivityWarning"));
        var warnedAt = CreatedAt(warning);
        Assert.InRange(warnedAt - lastWrite, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(75));
        Assert.Equal(120L, (long)warning["meta"]!["closesInSeconds"]!);

        // Just short of the close time it is still open: the fake clock has not reached it, so no sweep can close it.
        server.Advance(warnedAt + TimeSpan.FromSeconds(119) - server.Clock.GetUtcNow(), TimeSpan.FromSeconds(15));
        Assert.Equal("open", (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["status"]);
        server.Advance(TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(16));
        var closed = await visitor.WaitForAsync(IsEvent("closed"));
        Assert.Equal("system", (string?)closed["meta"]!["byType"]);
        Assert.InRange(CreatedAt(closed) - warnedAt, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(135));

        // 299 s after the close the visitor's message reopens the same conversation.
        server.Advance(CreatedAt(closed) + TimeSpan.FromSeconds(299) - server.Clock.GetUtcNow(), TimeSpan.FromSeconds(10));
        Assert.Equal(conversationId, (string?)(await visitor.SendTextAsync("one more thing"))["conversationId"]);
        await visitor.WaitForAsync(IsEvent("reopened"));

        // Closed again by the agent: 301 s later the visitor starts a new conversation.
        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{conversationId}/close", agent.Token, expect: HttpStatusCode.NoContent);
        var closedAgain = await visitor.WaitForAsync(f => IsEvent("closed")(f) && (long)f["seq"]! > (long)closed["seq"]!);
        server.Advance(CreatedAt(closedAgain) + TimeSpan.FromSeconds(301) - server.Clock.GetUtcNow(), TimeSpan.FromSeconds(10));
        Assert.NotEqual(conversationId, (string?)(await visitor.SendTextAsync("a new question"))["conversationId"]);
        await RoutingRulesTests.DisposeAllAsync(visitor, agent.Client);
    }

    [Fact]
    public async Task A_conversation_started_a_second_before_closing_time_is_routed_and_one_started_at_closing_time_gets_leave_a_message()
    {
        // Monday 2026-11-23 17:59:59 in Shanghai.
        await using var server = new FakeClockServer(new DateTimeOffset(2026, 11, 23, 9, 59, 59, TimeSpan.Zero));
        var admin = await server.AdminTokenAsync();
        var team = (await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/teams", admin)).AsArray().Single()!;
        await RoutingApi.SendAsync(server, HttpMethod.Put, $"api/v1/business-hours/{(string)team["id"]!}", admin,
            JsonNode.Parse("""{ "timeZone": "Asia/Shanghai", "weekly": { "mon": [["09:00","18:00"]], "tue": [["09:00","18:00"]] } }"""), HttpStatusCode.NoContent);
        var agent = await RoutingApi.AgentAsync(server, admin, "day-shift", 5);

        var (early, earlyConversation, _) = await RoutingApi.VisitorAsync(server, "just in time");
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, earlyConversation));
        Assert.False(early.HasQueued(IsEvent("outsideBusinessHours")));

        server.Advance(TimeSpan.FromSeconds(1));
        var (late, lateConversation, _) = await RoutingApi.VisitorAsync(server, "too late?");
        var outside = await late.WaitForAsync(IsEvent("outsideBusinessHours"));
        Assert.True((bool)outside["meta"]!["leaveMessage"]!);
        Assert.Equal("queued", (string?)(await RoutingApi.ConversationAsync(server, admin, lateConversation))["status"]);

        // Tuesday 09:00: the team opens again and the waiting visitor is assigned.
        await server.AdvanceAsync(TimeSpan.FromHours(15), TimeSpan.FromMinutes(5), late, agent.Client!);
        admin = await server.AdminTokenAsync(); // The first token expired overnight.
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, lateConversation));
        await RoutingRulesTests.DisposeAllAsync(early, late, agent.Client);
    }

    [Fact]
    public async Task A_dropped_agent_stays_online_for_the_grace_period_and_then_its_conversations_are_requeued()
    {
        await using var server = new FakeClockServer(Monday10, new Dictionary<string, string>
        {
            ["Kefu:Routing:AgentGraceSeconds"] = "30",
            ["Kefu:Routing:OnAgentOffline"] = "requeue",
        });
        var admin = await server.AdminTokenAsync();
        var leaving = await RoutingApi.AgentAsync(server, admin, "leaving", 5);
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "are you there?");
        Assert.Equal(leaving.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));

        await leaving.Client!.DisposeAsync();
        var presence = server.Services.GetRequiredService<AgentPresence>();
        await Eventually.HoldsAsync(() => Task.FromResult(presence.InGracePeriod(leaving.Id)), "the grace period started");
        server.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("online", (string?)(await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/agents/me/status", leaving.Token))["status"]);
        Assert.Equal("open", (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["status"]);

        var staying = await RoutingApi.AgentAsync(server, admin, "staying", 5);
        server.Advance(TimeSpan.FromSeconds(1));
        await RoutingApi.WaitForStatusAsync(server, leaving.Token, "offline");
        await Eventually.HoldsAsync(async () => (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["assignee"]?["id"] == staying.Id,
            "requeued to the agent who stayed");
        await visitor.WaitForAsync(IsEvent("unassigned"));
        await RoutingRulesTests.DisposeAllAsync(visitor, staying.Client);
    }

    private static Func<JsonObject, bool> IsEvent(string name) =>
        f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == name;

    private static DateTimeOffset CreatedAt(JsonObject message) => DateTimeOffset.Parse((string)message["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture);
}
