using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests.Routing;

public sealed class RoutingQueueTests
{
    [Fact]
    public async Task Ten_agents_of_capacity_three_take_thirty_of_a_hundred_visitors_and_seventy_wait_in_order_moving_up_one_by_one()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Routing__StickyWaitSeconds"] = "0" });
        var admin = await server.AdminTokenAsync();
        var agents = new List<TestAgent>();
        for (var i = 0; i < 10; i++)
        {
            agents.Add(await RoutingApi.AgentAsync(server, admin, $"load{i:00}", 3));
        }

        var visitors = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => RoutingApi.VisitorAsync(server, $"visitor {i}")));
        try
        {
            // Balanced and within capacity: every agent has exactly three, 70 wait.
            await Eventually.HoldsAsync(() => visitors.Count(v => Status(v.Client) == "open") == 30 && visitors.Count(v => Status(v.Client) == "queued") == 70, "30 open and 70 queued");
            var loads = visitors.Where(v => Status(v.Client) == "open").GroupBy(v => (string)RoutingApi.LastConversationFrame(v.Client)!["assignee"]!["id"]!).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(10, loads.Count);
            Assert.All(loads.Values, load => Assert.Equal(3, load));
            Assert.Equal(agents.Select(a => a.Id).Order(), loads.Keys.Order());

            // Positions 1..70, each told with an estimated wait.
            var waiting = visitors.Where(v => Status(v.Client) == "queued").ToList();
            await Eventually.HoldsAsync(() => waiting.Select(v => Position(v.Client)).Order().SequenceEqual(Enumerable.Range(1, 70).Select(p => (long?)p)), "positions 1..70");
            Assert.All(waiting, v => Assert.True((long)RoutingApi.LastConversationFrame(v.Client)!["estimatedWaitSeconds"]! > 0));
            waiting.Sort((a, b) => Position(a.Client)!.Value.CompareTo(Position(b.Client)!.Value));

            // Each close frees one slot: the head of the queue goes to that agent, everyone else moves up by one.
            for (var round = 0; round < 5; round++)
            {
                var agent = agents[round];
                var mine = visitors.First(v => Status(v.Client) == "open" && (string?)RoutingApi.LastConversationFrame(v.Client)!["assignee"]!["id"] == agent.Id);
                await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{mine.ConversationId}/close", admin, expect: System.Net.HttpStatusCode.NoContent);
                var head = waiting[0];
                waiting.RemoveAt(0);
                var assigned = await head.Client.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "open");
                Assert.Equal(agent.Id, (string?)assigned["assignee"]!["id"]);
                for (var i = 0; i < waiting.Count; i++)
                {
                    var expected = (long)(i + 1);
                    await Eventually.HoldsAsync(() => Position(waiting[i].Client) == expected, $"position {expected}");
                }
            }

            // Every waiting visitor saw its position only fall, by one for each close above (a round that assigns
            // many at once announces a few times a second, so there a place may fall by more than one).
            foreach (var v in waiting)
            {
                var positions = RoutingApi.Positions(v.Client);
                for (var i = 1; i < positions.Count; i++)
                {
                    Assert.True(positions[i] < positions[i - 1], $"positions {string.Join(", ", positions)}");
                }
                Assert.Equal([5L, 4L, 3L, 2L, 1L, 0L], positions.TakeLast(6).Select(p => p - positions[^1]));
            }
            Assert.All(agents, a => Assert.True(visitors.Count(v => Status(v.Client) == "open" && (string?)RoutingApi.LastConversationFrame(v.Client)!["assignee"]!["id"] == a.Id) <= 3));
        }
        finally
        {
            foreach (var v in visitors)
            {
                await v.Client.DisposeAsync();
            }
            foreach (var a in agents)
            {
                await a.Client!.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_identified_visitor_goes_ahead_of_anonymous_ones_and_is_served_first()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var anonymous = new List<(ProtocolClient Client, string ConversationId, string Token)>();
        for (var i = 0; i < 3; i++)
        {
            anonymous.Add(await RoutingApi.VisitorAsync(server, $"anonymous {i}"));
            var expected = (long)(i + 1);
            await Eventually.HoldsAsync(() => Position(anonymous[i].Client) == expected, $"anonymous {i} at {expected}");
        }
        var secret = Db.Text(server.DatabasePath, "SELECT identity_secret FROM sites WHERE site_key = 'default'");
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes("member-42")));
        var vip = await RoutingApi.VisitorAsync(server, "member here", identity: new { userId = "member-42", name = "Member", signature });

        await Eventually.HoldsAsync(() => Position(vip.Client) == 1, "the identified visitor first");
        for (var i = 0; i < 3; i++)
        {
            var expected = (long)(i + 2);
            await Eventually.HoldsAsync(() => Position(anonymous[i].Client) == expected, $"anonymous {i} moved to {expected}");
        }
        var agent = await RoutingApi.AgentAsync(server, admin, "single", 1);
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, vip.ConversationId));
        await RoutingRulesTests.DisposeAllAsync([.. anonymous.Select(a => a.Client), vip.Client, agent.Client]);
    }

    private static string? Status(ProtocolClient client) => (string?)RoutingApi.LastConversationFrame(client)?["status"];

    private static long? Position(ProtocolClient client) =>
        RoutingApi.LastConversationFrame(client) is { } f && (string?)f["status"] == "queued" ? (long?)f["queuePosition"] : null;
}
