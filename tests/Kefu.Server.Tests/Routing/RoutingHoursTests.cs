using System.Net;
using Kefu.Core.Routing;
using Kefu.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Server.Tests.Routing;

public sealed class RoutingHoursTests
{
    private const string Weekdays = """
        { "timeZone": "Asia/Shanghai",
          "weekly": { "mon": [["09:00","12:00"],["13:00","18:00"]], "tue": [["09:00","18:00"]], "sat": [["00:00","24:00"]] },
          "holidays": ["2026-10-01"] }
        """;

    [Fact]
    public void Business_hours_open_and_close_exactly_at_their_boundaries_in_the_schedule_time_zone()
    {
        var schedule = BusinessSchedule.Parse(Weekdays);
        // Monday 2026-11-23 08:59:59 in Shanghai is 00:59:59 UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 59, 59, TimeSpan.Zero));
        Assert.False(schedule.IsOpen(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(schedule.IsOpen(clock.GetUtcNow()));                 // 09:00
        clock.Advance(TimeSpan.FromHours(3) - TimeSpan.FromSeconds(1));
        Assert.True(schedule.IsOpen(clock.GetUtcNow()));                 // 11:59:59
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(schedule.IsOpen(clock.GetUtcNow()));                // 12:00, lunch
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(schedule.IsOpen(clock.GetUtcNow()));                 // 13:00
        clock.Advance(TimeSpan.FromHours(5));
        Assert.False(schedule.IsOpen(clock.GetUtcNow()));                // 18:00
        clock.Advance(TimeSpan.FromDays(2));
        Assert.False(schedule.IsOpen(clock.GetUtcNow()));                // Wednesday is not listed
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero));
        Assert.True(schedule.IsOpen(clock.GetUtcNow()));                 // Saturday 00:00 in Shanghai, open all day
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 28, 15, 59, 59, TimeSpan.Zero));
        Assert.True(schedule.IsOpen(clock.GetUtcNow()));                 // Saturday 23:59:59
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 9, 29, 2, 0, 0, TimeSpan.Zero)));   // Tuesday 2026-09-29 10:00
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 10, 3, 2, 0, 0, TimeSpan.Zero)));   // Saturday 2026-10-03
        Assert.False(BusinessSchedule.Parse("""{ "timeZone": "UTC", "weekly": { "thu": [["00:00","24:00"]] }, "holidays": ["2026-10-01"] }""")
            .IsOpen(new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero)));  // a Thursday, but a holiday
        Assert.Throws<FormatException>(() => BusinessSchedule.Parse("""{ "timeZone": "Mars/Olympus" }"""));
        Assert.Throws<FormatException>(() => BusinessSchedule.Parse("""{ "weekly": { "mon": [["18:00","09:00"]] } }"""));
    }

    [Fact]
    public async Task Outside_business_hours_the_visitor_is_told_and_leaves_a_message_that_agents_find_in_the_queue()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var team = (await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/teams", admin)).AsArray().Single(t => (bool)t!["isDefault"]!)!;
        var teamId = (string)team["id"]!;
        // Never open: no day listed.
        await RoutingApi.SendAsync(server, HttpMethod.Put, $"api/v1/business-hours/{teamId}", admin, new { timeZone = "UTC", weekly = new { } }, HttpStatusCode.NoContent);
        await RoutingApi.SendAsync(server, HttpMethod.Put, $"api/v1/business-hours/{teamId}", admin, new { timeZone = "Nowhere/Else" }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/business-hours/no-such-team", admin, new { timeZone = "UTC" }, HttpStatusCode.NotFound);
        var agent = await RoutingApi.AgentAsync(server, admin, "daytime", 5);

        var session = await Api.VisitorAsync(server.Http);
        var (visitor, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
        var left = await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/visitor/messages", session.Token,
            new { name = "Li Lei", contact = "lilei@example.com", message = "Please call me back about my order." }, HttpStatusCode.Created);
        var conversationId = (string)left["conversationId"]!;
        await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == "outsideBusinessHours");

        var message = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["sender"]!["type"] == "visitor");
        Assert.Equal("Please call me back about my order.", (string?)message["text"]);
        Assert.Equal("lilei@example.com", (string?)message["meta"]!["contact"]);
        var queued = (await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/conversations?view=queued", admin)).AsArray();
        Assert.Contains(queued, i => (string?)i!["conversationId"] == conversationId);

        // Agents answer later: the online agent may claim it even outside hours.
        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{conversationId}/claim", agent.Token);
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/visitor/messages", agent.Token, new { name = "x", contact = "y", message = "z" }, HttpStatusCode.Forbidden);
        await RoutingApi.SendAsync(server, HttpMethod.Delete, $"api/v1/business-hours/{teamId}", admin, expect: HttpStatusCode.NoContent);
        Assert.Empty((await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/business-hours", admin)).AsArray());
        await RoutingRulesTests.DisposeAllAsync(visitor, agent.Client);
    }

    [Fact]
    public async Task Within_hours_with_nobody_online_the_conversation_waits_queued_and_the_visitor_is_told_agents_are_away()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Routing__AnnounceAgentsAway"] = "true" });
        var admin = await server.AdminTokenAsync();
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "anybody?");
        await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == "agentsAway");
        Assert.Equal("queued", (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["status"]);
        var agent = await RoutingApi.AgentAsync(server, admin, "late", 5);
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));
        await RoutingRulesTests.DisposeAllAsync(visitor, agent.Client);
    }
}
